"""`make bench` / `python -m custseg bench`: measure the project at stated scales and print the
numbers (never asserted in tests: the machine is noisy).

For each scale: generate (or reuse) the raw data and load it into a separate DuckDB file as two
loads: every row that arrived before the last day, then the last day. Then
- the full `dbt build` (models and data tests; unit tests belong to CI) of the first load:
  wall time and peak memory, and the slowest models from dbt's run_results.json;
- the floors of the build's large outputs on the same data (custseg/bench_peers.py FLOORS: one
  hand-written DuckDB statement per output, run once) and the full build's ratio to their sum;
- the incremental daily run: `dbt build` after appending the last day, its time as a share of
  the full build;
- the RFM table three ways, each in its own process, repeated, medians and ratios printed:
  the project's path (`dbt run -s +int_customers__rfm --full-refresh`: from the raw orders,
  dbt start-up included), the floor (one hand-written DuckDB query from the raw orders) and the
  pandas peer (group by + qcut).
Peak memory is the child process's maximum resident set size (GNU time), and GNU time's user +
system CPU seconds of the full build, the daily run and the floors are printed beside their wall
times: the targets are wall times, but on this noisy 2-core machine the CPU seconds (the work
done) compare runs of different days better. DuckDB's memory limit
is SEGMENTATION_DUCKDB_MEMORY_LIMIT when set, else 6GB here (the profile's default is 8GB): the
limit bounds DuckDB's buffer pool, not the whole process (dbt's Python, allocations outside the
pool), and the target is the process's peak under 8 GiB. DuckDB spills to disk beyond it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

from custseg import paths
from custseg.run_costs import node_group, seconds_by

TIME = "/usr/bin/time"
MEMORY_LIMIT = "6GB"


class Timed(NamedTuple):
    seconds: float  # wall
    peak_mib: float  # peak resident set size
    cpu_seconds: float  # user + system CPU of the process and the children it waited for
    stdout: str


def _timed(command: list[str], env: dict[str, str]) -> Timed:
    """Wall seconds, peak RSS, CPU seconds and stdout of a command run under GNU time. On this
    2-core machine the wall time of a run moves with the day (docs/benchmarks.md); its CPU
    seconds, the work done, move less, so the report gives both."""
    started = time.perf_counter()
    result = subprocess.run(
        [TIME, "-f", "__peak_kb=%M __cpu=%U+%S", *command],
        cwd=paths.PROJECT_DIR, env=env, capture_output=True, text=True,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    line = [line for line in result.stderr.splitlines() if line.startswith("__peak_kb=")][-1]
    fields = dict(field.split("=") for field in line.split())
    user, system = fields["__cpu"].split("+")
    return Timed(seconds, int(fields["__peak_kb"]) / 1024, float(user) + float(system),
                 result.stdout)


def bench_scale(contacts: int, seed: int, repeat: int, log=print, build_only: bool = False,
                reuse_load: bool = False, drop_raw_files: bool = False) -> dict:
    from custseg.cli import ensure_raw_data
    from custseg.load import load_duckdb

    folder = paths.data_dir() / "bench" / f"contacts_{contacts}"
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / "warehouse.duckdb"
    if reuse_load and not build_only:
        raise ValueError("--reuse-load goes with --build-only: the daily load needs the raw files")
    if drop_raw_files and not build_only:
        raise ValueError("--drop-raw-files goes with --build-only: the daily load needs the raw files")
    if reuse_load:
        log(f"[{contacts:,} contacts] reusing the first load in {database}, dropping the rest ...")
        _drop_built_schemas(database)
    else:
        raw_dir = ensure_raw_data(contacts, seed, dt.date(2026, 10, 31))
        for stale in folder.glob("warehouse.duckdb*"):
            stale.unlink()
        split_at, as_of = _last_day(raw_dir)
        log(f"[{contacts:,} contacts] loading everything that arrived before {split_at:%Y-%m-%d} ...")
        load_duckdb(raw_dir, database, progress=None, part="before", split_at=split_at,
                    loaded_at=split_at)
        if drop_raw_files:
            # the disk is the limit at 5 M: the build reads the warehouse, not the Parquet files
            log(f"[{contacts:,} contacts] deleting the generated files {raw_dir} (loaded) ...")
            shutil.rmtree(raw_dir)
    raw_rows = _raw_rows(database)
    env = dbt_env(folder, database, folder / "logs")
    dbt, flags = dbt_command()
    build = build_command()

    log(f"[{contacts:,} contacts] full dbt build ...")
    build_seconds, build_peak, build_cpu, _ = _timed(build, env)
    slowest = _slowest_models(folder)
    build_split = _keep_run_results(folder, "full")
    result = {"contacts": contacts, "raw_rows": raw_rows, "build_seconds": build_seconds,
              "build_peak_mib": build_peak, "build_cpu_seconds": build_cpu,
              "slowest_models": slowest, "build_split": build_split,
              "warehouse_gib": database.stat().st_size / 2**30,
              "memory_limit": env["SEGMENTATION_DUCKDB_MEMORY_LIMIT"]}
    if build_only:
        return result

    log(f"[{contacts:,} contacts] floor statements for the build's large outputs ...")
    _, floors_peak, floors_cpu, out = _timed(
        [sys.executable, "-m", "custseg.bench_peers", "floors", str(database),
         env["SEGMENTATION_DUCKDB_MEMORY_LIMIT"]], env)
    floors = [(name, float(seconds)) for name, seconds in
              (line.split() for line in out.splitlines()) if name != "total"]

    log(f"[{contacts:,} contacts] appending the last day and running the incremental build ...")
    append_last_day(raw_dir, database, split_at)
    new_rows = _raw_rows(database) - raw_rows
    incremental_seconds, incremental_peak, incremental_cpu, _ = _timed(build, env)
    slowest_daily = _slowest_models(folder)
    daily_split = _keep_run_results(folder, "daily")

    rfm_run = [*dbt, "run", "--select", "+int_customers__rfm", "--full-refresh",
               "--vars", json.dumps({"as_of_date": as_of.isoformat()}), *flags]
    runs: dict[str, list[tuple[float, float]]] = {"project": [], "floor": [], "pandas": []}
    for number in range(repeat):
        log(f"[{contacts:,} contacts] RFM comparison, round {number + 1}/{repeat} ...")
        seconds, peak, _, _ = _timed(rfm_run, env)
        runs["project"].append((seconds, peak))
        for kind in ("floor", "pandas"):
            _, peak, _, out = _timed([sys.executable, "-m", "custseg.bench_peers", kind,
                                      str(database)], env)
            runs[kind].append((float(out.split()[0]), peak))
    medians = {kind: (statistics.median(s for s, _ in values),
                      statistics.median(p for _, p in values))
               for kind, values in runs.items()}
    return {**result, "new_rows": new_rows,
            "incremental_seconds": incremental_seconds, "incremental_peak_mib": incremental_peak,
            "incremental_cpu_seconds": incremental_cpu, "floors_cpu_seconds": floors_cpu,
            "slowest_daily": slowest_daily, "daily_split": daily_split, "rfm": medians,
            "floors": floors, "floors_peak_mib": floors_peak, "repeat": repeat}


def append_last_day(raw_dir: Path, database: Path, split_at: dt.datetime) -> None:
    """The daily load: the rows that arrived from `split_at` on, stamped a day later."""
    from custseg.load import load_duckdb

    load_duckdb(raw_dir, database, progress=None, part="after", split_at=split_at,
                loaded_at=split_at + dt.timedelta(days=1))


def dbt_env(folder: Path, database: Path, logs: Path) -> dict[str, str]:
    """The environment of the bench's dbt runs on a scale's warehouse."""
    env = dict(os.environ, SEGMENTATION_DUCKDB_PATH=str(database),
               DBT_TARGET_PATH=str(folder / "target"), DBT_LOG_PATH=str(logs),
               SEGMENTATION_TARGET="duckdb", DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    env.setdefault("SEGMENTATION_DUCKDB_MEMORY_LIMIT", MEMORY_LIMIT)
    return env


def dbt_command() -> tuple[list[str], list[str]]:
    """dbt of this virtual environment, and the flags every bench run passes it."""
    return [str(Path(sys.executable).parent / "dbt")], ["--profiles-dir", str(paths.PROJECT_DIR)]


def build_command() -> list[str]:
    """The bench's full and daily build: models, seeds and data tests. Unit tests check the
    SQL, not the data; dbt's documentation keeps them to development and CI (`make test`)."""
    dbt, flags = dbt_command()
    return [*dbt, "build", "--exclude-resource-type", "unit_test", *flags]


def _drop_built_schemas(database: Path) -> None:
    """Keep what the load wrote (raw tables, ground truth) and drop every schema dbt builds, so
    the next build starts from nothing, as after a fresh load. For a scale whose raw files were
    deleted to free the disk (5 M contacts: 20 GB of Parquet, 38 minutes to generate). DuckDB
    reuses the freed blocks of the file; it does not shrink it."""
    import duckdb

    from custseg.contract import RAW_SCHEMA

    if not database.exists():
        raise FileNotFoundError(f"{database}: no earlier load to reuse; run without --reuse-load")
    con = duckdb.connect(str(database))
    try:
        schemas = [name for (name,) in con.execute(
            "select schema_name from information_schema.schemata "
            "where catalog_name = current_database()").fetchall()
            if name not in (RAW_SCHEMA, "ground_truth", "main", "information_schema", "pg_catalog")]
        for name in schemas:
            con.execute(f"drop schema {name} cascade")
        con.execute("checkpoint")
    finally:
        con.close()


def _keep_run_results(folder: Path, name: str) -> dict[str, float]:
    """Copy the last dbt command's run_results.json to run_results_<name>.json in the bench
    folder (every node's timing, for a closer look) and return its thread-seconds by group
    (`node_group`: staging, intermediate and mart models, tests, seeds, ...)."""
    text = (folder / "target" / "run_results.json").read_text()
    (folder / f"run_results_{name}.json").write_text(text)
    grouped = seconds_by(json.loads(text)["results"], lambda node: node_group(node["unique_id"]))
    return {group: secs for group, (_, secs) in grouped.items()}


def _split_line(split: dict[str, float]) -> str:
    total = sum(split.values())
    return f"{total:.0f} thread-seconds in nodes: " + ", ".join(
        f"{group} {secs:.0f}" for group, secs in sorted(split.items(), key=lambda item: -item[1]))


def _slowest_models(folder: Path, count: int = 5) -> list[tuple[str, float]]:
    """The slowest models of the last dbt command, from its run_results.json."""
    results = json.loads((folder / "target" / "run_results.json").read_text())["results"]
    return sorted(
        ((r["unique_id"].split(".")[-1], r["execution_time"]) for r in results
         if r["unique_id"].startswith("model.")),
        key=lambda item: -item[1],
    )[:count]


def _last_day(raw_dir: Path) -> tuple[dt.datetime, dt.date]:
    """The start of the last day of collected events (the daily load to append) and the as-of
    date the floor query uses (the last purchase date), for the project's RFM run."""
    import duckdb

    con = duckdb.connect()
    try:
        last_received, last_order = con.execute(
            f"select (select max(received_at) from read_parquet('{raw_dir / 'app_events.parquet'}')),"
            f" (select max(cast(ordered_at as date)) from "
            f"read_parquet('{raw_dir / 'shop_orders.parquet'}') "
            f"where lower(trim(status)) in ('completed', 'shipped') and contact_id is not null "
            f"and cast(ordered_at as date) <= current_date)"
        ).fetchone()
    finally:
        con.close()
    return dt.datetime.combine(last_received.date(), dt.time()), last_order


def _raw_rows(database: Path) -> int:
    import duckdb

    from custseg.contract import RAW_SCHEMA, RAW_TABLES

    con = duckdb.connect(str(database), read_only=True)
    try:
        return sum(con.execute(f"select count(*) from {RAW_SCHEMA}.{table}").fetchone()[0]
                   for table in RAW_TABLES)
    finally:
        con.close()


def report(result: dict) -> str:
    build = [
        f"== {result['contacts']:,} contacts ({result['raw_rows']:,} raw rows in the first load"
        + (f", {result['new_rows']:,} in the daily load" if "new_rows" in result else "")
        + f"; DuckDB memory_limit {result['memory_limit']})",
        f"  full dbt build (models + data tests): {result['build_seconds']:.1f} s, "
        f"peak {result['build_peak_mib']:.0f} MiB, "
        f"{result['build_seconds'] / result['raw_rows'] * 1e6:.2f} s per million raw rows; "
        f"warehouse file {result['warehouse_gib']:.1f} GiB",
        "  slowest models: " + ", ".join(f"{name} {secs:.1f}s"
                                         for name, secs in result["slowest_models"])
        + f"; {_split_line(result['build_split'])}",
    ]
    if "rfm" not in result:
        return "\n".join(build)
    rfm = result["rfm"]
    floor_s, pandas_s, project_s = rfm["floor"][0], rfm["pandas"][0], rfm["project"][0]
    floors_total = sum(secs for _, secs in result["floors"])
    lines = [
        *build[:2],
        f"  incremental daily run (dbt build after one new day): "
        f"{result['incremental_seconds']:.1f} s, peak {result['incremental_peak_mib']:.0f} MiB, "
        f"{result['incremental_seconds'] / result['build_seconds']:.0%} of the full build",
        f"  CPU seconds (user + system, the work behind the wall times): full build "
        f"{result['build_cpu_seconds']:.0f}, daily run {result['incremental_cpu_seconds']:.0f} "
        f"({result['incremental_cpu_seconds'] / result['build_cpu_seconds']:.0%} of the full "
        f"build's), floors {result['floors_cpu_seconds']:.0f} (full build / floors "
        f"{result['build_cpu_seconds'] / result['floors_cpu_seconds']:.1f}x)",
        build[2],
        f"  floors of the large outputs (one hand-written DuckDB statement each, written as "
        f"tables): {floors_total:.1f} s, peak {result['floors_peak_mib']:.0f} MiB; "
        f"full build / sum of floors {result['build_seconds'] / floors_total:.1f}x (target 2x): "
        + ", ".join(f"{name} {secs:.1f}s" for name, secs in result["floors"]),
        "  slowest models of the daily run: " + ", ".join(
            f"{name} {secs:.1f}s" for name, secs in result["slowest_daily"])
        + f"; {_split_line(result['daily_split'])}",
        f"  RFM table, median of {result['repeat']} (seconds / peak MiB):",
        f"    floor (one DuckDB query)      {floor_s:8.2f} s  {rfm['floor'][1]:7.0f} MiB",
        f"    pandas peer (groupby + qcut)  {pandas_s:8.2f} s  {rfm['pandas'][1]:7.0f} MiB",
        f"    project (dbt run +rfm --full-refresh, start-up included) {project_s:8.2f} s  "
        f"{rfm['project'][1]:7.0f} MiB",
        f"    ratios: project / floor {project_s / floor_s:.1f}x, "
        f"project / pandas {project_s / pandas_s:.2f}x, pandas / floor {pandas_s / floor_s:.1f}x",
    ]
    return "\n".join(lines)


def main(scales: list[int], seed: int = paths.DEFAULT_SEED, repeat: int = 3,
         build_only: bool = False, reuse_load: bool = False, drop_raw_files: bool = False) -> int:
    results = []
    for contacts in scales:
        results.append(bench_scale(contacts, seed, repeat, build_only=build_only,
                                   reuse_load=reuse_load, drop_raw_files=drop_raw_files))
        print(report(results[-1]), flush=True)
    for smaller, larger in zip(results, results[1:]):
        data = larger["raw_rows"] / smaller["raw_rows"]
        cost = larger["build_seconds"] / smaller["build_seconds"]
        print(f"== growth {smaller['contacts']:,} -> {larger['contacts']:,} contacts: "
              f"{data:.1f}x the raw rows took {cost:.1f}x the full build time "
              f"({cost / data:.2f}x per row)", flush=True)
    return 0
