"""A BI-like reader for test_publish, run as its own process:

    python -m tests.python.marts_reader <published.duckdb> <observations.jsonl> <stop file>

Until the stop file exists it opens the published file read-only, reads in one transaction the
published build id and the row count and content checksum of a few marts, closes the
connection and appends one JSON line per observation (or per error, with the error) to the
observations file."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

from custseg.checksum import table_checksum

TABLES = ("dim_customers", "fct_customer_segments", "dim_segments", "agg_segment_summary")


def observe(database: Path) -> dict:
    con = duckdb.connect(str(database), read_only=True)
    try:
        con.execute("begin transaction")
        row = con.execute("select build_id from publish.publish_info").fetchone()
        tables = {table: list(table_checksum(con, "marts", table)) for table in TABLES}
        con.execute("commit")
        return {"build_id": row[0] if row else None, "tables": tables}
    finally:
        con.close()


def main(database: Path, out: Path, stop: Path) -> None:
    with out.open("a") as sink:
        while not stop.exists():
            try:
                record = observe(database)
            except Exception as error:  # every error is a finding: record it, keep reading
                record = {"error": f"{type(error).__name__}: {error}"}
            record["at"] = time.time()
            sink.write(json.dumps(record) + "\n")
            sink.flush()
            time.sleep(0.25)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
