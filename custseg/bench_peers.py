"""The two RFM computations the benchmark compares the project with, each run in its own process
so that its peak memory can be measured (`python -m custseg.bench_peers floor|pandas ...`):

- floor: one hand-written DuckDB query from the raw orders to an RFM table: the least work any
  implementation must do (no cleaning, no identity resolution, no currency conversion);
- pandas: RFM the way the common Python tutorials and CLV libraries do it: load the orders into
  a DataFrame, group by customer, score with qcut.

Each prints one line: `<seconds> <rows>`.
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
        from raw.shop_orders
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


def floor(database: str) -> tuple[float, int]:
    con = duckdb.connect(database, read_only=True)
    started = time.perf_counter()
    rows = con.execute(f"select count(*) from ({FLOOR_RFM})").fetchone()[0]
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
    seconds, rows = floor(database) if kind == "floor" else pandas_peer(database)
    print(f"{seconds:.3f} {rows}")
