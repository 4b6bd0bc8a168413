"""What DuckDB's checkpoint costs after rows of large tables were replaced:
`python -m custseg.checkpoint_cost --database W --table SCHEMA.TABLE [--table ...]
[--fraction 0.001] [--rounds 2]`.

A daily run replaces a few rows spread over some large tables (delete+insert of re-attributed
events, re-derived orders and order lines) and the first checkpoint of the run writes what they
changed; the bench's logs show it inside whichever statement crossed the threshold
(docs/decisions.md, "Checkpoints in the daily run"). This copies the warehouse into a scratch
folder beside it (the warehouse is never written; the copy is deleted at the end), opens the copy
with automatic checkpoints off, and prints the seconds of:
- the first checkpoint after opening, with nothing changed but a one-row table;
- for each round and each table in turn: one checkpoint after `--fraction` of the table's rows,
  taken every 1/fraction-th row by row id (so spread over the whole table, as re-attribution
  is; other rows each round), were deleted and inserted again in one transaction.
The copy needs the warehouse's size free on its disk. Numbers only; the machine is noisy.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from custseg import paths


def replace_rows(con, table: str, fraction: float, offset: int) -> int:
    """Delete and insert again every 1/fraction-th row of `table` (row ids equal to `offset`
    modulo 1/fraction: each round other rows); the number of rows replaced."""
    step = max(1, round(1 / fraction))
    picked = f"rowid % {step} = {offset % step}"
    con.execute("begin")
    con.execute(f"create temp table replaced as select * from {table} where {picked}")
    con.execute(f"delete from {table} where {picked}")
    con.execute(f"insert into {table} select * from replaced")
    rows = con.execute("select count(*) from replaced").fetchone()[0]
    con.execute("drop table replaced")
    con.execute("commit")
    return rows


def timed_checkpoint(con) -> float:
    started = time.perf_counter()
    con.execute("checkpoint")
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    import duckdb

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, default=paths.warehouse_path())
    parser.add_argument("--table", action="append", required=True,
                        help="schema.table whose rows are replaced (repeat for several)")
    parser.add_argument("--fraction", type=float, default=0.001)
    parser.add_argument("--rounds", type=int, default=2)
    ns = parser.parse_args(argv)
    database = ns.database.resolve()
    with tempfile.TemporaryDirectory(dir=database.parent) as scratch:
        copy = Path(scratch) / database.name
        started = time.perf_counter()
        shutil.copyfile(database, copy)
        print(f"copied {database.stat().st_size / 2**30:.1f} GiB in "
              f"{time.perf_counter() - started:.1f} s")
        con = duckdb.connect(str(copy))
        con.execute("set threads = 2; set checkpoint_threshold = '1TB'; "
                    "set preserve_insertion_order = false")
        con.execute("create table main.checkpoint_probe as select 1 as one")
        print(f"first checkpoint after opening: {timed_checkpoint(con):.2f} s")
        for number in range(ns.rounds):
            for table in ns.table:
                rows = replace_rows(con, table, ns.fraction, number)
                print(f"round {number + 1} {table}: {rows:,} rows replaced, checkpoint "
                      f"{timed_checkpoint(con):.2f} s")
        con.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
