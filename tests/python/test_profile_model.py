"""custseg.profile_model's --through-view: upstream relations are swapped for views."""

import pytest

from custseg.profile_model import swap_chain


def test_every_reference_to_the_upstream_relation_is_replaced():
    sql = ('select * from "warehouse"."intermediate"."int_events__attributed" as e '
           'join "warehouse"."intermediate"."int_events__attributed_extra" as x on true '
           'union all select * from "warehouse"."intermediate"."int_events__attributed"')
    [replaced], views = swap_chain([sql], {"int_events__attributed": "select 1"})
    assert replaced.count("main.int_events__attributed ") == 1
    assert replaced.endswith("from main.int_events__attributed")
    # a longer name that starts with the upstream's is left alone
    assert '"warehouse"."intermediate"."int_events__attributed_extra"' in replaced
    assert views == {"int_events__attributed": "select 1"}


def test_a_chain_reads_each_link_through_the_next_view_created_farthest_first():
    model = 'select * from "warehouse"."staging"."stg_app__events"'
    staged = 'select * from "warehouse"."staging"."base_app__events" where kept'
    base = 'select * from "warehouse"."raw"."app_events"'
    [replaced], views = swap_chain(
        [model], {"stg_app__events": staged, "base_app__events": base})
    assert replaced == "select * from main.stg_app__events"
    assert list(views) == ["base_app__events", "stg_app__events"]
    assert views["stg_app__events"] == "select * from main.base_app__events where kept"
    # the farthest link reads the stored raw table
    assert views["base_app__events"] == base


def test_an_upstream_nobody_reads_is_an_error():
    with pytest.raises(SystemExit, match="reads int_orders__attributed"):
        swap_chain(['select 1 from "warehouse"."staging"."stg_shop__orders"'],
                   {"int_orders__attributed": "select 1"})
    # in a chain too: the model reads the first link, nothing reads the second
    with pytest.raises(SystemExit, match="reads base_shop__orders$"):
        swap_chain(['select 1 from "warehouse"."staging"."stg_shop__orders"'],
                   {"stg_shop__orders": "select 2", "base_shop__orders": "select 3"})
