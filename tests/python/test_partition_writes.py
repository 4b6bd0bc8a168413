"""custseg.partition_writes counts what the newest run wrote, checked on a hand-made DuckDB
table (the same SQL runs on Spark)."""

from __future__ import annotations

import duckdb

from custseg.partition_writes import MONTH_PARTITIONED, newest_write


def test_newest_write_counts_the_rows_and_months_of_the_latest_stamp() -> None:
    con = duckdb.connect()
    con.execute("create schema intermediate")
    con.execute("""
        create table intermediate.t as
        select * from (values
            (date '2026-01-01', timestamp '2026-02-01 00:00:00'),
            (date '2026-01-01', timestamp '2026-02-01 00:00:00'),
            (date '2026-02-01', timestamp '2026-03-01 00:00:00'),
            (date '2026-03-01', timestamp '2026-03-01 00:00:00'),
            (date '2026-03-01', timestamp '2026-03-01 00:00:00')
        ) as rows(event_month, _written_at)
    """)
    fetch = lambda sql: con.execute(sql).fetchall()  # noqa: E731
    assert newest_write(fetch, "intermediate", "t", "event_month") == (5, 3, 3, 2)


def test_the_listed_tables_are_the_models_partitioned_by_month() -> None:
    from pathlib import Path

    models = Path(__file__).resolve().parents[2] / "models"
    for _, table, month in MONTH_PARTITIONED:
        sql = next(models.rglob(f"{table}.sql")).read_text()
        assert f"partition_by=('{month}' if target.type == 'spark'" in sql, table
