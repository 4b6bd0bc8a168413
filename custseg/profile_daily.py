"""A daily run of a customer feature, side by side with its full rebuild:
`python -m custseg.profile_daily MODEL [--database W] [--shift-days 1] [--rounds 2]`.

For the features that a daily run counts again only where values can have changed
(int_customers__engagement, __interests, __technographics, __lifecycle, __geography). The
as-of date is
moved by `--shift-days` (a copy of int_customers__base, and of the int_orders__purchases view
that reads it, in a scratch file; the warehouse is never written), then, alternating, each
round runs:
- full: the model's full-refresh SQL as `create table ... as`;
- daily: its incremental SQL against the stored table, then the delete and insert dbt runs for
  delete+insert, on a scratch copy of the stored table (the copy is not timed).
Prints wall and CPU seconds per run and their medians, then checks that the table after the
daily run holds the same rows as the full SQL (`except all` both ways, the full SQL's columns
but `_written_at`, the run's start). `--operators` then runs the daily SQL once more under
DuckDB's profiler and lists its slowest operators (as custseg.profile_model --operators).
`--through-view UPSTREAM` reads an upstream model through a view of its full-refresh SQL in both
runs (as custseg.profile_model --through-view): what the daily run would cost if UPSTREAM were
not stored.
The model's stored table must be current (built by this checkout: `dbt build` after a change
of its columns) and written after its inputs (as after a `dbt build`): right after `make bench`,
whose RFM runs rebuild the identity change logs with `--full-refresh`, every identifier counts
as changed and the daily run recounts every customer; `dbt run -s <model>` once first. Settings as custseg.profile_model; the machine is noisy, compare side by side.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

from custseg import paths
from custseg.profile_model import (
    compile_model,
    connect_scratch,
    print_operators,
    through_view,
)

SHIFTED = {  # relation read by the features -> its scratch copy over the moved as-of date
    "int_customers__base": "main.shifted_base",
    "int_orders__purchases": "main.shifted_purchases",
}


def _moved(sql: str, catalog: str) -> str:
    for model, copy in SHIFTED.items():
        sql = sql.replace(f'"{catalog}"."intermediate"."{model}"', copy)
    return sql


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("--database", type=Path, default=paths.warehouse_path())
    parser.add_argument("--shift-days", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--operators", action="store_true",
                        help="then the daily SQL's slowest operators (DuckDB's JSON profile)")
    parser.add_argument("--through-view", metavar="UPSTREAM",
                        help="read this upstream model through a view of its full-refresh SQL")
    ns = parser.parse_args(argv)
    database, catalog = ns.database.resolve(), ns.database.stem
    with tempfile.TemporaryDirectory() as target:
        full = compile_model(ns.model, database, Path(target) / "full")
        daily = compile_model(ns.model, database, Path(target) / "daily", incremental=True)
        purchases = compile_model("int_orders__purchases", database, Path(target) / "view")
        upstream = None
        if ns.through_view:
            (full, daily), upstream = through_view([full, daily], ns.through_view, database,
                                                   Path(target) / "upstream")
    full, daily = _moved(full, catalog), _moved(daily, catalog)
    stored = f'"{catalog}"."intermediate"."{ns.model}"'

    with tempfile.TemporaryDirectory() as scratch_dir:
        con = connect_scratch(scratch_dir, database)
        con.execute(f"create table shifted_base as select * replace "
                    f"(as_of_date + {ns.shift_days} as as_of_date) "
                    f'from "{catalog}"."intermediate"."int_customers__base"')
        con.execute(f"create view shifted_purchases as {_moved(purchases, catalog)}")
        if upstream:
            con.execute(f"create view main.{ns.through_view} as {_moved(upstream, catalog)}")
        con.execute("checkpoint")

        def timed(statements: list[str]) -> tuple[float, float]:
            started, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
            for statement in statements:
                con.execute(statement)
            con.execute("checkpoint")
            after = resource.getrusage(resource.RUSAGE_SELF)
            return (time.perf_counter() - started,
                    (after.ru_utime - cpu.ru_utime) + (after.ru_stime - cpu.ru_stime))

        runs: dict[str, list[tuple[float, float]]] = {"full": [], "daily": []}
        for number in range(ns.rounds):
            con.execute("drop table if exists full_rows")
            runs["full"].append(timed([f"create table full_rows as {full}"]))
            con.execute(f"create or replace table stored as select * from {stored}")
            con.execute("checkpoint")
            runs["daily"].append(timed([
                f"create temp table daily_rows as {daily}",
                "delete from stored where customer_id in (select customer_id from daily_rows)",
                "insert into stored select * from daily_rows",
                "drop table daily_rows",
            ]))
            for kind in ("full", "daily"):
                wall, cpu = runs[kind][-1]
                print(f"round {number + 1} {kind:5}: {wall:6.2f} s wall, {cpu:6.2f} s CPU")
        for kind, values in runs.items():
            print(f"median {kind:5}: {statistics.median(w for w, _ in values):6.2f} s wall, "
                  f"{statistics.median(c for _, c in values):6.2f} s CPU")
        columns = ", ".join(f'"{name}"' for (name,) in con.execute(
            "select column_name from duckdb_columns() where table_name = 'full_rows' "
            "and column_name <> '_written_at' order by column_index").fetchall())
        differ = con.execute(
            f"select count(*) from ((select {columns} from stored except all "
            f"select {columns} from full_rows) union all (select {columns} from full_rows "
            f"except all select {columns} from stored))").fetchone()[0]
        rows = con.execute("select count(*) from stored").fetchone()[0]
        if ns.operators:
            print("the daily SQL's slowest operators:")
            print_operators(con, f"create temp table daily_rows as {daily}", Path(scratch_dir))
        con.close()
    print(f"{rows:,} rows after the daily run; {differ} differ from the full SQL's")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
