"""How much of each month-partitioned Spark table the newest run wrote:
`python -m custseg.partition_writes` (reads the local Spark warehouse, SEGMENTATION_SPARK_DIR,
default .build/spark, as `make test-spark` leaves it).

On Spark the event and order models replace whole months (insert_overwrite of the partitions a
run touches, docs/decisions.md "Events and orders on Spark"). After a daily run this prints, per
table, its rows and months and how many of them carry the newest `_written_at`: what the run
rewrote. A full build writes every row; a daily run should write a few months.
"""

from __future__ import annotations

from collections.abc import Callable

# (schema, table, month partition column) of the tables Spark replaces by month
MONTH_PARTITIONED = (
    ("staging", "stg_shop__orders", "order_month"),
    ("intermediate", "int_orders__attributed", "order_month"),
    ("intermediate", "int_order_items__attributed", "order_month"),
    ("intermediate", "int_events__attributed", "event_month"),
    ("intermediate", "int_events__daily_rollup", "event_month"),
    ("intermediate", "int_events__utm_touches", "event_month"),
)


def newest_write(fetch: Callable[[str], list[tuple]], schema: str, table: str,
                 month: str) -> tuple[int, int, int, int]:
    """(rows, months, rows of the newest write, months of the newest write) of one table;
    `fetch` runs a query and returns its rows (engine-neutral SQL)."""
    rows = fetch(f"""
        with newest as (select max(_written_at) as written_at from {schema}.{table})
        select
            count(*),
            count(distinct stored.{month}),
            sum(case when stored._written_at = newest.written_at then 1 else 0 end),
            count(distinct case when stored._written_at = newest.written_at
                then stored.{month} end)
        from {schema}.{table} as stored
        cross join newest
    """)
    return tuple(int(value or 0) for value in rows[0])  # type: ignore[return-value]


def main() -> int:
    from custseg.load_engines import spark_session

    spark = spark_session()

    def fetch(sql: str) -> list[tuple]:
        return [tuple(row) for row in spark.sql(sql).collect()]

    print(f"{'table':32s} {'rows':>10s} {'months':>7s} {'newest run: rows':>17s} {'months':>7s}")
    for schema, table, month in MONTH_PARTITIONED:
        rows, months, written_rows, written_months = newest_write(fetch, schema, table, month)
        print(f"{table:32s} {rows:10,d} {months:7d} {written_rows:17,d} {written_months:7d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
