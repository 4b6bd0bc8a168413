"""The demo data generator (custseg.generate), checked on the Parquet files it writes, read back
with DuckDB: determinism, scaling, the contract's columns and types, the ground truth, the
planted dirty-data rates and the planted persona behaviour."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest

from custseg import generate as gen
from custseg.contract import RAW_TABLES, TRUTH_TABLES

SMALL = 2_000
LARGER = 4_000
END_DATE = dt.date(2026, 10, 31)
TOLERANCE = 0.30  # relative tolerance of a measured dirty rate
ALL_FILES = [*RAW_TABLES, *(f"ground_truth__{t}" for t in TRUTH_TABLES)]
BOT_BROWSERS = ("Googlebot", "HeadlessChrome", "python-requests")
PURCHASE_STATUSES = ("completed", "shipped")


def _generate(root: Path, contacts: int, seed: int) -> Path:
    out = root / f"c{contacts}_s{seed}"
    gen.generate(out, contacts=contacts, seed=seed, end_date=END_DATE, progress=None)
    return out


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generate(tmp_path_factory.mktemp("a"), SMALL, 42)


@pytest.fixture(scope="module")
def small_again(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generate(tmp_path_factory.mktemp("b"), SMALL, 42)


@pytest.fixture(scope="module")
def small_other_seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generate(tmp_path_factory.mktemp("c"), SMALL, 7)


@pytest.fixture(scope="module")
def larger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generate(tmp_path_factory.mktemp("d"), LARGER, 42)


def _connect(data: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for name in ALL_FILES:
        con.execute(f"create view {name} as select * from read_parquet('{data / (name + '.parquet')}')")
    return con


def _manifest(data: Path) -> dict:
    return json.loads((data / "manifest.json").read_text(encoding="utf-8"))


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> tuple:
    row = con.execute(sql).fetchone()
    assert row is not None
    return row


# ------------------------------------------------------------------------------------------------
# determinism, manifest, scale, contract
# ------------------------------------------------------------------------------------------------


def test_same_parameters_give_the_same_content(small: Path, small_again: Path) -> None:
    first, second = _manifest(small), _manifest(small_again)
    assert set(first["tables"]) == set(ALL_FILES)
    for name in ALL_FILES:
        assert first["tables"][name]["rows"] == second["tables"][name]["rows"], name
        assert first["tables"][name]["checksum"] == second["tables"][name]["checksum"], name


def test_another_seed_gives_other_content(small: Path, small_other_seed: Path) -> None:
    first, other = _manifest(small), _manifest(small_other_seed)
    for name in RAW_TABLES:
        assert first["tables"][name]["checksum"] != other["tables"][name]["checksum"], name


def test_manifest_records_parameters_and_describes_the_files(small: Path) -> None:
    manifest = _manifest(small)
    assert manifest["contacts"] == SMALL
    assert manifest["seed"] == 42
    assert manifest["end_date"] == END_DATE.isoformat()
    assert manifest["generator_version"] == gen.GENERATOR_VERSION
    con = _connect(small)
    for name in ALL_FILES:
        rows, checksum = _one(con, f"select count(*), (sum(hash(t)::hugeint) % 18446744073709551616)::ubigint "
                                   f"from {name} as t")
        assert manifest["tables"][name]["rows"] == rows, name
        assert manifest["tables"][name]["checksum"] == f"{int(checksum):016x}", name


def test_volumes_scale_with_contacts(small: Path, larger: Path) -> None:
    a, b = _manifest(small)["tables"], _manifest(larger)["tables"]
    for name in ("crm_contacts", "shop_orders", "shop_order_items", "app_events", "crm_nps_responses"):
        ratio = b[name]["rows"] / a[name]["rows"]
        assert 1.7 <= ratio <= 2.3, (name, ratio)
    con = _connect(larger)
    contacts = LARGER
    orders = _one(con, "select count(distinct order_id) from shop_orders")[0]
    items = _one(con, "select count(*) from shop_order_items")[0]
    events = _one(con, "select count(*) from app_events")[0]
    accounts = _one(con, "select count(*) from ground_truth__account_profiles")[0]
    # the scale promise: 1,000,000 contacts give ~10 million orders and ~50-60 million events
    assert 9 <= orders / contacts <= 12
    assert 2.2 <= items / orders <= 2.8
    assert 45 <= events / contacts <= 65
    assert accounts == round(contacts / 40)


def test_every_file_has_exactly_the_contract_columns_and_types(small: Path) -> None:
    con = _connect(small)
    expected = {**RAW_TABLES, **{f"ground_truth__{t}": cols for t, cols in TRUTH_TABLES.items()}}
    for name, columns in expected.items():
        got = [(r[0], r[1].lower()) for r in con.execute(f"describe select * from {name}").fetchall()]
        assert got == [(c, t.lower()) for c, t in columns], name


def test_nothing_is_dated_after_end_date_except_the_planted_future_orders(larger: Path) -> None:
    con = _connect(larger)
    end = f"timestamp '{END_DATE + dt.timedelta(days=1)}'"
    start = f"timestamp '{_manifest(larger)['history_start']}'"
    checks = {
        "events": f"select max(greatest(occurred_at, received_at)) < {end}, "
                  f"min(least(occurred_at, received_at)) >= {start} - interval 15 day from app_events",
        "orders": f"select max(updated_at) < {end}, min(ordered_at) >= {start} from shop_orders "
                  f"where ordered_at < timestamp '2031-01-01'",
        "contacts": f"select max(updated_at) < {end}, bool_and(updated_at >= created_at) from crm_contacts",
        "accounts": f"select max(updated_at) < {end}, bool_and(updated_at >= created_at) from crm_accounts",
        "nps": f"select max(responded_at) < {end}, min(responded_at) >= {start} from crm_nps_responses",
    }
    for name, sql in checks.items():
        assert _one(con, sql) == (True, True), name
    future = _one(con, f"select count(*) from shop_orders where ordered_at >= {end} and ordered_at < timestamp '2031-01-01'")
    assert future == (0,)


# ------------------------------------------------------------------------------------------------
# ground truth
# ------------------------------------------------------------------------------------------------


def test_ground_truth_covers_every_contact_and_account_once(larger: Path) -> None:
    con = _connect(larger)
    truth_rows, truth_ids = _one(con, "select count(*), count(distinct contact_id) from ground_truth__contact_personas")
    assert truth_rows == truth_ids
    missing, extra = _one(con, """
        with crm as (select distinct contact_id from crm_contacts where contact_id <> ''),
             gt as (select contact_id from ground_truth__contact_personas)
        select (select count(*) from crm anti join gt using (contact_id)),
               (select count(*) from gt anti join crm using (contact_id))""")
    assert (missing, extra) == (0, 0)
    acc_rows, acc_ids = _one(con, "select count(*), count(distinct account_id) from ground_truth__account_profiles")
    assert acc_rows == acc_ids
    missing, extra = _one(con, """
        with crm as (select distinct account_id from crm_accounts where account_id <> ''),
             gt as (select account_id from ground_truth__account_profiles)
        select (select count(*) from crm anti join gt using (account_id)),
               (select count(*) from gt anti join crm using (account_id))""")
    assert (missing, extra) == (0, 0)
    personas = {r[0] for r in con.execute("select distinct persona from ground_truth__contact_personas").fetchall()}
    assert personas == set(gen.PERSONA_SHARES) | {"test_account"}
    sizes = {r[0] for r in con.execute("select distinct size_class from ground_truth__account_profiles").fetchall()}
    assert sizes == set(gen.ACCOUNT_SIZES)
    b2b_mismatch = _one(con, """
        select count(*) from ground_truth__contact_personas
        where is_b2b <> (account_id is not null)""")[0]
    assert b2b_mismatch == 0


def test_persona_and_b2b_shares_follow_the_plan(larger: Path) -> None:
    con = _connect(larger)
    shares = dict(con.execute("""
        select persona, count(*) / sum(count(*)) over () from ground_truth__contact_personas group by 1""").fetchall())
    for persona, share in gen.PERSONA_SHARES.items():
        assert abs(shares[persona] - share) <= 0.25 * share + 0.01, (persona, shares[persona])
    b2b = _one(con, "select avg(is_b2b::int) from ground_truth__contact_personas where persona <> 'test_account'")[0]
    assert abs(b2b - gen.B2B_SHARE) <= 0.03
    size_shares = dict(con.execute("""
        select size_class, count(*) / sum(count(*)) over () from ground_truth__account_profiles group by 1""").fetchall())
    assert abs(size_shares["smb"] - 0.70) <= 0.12
    # bigger accounts get more contacts
    per_class = dict(con.execute("""
        select a.size_class, count(g.contact_id) / count(distinct a.account_id)
        from ground_truth__account_profiles a left join ground_truth__contact_personas g using (account_id)
        group by 1""").fetchall())
    assert per_class["smb"] < per_class["mid_market"] < per_class["enterprise"]


# ------------------------------------------------------------------------------------------------
# planted dirty data
# ------------------------------------------------------------------------------------------------


def _norm_countries() -> str:
    known = sorted({s.strip().lower().replace(".", "") for v in gen.COUNTRY_SPELLINGS.values() for s in v})
    return "[" + ", ".join("'" + s.replace("'", "''") + "'" for s in known) + "]"


def _unknown_country(col: str) -> str:
    return f"({col} is null or not list_contains({_norm_countries()}, replace(lower(trim({col})), '.', '')))"


def measure_dirt(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, int]]:
    """(count, denominator) per DIRT_RATES key, measured from the data alone."""
    known_currencies = "[" + ", ".join(f"'{c}'" for c in gen.CURRENCIES) + "]"
    statuses = "[" + ", ".join(f"'{s}'" for s in gen.ORDER_STATUSES) + "]"
    bots = "[" + ", ".join(f"'{b}'" for b in BOT_BROWSERS) + "]"
    out: dict[str, tuple[int, int]] = {}

    def put(key: str, sql: str) -> None:
        count, den = _one(con, sql)
        out[key] = (int(count or 0), int(den))

    def exact_dupes(table: str) -> str:
        return f"select (select count(*) from {table}) - (select count(*) from (select distinct * from {table})), " \
               f"(select count(*) from {table})"

    def latest_deleted(table: str, key: str, restored: bool) -> str:
        cond = "bool_or(is_deleted) and not arg_max(is_deleted, updated_at)" if restored \
            else "arg_max(is_deleted, updated_at)"
        return f"""select count(*) filter (where flag), count(*) from (
                     select {key}, {cond} as flag from {table} where {key} <> '' group by {key})"""

    # crm_accounts
    put("crm_accounts.exact_duplicate_rows", exact_dupes("crm_accounts"))
    put("crm_accounts.null_or_empty_id",
        "select count(*) filter (where account_id is null or account_id = ''), count(*) from crm_accounts")
    put("crm_accounts.deleted", latest_deleted("crm_accounts", "account_id", False))
    put("crm_accounts.deleted_then_restored", latest_deleted("crm_accounts", "account_id", True))
    put("crm_accounts.unknown_country", f"""
        select count(distinct account_id) filter (where {_unknown_country('country')}), count(distinct account_id)
        from crm_accounts where account_id <> ''""")
    # crm_contacts
    put("crm_contacts.second_version", """
        select count(*) filter (where n > 1), count(*) from (
          select contact_id, count(distinct lifecycle_stage) as n from crm_contacts where contact_id <> '' group by 1)""")
    put("crm_contacts.exact_duplicate_rows", exact_dupes("crm_contacts"))
    put("crm_contacts.null_or_empty_id",
        "select count(*) filter (where contact_id is null or contact_id = ''), count(*) from crm_contacts")
    put("crm_contacts.messy_email", """
        select count(distinct contact_id) filter (where email <> lower(trim(email))), count(distinct contact_id)
        from crm_contacts where contact_id <> '' and merged_into_contact_id is null and email is not null""")
    put("crm_contacts.deleted", latest_deleted("crm_contacts", "contact_id", False))
    put("crm_contacts.deleted_then_restored", latest_deleted("crm_contacts", "contact_id", True))
    put("crm_contacts.test_accounts", """
        select count(distinct contact_id) filter (
                 where lower(trim(email)) like '%@example.com' or lower(trim(email)) like '%@test.internal'),
               count(distinct contact_id)
        from crm_contacts where contact_id <> ''""")
    put("crm_contacts.duplicate_person", """
        select count(distinct contact_id) filter (where merged_into_contact_id is not null),
               count(distinct contact_id) filter (where merged_into_contact_id is null)
        from crm_contacts where contact_id <> ''""")
    put("crm_contacts.unknown_country", f"""
        select count(distinct contact_id) filter (where {_unknown_country('country')}), count(distinct contact_id)
        from crm_contacts where contact_id <> ''""")
    # crm_nps_responses
    put("crm_nps_responses.exact_duplicate_rows", exact_dupes("crm_nps_responses"))
    put("crm_nps_responses.score_out_of_range",
        "select count(*) filter (where score not between 0 and 10), count(*) from crm_nps_responses")
    put("crm_nps_responses.null_contact_id",
        "select count(*) filter (where contact_id is null), count(*) from crm_nps_responses")
    put("crm_nps_responses.unknown_contact_id", """
        select count(*) filter (where contact_id is not null
                                  and contact_id not in (select contact_id from crm_contacts where contact_id <> '')),
               count(*) from crm_nps_responses""")
    # shop_orders: per distinct order id unless a row share
    orders = "(select * from shop_orders where order_id <> '')"
    emails = "(select distinct lower(trim(email)) as e from crm_contacts where email is not null)"
    ids = "(select distinct contact_id from crm_contacts where contact_id <> '')"
    put("shop_orders.earlier_version", f"""
        select count(*) filter (where n > 1), count(*) from (
          select order_id, count(distinct updated_at) as n from {orders} group by 1)""")
    put("shop_orders.exact_duplicate_rows", exact_dupes("shop_orders"))
    put("shop_orders.null_or_empty_id",
        "select count(*) filter (where order_id is null or order_id = ''), count(*) from shop_orders")

    def per_order(key: str, cond: str) -> None:
        put(key, f"select count(distinct order_id) filter (where {cond}), count(distinct order_id) from {orders}")

    per_order("shop_orders.guest_known_email",
              f"contact_id is null and lower(trim(customer_email)) in (select e from {emails})")
    per_order("shop_orders.guest_unknown_email", f"contact_id is null and customer_email is not null "
                                                  f"and lower(trim(customer_email)) not in (select e from {emails})")
    per_order("shop_orders.unknown_contact_id", f"contact_id is not null and contact_id not in (select * from {ids})")
    per_order("shop_orders.negative_gross", "gross_amount < 0")
    per_order("shop_orders.zero_gross", "gross_amount = 0")
    per_order("shop_orders.unknown_currency",
              f"currency is null or not list_contains({known_currencies}, upper(trim(currency)))")
    per_order("shop_orders.currency_variant_spelling",
              f"currency <> upper(trim(currency)) and list_contains({known_currencies}, upper(trim(currency)))")
    per_order("shop_orders.future_ordered_at", "ordered_at >= timestamp '2031-01-01'")
    per_order("shop_orders.unknown_status", f"not list_contains({statuses}, lower(trim(status)))")
    # shop_order_items
    put("shop_order_items.exact_duplicate_rows", exact_dupes("shop_order_items"))
    put("shop_order_items.null_id",
        "select count(*) filter (where order_item_id is null), count(*) from shop_order_items")
    put("shop_order_items.nonpositive_quantity",
        "select count(*) filter (where quantity <= 0), count(*) from shop_order_items")
    put("shop_order_items.orphan_order_id", """
        select count(*) filter (where order_id not in (select order_id from shop_orders where order_id <> '')),
               count(*) from shop_order_items""")
    # app_events
    put("app_events.duplicate_event_id",
        "select count(event_id) - count(distinct event_id), count(distinct event_id) from app_events")
    put("app_events.late_arrival",
        "select count(*) filter (where received_at >= occurred_at + interval 1 day), count(*) from app_events")
    put("app_events.bot_traffic",
        f"select count(*) filter (where list_contains({bots}, browser)), count(*) from app_events")
    put("app_events.malformed_json",
        "select count(*) filter (where not json_valid(properties)), count(*) from app_events")
    put("app_events.null_event_id", "select count(*) filter (where event_id is null), count(*) from app_events")
    put("app_events.clock_ahead",
        "select count(*) filter (where occurred_at > received_at), count(*) from app_events")
    put("app_events.unknown_country",
        f"select count(*) filter (where {_unknown_country('ip_country')}), count(*) from app_events")
    return out


def test_every_planted_dirt_rate_is_measured_within_tolerance(larger: Path) -> None:
    measured = measure_dirt(_connect(larger))
    assert set(measured) == set(gen.DIRT_RATES)
    failures = []
    for key, rate in gen.DIRT_RATES.items():
        count, den = measured[key]
        expected = rate * den
        # relative tolerance, plus one row for rounding the planted count on tiny tables
        if abs(count - expected) > TOLERANCE * expected + 1:
            failures.append(f"{key}: {count}/{den} = {count / den:.4%}, planted {rate:.3%}")
    assert not failures, "\n".join(failures)


def test_dirt_is_what_it_claims(larger: Path) -> None:
    con = _connect(larger)
    # exact duplicate order rows and resent events carry identical content
    assert _one(con, """
        select count(*) from (select event_id from app_events where event_id is not null
                              group by event_id having count(distinct (event_name, occurred_at, properties)) > 1)""")[0] == 0
    # the earlier version of an order is 'placed', and older than the final row
    bad = _one(con, """
        with v as (select order_id, status, updated_at,
                          row_number() over (partition by order_id order by updated_at) as rn,
                          count(*) over (partition by order_id) as n
                   from (select distinct * from shop_orders where order_id <> ''))
        select count(*) filter (where n > 1 and rn = 1 and lower(trim(status)) <> 'placed') from v""")[0]
    assert bad == 0
    # duplicate person records share the survivor's e-mail (case aside)
    mismatched = _one(con, """
        select count(*) from crm_contacts d join crm_contacts s on s.contact_id = d.merged_into_contact_id
        where lower(trim(d.email)) <> lower(trim(s.email))""")[0]
    assert mismatched == 0
    # test accounts are named Test
    assert _one(con, """
        select count(*) from crm_contacts where lower(trim(email)) like '%@example.com' and first_name <> 'Test'""")[0] == 0
    # statuses are written in mixed case and with stray spaces
    variants = _one(con, "select count(distinct status) from shop_orders where lower(trim(status)) = 'completed'")[0]
    assert variants >= 3
    # clean orders: gross = sum(quantity * unit_price) of their items
    wrong = _one(con, """
        with items as (select order_id, sum(quantity * unit_price) as total from
                         (select distinct * from shop_order_items) where quantity > 0 group by 1),
             o as (select distinct order_id, gross_amount from shop_orders where order_id <> '' and gross_amount > 0)
        select count(*) filter (where o.gross_amount <> items.total), count(*) from o join items using (order_id)""")
    assert wrong[1] > 0 and wrong[0] <= 0.01 * wrong[1]


# ------------------------------------------------------------------------------------------------
# planted behaviour
# ------------------------------------------------------------------------------------------------


def _persona_views(con: duckdb.DuckDBPyConnection) -> None:
    end = f"timestamp '{END_DATE + dt.timedelta(days=1)}'"
    con.execute(f"""
        create temp table ids as  -- every id of a person -> surviving contact
        select contact_id as any_id, coalesce(merged_into_contact_id, contact_id) as person
        from (select distinct contact_id, merged_into_contact_id from crm_contacts where contact_id <> '');
        create temp table emails as
        select distinct lower(trim(email)) as e, coalesce(merged_into_contact_id, contact_id) as person
        from crm_contacts where email is not null and merged_into_contact_id is null and contact_id <> '';
        create temp table purchases as
        with latest as (
          select * from (select distinct * from shop_orders where order_id <> '')
          qualify row_number() over (partition by order_id order by updated_at desc) = 1)
        select coalesce(i.person, m.person) as person, o.order_id,
               date_diff('second', o.ordered_at, {end}) / 86400.0 as age_days
        from latest o left join ids i on i.any_id = o.contact_id
        left join emails m on o.contact_id is null and m.e = lower(trim(o.customer_email))
        where list_contains(['completed', 'shipped'], lower(trim(o.status))) and o.gross_amount > 0
          and o.ordered_at < {end};
        create temp table person_orders as
        select g.contact_id, g.persona, count(p.order_id) as n, min(p.age_days) as last_age
        from ground_truth__contact_personas g left join purchases p on p.person = g.contact_id
        where g.contact_id in (select contact_id from crm_contacts where merged_into_contact_id is null)
        group by 1, 2;
        create temp table person_events as
        select g.contact_id, g.persona,
               min(date_diff('second', e.received_at, {end}) / 86400.0) as last_event_age,
               count(*) filter (where e.received_at >= {end} - interval 30 day) as events_30d
        from ground_truth__contact_personas g
        join ids i on i.person = g.contact_id join app_events e on e.user_id = i.any_id
        group by 1, 2;""")


def test_order_history_follows_the_personas(larger: Path) -> None:
    con = _connect(larger)
    _persona_views(con)

    def stats(persona: str) -> tuple:
        return _one(con, f"""select count(*), min(n), max(n), median(n), min(last_age), max(last_age)
                             from person_orders where persona = '{persona}'""")

    n, lo, hi, med, recent, oldest = stats("champion")
    assert n > 0 and oldest <= 21 and med >= 12 and lo >= 6
    n, lo, hi, med, recent, oldest = stats("loyal")
    assert oldest <= 60 and lo >= 8 and hi <= 37
    n, lo, hi, med, recent, oldest = stats("one_time")
    assert (lo, hi) == (1, 1) and recent >= 90 and oldest <= 700
    n, lo, hi, med, recent, oldest = stats("slipping")
    assert lo >= 3 and recent >= 120 and oldest <= 300
    n, lo, hi, med, recent, oldest = stats("churned")
    assert lo >= 1 and hi <= 15 and recent >= 400 and oldest <= 1500
    n, lo, hi, med, recent, oldest = stats("dormant_lead")
    assert hi == 0
    n, lo, hi, med, recent, oldest = stats("new")
    assert lo >= 1 and hi <= 2 and oldest <= 25
    n, lo, hi, med, recent, oldest = stats("power_user")
    assert lo >= 1 and oldest <= 120
    n, lo, hi, med, recent, oldest = stats("casual")
    assert lo >= 1 and hi <= 11 and oldest <= 365
    created = _one(con, f"""
        select max(date_diff('day', c.created_at, timestamp '{END_DATE + dt.timedelta(days=1)}'))
        from crm_contacts c join ground_truth__contact_personas g using (contact_id) where g.persona = 'new'""")[0]
    assert created <= 30
    # heavy-tailed order values, more orders from mid-November to December
    p50, p99 = _one(con, """select quantile_cont(gross_amount, 0.5), quantile_cont(gross_amount, 0.99)
                            from shop_orders where currency = 'USD' and gross_amount > 0""")
    assert p99 > 6 * p50
    season = _one(con, """
        select count(*) filter (where month(ordered_at) = 12 or (month(ordered_at) = 11 and day(ordered_at) >= 15))
               / count(*) from shop_orders where ordered_at < timestamp '2031-01-01'""")[0]
    assert season > 1.4 * 47 / 365


def test_events_follow_the_personas_and_identity_is_stitchable(larger: Path) -> None:
    con = _connect(larger)
    _persona_views(con)
    churned_recent = _one(con, "select min(last_event_age) from person_events where persona = 'churned'")[0]
    assert churned_recent >= 330
    power_30d, others_30d = _one(con, """
        select median(events_30d) filter (where persona = 'power_user'),
               median(events_30d) filter (where persona not in ('power_user', 'dormant_lead'))
        from person_events""")
    assert power_30d >= 80 and power_30d > 10 * max(others_30d, 1)
    power_total = _one(con, """
        select median(c) from (select i.person, count(*) as c from app_events e join ids i on i.any_id = e.user_id
                               join ground_truth__contact_personas g on g.contact_id = i.person
                               where g.persona = 'power_user' group by 1)""")[0]
    assert power_total >= 180
    dormant_max = _one(con, """
        select max(c) from (select g.contact_id, count(distinct e.event_id) as c from ground_truth__contact_personas g
                            left join app_events e on e.user_id = g.contact_id
                            where g.persona = 'dormant_lead' group by 1)""")[0]
    assert dormant_max <= 5  # 0-5 events (client resends repeat an event_id)
    # a signed-in visitor's first session is anonymous and shares the anonymous_id
    first_anonymous = _one(con, """
        with a as (select anonymous_id, arg_min(user_id is null, occurred_at) as first_anon
                   from app_events where anonymous_id in (select anonymous_id from app_events where user_id is not null)
                   group by 1)
        select avg(first_anon::int) from a""")[0]
    assert first_anonymous >= 0.6
    # anonymous-only visitors (never signed in, no bots) are about 10 % of the volume
    anon_only = _one(con, f"""
        select count(*) filter (where anonymous_id not in (select anonymous_id from app_events where user_id is not null)
                                  and not list_contains({list(BOT_BROWSERS)}, browser)) / count(*)
        from app_events""")[0]
    assert abs(anon_only - gen.ANONYMOUS_VISITOR_SHARE) <= 0.3 * gen.ANONYMOUS_VISITOR_SHARE
    # properties are JSON with the documented keys
    keys = dict(con.execute("""
        select event_name, any_value(json_keys(properties)) from app_events
        where json_valid(properties) group by 1""").fetchall())
    assert set(keys) == set(gen.EVENT_NAMES)
    assert {"sku", "category", "price"} <= set(keys["product_viewed"])
    assert keys["feature_used"] == ["feature"] and keys["page_viewed"] == ["path"]
    features = _one(con, """select count(distinct properties->>'feature') from app_events
                            where event_name = 'feature_used' and json_valid(properties)""")[0]
    assert 10 <= features <= 15
