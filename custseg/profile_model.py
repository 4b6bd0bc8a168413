"""Where a model's time goes: `python -m custseg.profile_model MODEL [--database W] [--explain]
[--incremental]`.

Compiles the model as a full refresh (or, with --incremental, as the incremental run would
against the warehouse's current tables) against a built warehouse (a bench warehouse such as
data/bench/contacts_1000000/warehouse.duckdb), then runs its SQL as `create table ... as` in a
scratch DuckDB file that attaches the warehouse read-only, with the profile's DuckDB settings
(2 threads unless SEGMENTATION_THREADS, the memory limit of SEGMENTATION_DUCKDB_MEMORY_LIMIT or
6GB, no insertion order). Prints wall seconds, CPU seconds (user + system) and peak memory;
`--explain` prints DuckDB's EXPLAIN ANALYZE tree instead of timing alone; `--operators` prints
the operators flat, slowest first, with their rows and their share of the operator time (the
tree of a wide model does not fit a terminal). `--through-view UPSTREAM` reads the upstream
model through a view of its full-refresh SQL (created in the scratch file) instead of its stored
table: what the model would cost if UPSTREAM were not written (compare with the same command
without it, and with `profile_model UPSTREAM` for what the table costs). Given several times it
reads a chain through views, nearest upstream first: `int_events__attributed --through-view
stg_app__events --through-view base_app__events` computes the attribution from the raw events
in one statement, what writing the events once would cost. The warehouse is never written.
Numbers only; the machine is noisy, so compare variants side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from custseg import paths


def compile_model(model: str, database: Path, target: Path, incremental: bool = False) -> str:
    env = dict(os.environ, SEGMENTATION_DUCKDB_PATH=str(database), SEGMENTATION_TARGET="duckdb",
               DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "compile", "--select", model,
         *([] if incremental else ["--full-refresh"]), "--target-path", str(target),
         "--profiles-dir", str(paths.PROJECT_DIR)],
        cwd=paths.PROJECT_DIR, env=env, capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"dbt compile failed:\n{result.stdout[-3000:]}")
    found = list((target / "compiled").rglob(f"{model}.sql"))
    if not found:
        raise SystemExit(f"no compiled SQL for {model}")
    return found[0].read_text()


def _swap_relation(sql: str, upstream: str, view: str) -> tuple[str, int]:
    """`sql` with every reference to the relation of the model `upstream` (a quoted
    "database"."schema"."model" name, as dbt-duckdb compiles a ref) replaced by `view`, and how
    many there were."""
    pattern = re.compile(r'"[^"]+"\."[^"]+"\."' + re.escape(upstream) + '"')
    return pattern.subn(view, sql)


def swap_chain(sqls: list[str], view_sqls: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """`sqls` and the views' SQL (upstream model -> its full-refresh SQL, nearest upstream
    first), each reading main.<upstream> wherever it read one of the upstream models. Every
    upstream must be read by `sqls` or by another view, else the chain is broken. The views
    come back farthest first, the order to create them in (DuckDB binds a view when it is
    created, so what it reads must exist)."""
    reads = dict.fromkeys(view_sqls, 0)

    def swapped(sql: str, own: str | None = None) -> str:
        for upstream in view_sqls:
            if upstream != own:
                sql, count = _swap_relation(sql, upstream, f"main.{upstream}")
                reads[upstream] += count
        return sql

    sqls = [swapped(sql) for sql in sqls]
    views = {upstream: swapped(sql, upstream) for upstream, sql in view_sqls.items()}
    unread = [upstream for upstream, count in reads.items() if count == 0]
    if unread:
        raise SystemExit(f"neither the compiled SQL nor another upstream's view reads "
                         f"{', '.join(unread)}")
    return sqls, dict(reversed(views.items()))


def through_views(sqls: list[str], upstreams: list[str], database: Path,
                  target: Path) -> tuple[list[str], dict[str, str]]:
    """`sqls` reading a chain of upstream models through views of their full-refresh SQL
    (`--through-view` given once or more, nearest upstream first), and the views to create."""
    view_sqls = {upstream: compile_model(upstream, database, target / upstream)
                 for upstream in upstreams}
    return swap_chain(sqls, view_sqls)


def through_view(sqls: list[str], upstream: str, database: Path,
                 target: Path) -> tuple[list[str], str]:
    """`sqls` reading the model `upstream` through the view main.<upstream>, and that view's
    SQL (the upstream model's full-refresh SQL): one link of `through_views`."""
    sqls, views = through_views(sqls, [upstream], database, target)
    return sqls, views[upstream]


def operator_times(profile: dict) -> list[tuple[float, int, str]]:
    """(seconds, rows, name) of every operator in a DuckDB JSON profile, slowest first."""
    found: list[tuple[float, int, str]] = []
    # DuckDB 2.0 lists the plan under "operator"; older versions under "children"
    stack = list(profile.get("operator", profile.get("children", [])))
    while stack:
        node = stack.pop()
        stack.extend(node.get("children", []))
        extra = node.get("extra_info") or {}
        detail = " ".join(f"{key}: {value}" for key, value in extra.items()
                          if key in ("Join Type", "Aggregates", "Groups", "Table", "Function",
                                     "CTE Name", "Expression", "Projections"))
        name = node.get("type") or node.get("operator_name") or node.get("operator_type") or "?"
        found.append((float(node.get("timing", node.get("operator_timing", 0.0))),
                      int(node.get("intermediate_rows", node.get("operator_cardinality", 0))),
                      f"{name.strip()} {detail}"[:160]))
    return sorted(found, reverse=True)


def print_operators(con, statement: str, scratch_dir: Path, top: int = 25) -> None:
    """Runs `statement` with DuckDB's JSON profiling and prints its slowest operators."""
    profile_path = scratch_dir / "profile.json"
    con.execute("set enable_profiling = 'json'")
    con.execute(f"set profiling_output = '{profile_path}'")
    con.execute(statement)
    con.execute("set enable_profiling = 'no_output'")
    times = operator_times(json.loads(profile_path.read_text()))
    total = sum(seconds for seconds, _, _ in times) or 1.0
    for seconds, rows, name in times[:top]:
        print(f"{seconds:8.2f} s {100 * seconds / total:5.1f} % {rows:>12,} rows  {name}")
    print(f"{total:8.2f} s operator time in all ({len(times)} operators)")


def connect_scratch(scratch_dir: str, database: Path):
    """A scratch DuckDB file in `scratch_dir` with the warehouse attached read-only (under its
    file name, as the compiled SQL names it) and the profile's settings."""
    import duckdb

    con = duckdb.connect(str(Path(scratch_dir) / "scratch.duckdb"))
    con.execute(f"attach '{database}' as {database.stem} (read_only)")
    con.execute(
        f"set threads = {int(os.environ.get('SEGMENTATION_THREADS', '2'))}; "
        f"set memory_limit = '{os.environ.get('SEGMENTATION_DUCKDB_MEMORY_LIMIT', '6GB')}'; "
        "set preserve_insertion_order = false; set TimeZone = 'UTC'; "
        f"set temp_directory = '{scratch_dir}/spill'"
    )
    return con


def run(sql: str, database: Path, explain: bool, operators: bool = False,
        views: dict[str, str] | None = None) -> None:
    with tempfile.TemporaryDirectory() as scratch_dir:
        con = connect_scratch(scratch_dir, database)
        for name, view_sql in (views or {}).items():
            con.execute(f"create view main.{name} as {view_sql}")
        started, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
        if operators:
            print_operators(con, f"create table main.profiled as {sql}", Path(scratch_dir))
        elif explain:
            print(con.execute(f"explain analyze create table main.profiled as {sql}")
                  .fetchall()[0][1])
        else:
            con.execute(f"create table main.profiled as {sql}")
            con.execute("checkpoint")
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_SELF)
        rows = con.execute("select count(*) from main.profiled").fetchone()[0]
        con.close()
    cpu_seconds = (after.ru_utime - cpu.ru_utime) + (after.ru_stime - cpu.ru_stime)
    print(f"{rows:,} rows: {wall:.2f} s wall, {cpu_seconds:.2f} s CPU, "
          f"peak {after.ru_maxrss / 1024:.0f} MiB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("--database", type=Path, default=paths.warehouse_path())
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--operators", action="store_true",
                        help="operators flat, slowest first (DuckDB's JSON profile)")
    parser.add_argument("--incremental", action="store_true",
                        help="compile the incremental run's SQL (the model's table must exist)")
    parser.add_argument("--through-view", metavar="UPSTREAM", action="append", default=[],
                        help="read this upstream model through a view of its full-refresh SQL; "
                             "again for a chain, nearest upstream first")
    ns = parser.parse_args(argv)
    database = ns.database.resolve()
    views: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as target:
        sql = compile_model(ns.model, database, Path(target), ns.incremental)
    if ns.through_view:
        with tempfile.TemporaryDirectory() as target:
            [sql], views = through_views([sql], ns.through_view, database, Path(target))
    run(sql, database, ns.explain, ns.operators, views)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
