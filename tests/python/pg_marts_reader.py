"""A BI-like reader of the published marts on PostgreSQL, for test_engines, run as its own
process:

    python -m tests.python.pg_marts_reader <observations.jsonl> <stop file>

Until the stop file exists it connects (settings from the SEGMENTATION_PG_* variables), reads
in one REPEATABLE READ transaction, one statement per table, the published build id and the
row count and content checksum of a few marts, disconnects and appends one JSON line per
observation (or per error, with the error) to the observations file."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

TABLES = ("publish_info", "dim_customers", "fct_customer_segments", "agg_segment_summary")


def checksum_sql(schema: str, table: str) -> str:
    """Row count and md5 of the sorted rows as text; publish_info's published_at is the only
    column that differs between two publishes of one build, and it is the build's own."""
    return (f"select count(*), md5(coalesce(string_agg(t::text, '|' order by t::text), '')) "
            f"from {schema}.{table} as t")


def observe(con) -> dict:  # type: ignore[no-untyped-def]
    with con.cursor() as cur:
        cur.execute("begin isolation level repeatable read")
        cur.execute("select build_id from marts.publish_info")
        row = cur.fetchone()
        tables = {}
        for table in TABLES:
            cur.execute(checksum_sql("marts", table))
            tables[table] = list(cur.fetchone())
        cur.execute("commit")
    return {"build_id": row[0] if row else None, "tables": tables}


def main(out: Path, stop: Path) -> None:
    import psycopg2

    from custseg.load_engines import postgres_settings

    with out.open("a") as sink:
        while not stop.exists():
            try:
                con = psycopg2.connect(**postgres_settings())
                con.autocommit = True  # the transaction is the explicit begin ... commit
                try:
                    record = observe(con)
                finally:
                    con.close()
            except Exception as error:  # every error is a finding: record it, keep reading
                record = {"error": f"{type(error).__name__}: {error}"}
            record["at"] = time.time()
            sink.write(json.dumps(record) + "\n")
            sink.flush()
            time.sleep(0.05)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
