"""custseg.profile_model's --through-view: the upstream relation is swapped for the view."""

import pytest

from custseg.profile_model import read_through_view


def test_every_reference_to_the_upstream_relation_is_replaced():
    sql = ('select * from "warehouse"."intermediate"."int_events__attributed" as e '
           'join "warehouse"."intermediate"."int_events__attributed_extra" as x on true '
           'union all select * from "warehouse"."intermediate"."int_events__attributed"')
    replaced = read_through_view(sql, "int_events__attributed", "main.int_events__attributed")
    assert replaced.count("main.int_events__attributed ") == 1
    assert replaced.endswith("from main.int_events__attributed")
    # a longer name that starts with the upstream's is left alone
    assert '"warehouse"."intermediate"."int_events__attributed_extra"' in replaced


def test_sql_that_does_not_read_the_upstream_model_is_an_error():
    with pytest.raises(SystemExit, match="does not read int_orders__attributed"):
        read_through_view('select 1 from "warehouse"."staging"."stg_shop__orders"',
                          "int_orders__attributed", "main.int_orders__attributed")
