"""The two RFM computations the benchmark compares the project with, each run in its own process
so that its peak memory can be measured (`python -m custseg.bench_peers floor|pandas ...`):

- floor: one hand-written DuckDB query from the raw orders to an RFM table: the least work any
  implementation must do (no cleaning, no identity resolution, no currency conversion);
- pandas: RFM the way the common Python tutorials and CLV libraries do it: load the orders into
  a DataFrame, group by customer, score with qcut;
- floors: one hand-written DuckDB statement per large output of the build (staged events with
  their customer, order lines, orders, contacts, RFM, engagement and value features, segment
  membership), each written as a table into a scratch file, the way the build writes its
  models. They skip what the project adds on top (validation and rejection reasons, exact
  cross-engine rounding, identity stitching of devices, 59 segment rules, history, data tests),
  so their sum is a lower bound for the same outputs, not a competitor.

floor and pandas print one line: `<seconds> <rows>`; floors prints `<name> <seconds>` per
statement and `total <seconds>`.
"""

from __future__ import annotations

import sys
import time

import duckdb

FLOOR_RFM = """
    with purchases as (
        select
            contact_id,
            cast(ordered_at as date) as ordered_date,
            gross_amount - coalesce(discount_amount, 0) - coalesce(refunded_amount, 0) as net
        from {raw}.shop_orders
        where lower(trim(status)) in ('completed', 'shipped') and contact_id is not null
    ),
    as_of as (select max(ordered_date) as as_of_date from purchases
              where ordered_date <= current_date),
    totals as (
        select
            contact_id,
            min(as_of.as_of_date - ordered_date) as recency_days,
            count(*) filter (where as_of.as_of_date - ordered_date < 365) as frequency,
            coalesce(sum(net) filter (where as_of.as_of_date - ordered_date < 365), 0) as monetary
        from purchases cross join as_of
        where ordered_date <= as_of.as_of_date
        group by contact_id
    )
    select
        contact_id, recency_days, frequency, monetary,
        ntile(5) over (order by recency_days desc) as r_score,
        ntile(5) over (order by frequency) as f_score,
        ntile(5) over (order by monetary) as m_score
    from totals
"""


# Each statement reads the warehouse's raw tables (attached as `w`) or an earlier floor's table.
FLOORS = {
    "events": """
        create table f_events as
        select
            e.event_id, e.anonymous_id, e.user_id, e.session_id, e.user_id as customer_id,
            lower(trim(e.event_name)) as event_name, e.page_url, e.utm_source, e.utm_medium,
            e.utm_campaign, e.device_type, e.browser, e.os, upper(trim(e.ip_country)) as ip_country,
            case when json_valid(e.properties)
                then json_extract_string(e.properties, '$.feature') end as feature_name,
            case when json_valid(e.properties)
                then json_extract_string(e.properties, '$.category') end as product_category,
            cast(e.occurred_at as date) as event_date, e.occurred_at as event_at
        from w.raw.app_events as e
        qualify row_number() over (partition by e.event_id order by e.received_at) = 1
    """,
    "order_lines": """
        create table f_order_lines as
        select order_item_id, order_id, sku, category, quantity, quantity * unit_price as amount
        from w.raw.shop_order_items
        qualify row_number() over (partition by order_item_id order by _loaded_at) = 1
    """,
    "orders": """
        create table f_orders as
        select
            o.order_id, o.contact_id as customer_id, lower(trim(o.status)) as status,
            cast(o.ordered_at as date) as ordered_date,
            cast(round((o.gross_amount - coalesce(o.discount_amount, 0)
                        - coalesce(o.refunded_amount, 0)) / c.units_per_usd, 2)
                 as decimal(18, 2)) as net_amount_usd
        from w.raw.shop_orders as o
        left join w.reference.currencies as c on upper(trim(o.currency)) = c.currency_code
        qualify row_number() over (partition by o.order_id order by o.updated_at desc) = 1
    """,
    "contacts": """
        create table f_contacts as
        select * exclude (is_deleted)
        from w.raw.crm_contacts
        qualify row_number() over (partition by contact_id order by updated_at desc) = 1
            and not coalesce(is_deleted, false)
    """,
    "rfm": "create table f_rfm as " + FLOOR_RFM.format(raw="w.raw"),
    "engagement": """
        create table f_engagement as
        with as_of as (select max(event_date) as as_of_date from f_events)
        select
            customer_id,
            count(*) filter (where as_of_date - event_date < 7) as events_7d,
            count(*) filter (where as_of_date - event_date < 30) as events_30d,
            count(*) filter (where as_of_date - event_date < 90) as events_90d,
            count(distinct session_id) filter (where as_of_date - event_date < 30) as sessions_30d,
            count(distinct feature_name) filter (where as_of_date - event_date < 90)
                as features_90d,
            max(event_date) as last_seen_date
        from f_events cross join as_of
        where customer_id is not null
        group by customer_id
    """,
    "value": """
        create table f_value as
        select
            customer_id, count(*) as orders, sum(net_amount_usd) as revenue,
            avg(net_amount_usd) as average_order_value, min(ordered_date) as first_order_date
        from f_orders
        where status in ('completed', 'shipped') and customer_id is not null
        group by customer_id
    """,
    "segments": """
        create table f_segments as
        select c.contact_id as customer_id, unnest(list_filter([
            case when r_score >= 4 and f_score >= 4 then 'champions' end,
            case when r_score <= 2 and f_score >= 3 then 'at_risk' end,
            case when r_score = 1 then 'hibernating' end,
            case when m_score = 5 then 'high_value' end,
            case when events_30d >= 20 then 'power_users' end,
            case when coalesce(events_90d, 0) = 0 then 'dormant' end,
            case when orders = 1 then 'one_time_buyers' end
        ], lambda x: x is not null)) as segment
        from f_contacts as c
        left join f_rfm as r on c.contact_id = r.contact_id
        left join f_engagement as e on c.contact_id = e.customer_id
        left join f_value as v on c.contact_id = v.customer_id
    """,
}


def floors(database: str, memory_limit: str) -> list[tuple[str, float]]:
    """Runs FLOORS in order into a scratch DuckDB file; (name, seconds) of each."""
    import tempfile

    timings = []
    with tempfile.TemporaryDirectory() as scratch:
        con = duckdb.connect(f"{scratch}/floors.duckdb")
        con.execute(f"set threads = 2; set memory_limit = '{memory_limit}'; "
                    "set preserve_insertion_order = false; set TimeZone = 'UTC'")
        con.execute(f"attach '{database}' as w (read_only)")
        for name, statement in FLOORS.items():
            started = time.perf_counter()
            con.execute(statement)
            con.execute("checkpoint")
            timings.append((name, time.perf_counter() - started))
        con.close()
    return timings


def floor(database: str) -> tuple[float, int]:
    con = duckdb.connect(database, read_only=True)
    started = time.perf_counter()
    rows = con.execute(f"select count(*) from ({FLOOR_RFM.format(raw='raw')})").fetchone()[0]
    seconds = time.perf_counter() - started
    con.close()
    return seconds, int(rows)


def pandas_peer(database: str) -> tuple[float, int]:
    import pandas as pd

    started = time.perf_counter()
    con = duckdb.connect(database, read_only=True)
    orders = con.execute(
        "select contact_id, ordered_at, status, gross_amount, discount_amount, refunded_amount "
        "from raw.shop_orders"
    ).df()
    con.close()
    orders = orders[orders["status"].str.strip().str.lower().isin(["completed", "shipped"])]
    orders = orders.dropna(subset=["contact_id"])
    orders["net"] = (orders["gross_amount"].astype(float)
                     - orders["discount_amount"].fillna(0).astype(float)
                     - orders["refunded_amount"].fillna(0).astype(float))
    orders["ordered_date"] = pd.to_datetime(orders["ordered_at"]).dt.normalize()
    as_of = orders.loc[orders["ordered_date"] <= pd.Timestamp.now(), "ordered_date"].max()
    orders = orders[orders["ordered_date"] <= as_of]
    orders["age"] = (as_of - orders["ordered_date"]).dt.days
    recent = orders[orders["age"] < 365]
    rfm = orders.groupby("contact_id").agg(recency_days=("age", "min"))
    rfm["frequency"] = recent.groupby("contact_id").size()
    rfm["monetary"] = recent.groupby("contact_id")["net"].sum()
    rfm = rfm.fillna({"frequency": 0, "monetary": 0.0})
    labels = [1, 2, 3, 4, 5]
    rfm["r_score"] = pd.qcut(rfm["recency_days"].rank(method="first", ascending=False), 5,
                             labels=labels)
    rfm["f_score"] = pd.qcut(rfm["frequency"].rank(method="first"), 5, labels=labels)
    rfm["m_score"] = pd.qcut(rfm["monetary"].rank(method="first"), 5, labels=labels)
    return time.perf_counter() - started, len(rfm)


if __name__ == "__main__":
    kind, database = sys.argv[1], sys.argv[2]
    if kind == "floors":
        timings = floors(database, sys.argv[3] if len(sys.argv) > 3 else "6GB")
        for name, seconds in timings:
            print(f"{name} {seconds:.3f}")
        print(f"total {sum(seconds for _, seconds in timings):.3f}")
        sys.exit(0)
    seconds, rows = floor(database) if kind == "floor" else pandas_peer(database)
    print(f"{seconds:.3f} {rows}")
