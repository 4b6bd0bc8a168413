"""`make bench-postgres` / `python -m custseg.bench_engine --contacts N`: does a daily run follow
the new data on PostgreSQL too? The DuckDB bench (custseg.bench) measures the targets; this
measures the same two builds on the engine users move to when one file is not enough.

Against the PostgreSQL server of the SEGMENTATION_PG_* variables (the make target starts a
private one on 127.0.0.1 with analytic settings and stops it after): loads the raw data of a
scale as two loads, every row that arrived before the last day and then the last day (as
custseg.bench does), runs the full `dbt build` (models and data tests; unit tests belong to
CI) after the first and the incremental one after the second, and prints for each its wall
time, the dbt process's CPU seconds, the server's CPU seconds (the postmaster's own and its
ended backends', read from /proc: dbt's connections end with the command) and the slowest
models. Numbers only, never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

from custseg import paths
from custseg.bench import (
    Timed,
    _keep_run_results,
    _last_day,
    _slowest_models,
    _split_line,
    _timed,
    build_command,
)

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
SETTLE_SECONDS = 2


def server_cpu_seconds(stat_line: str) -> float:
    """User + system CPU seconds of a process and its waited-for children, from the text of
    /proc/<pid>/stat (fields 14-17 after the command name, which may hold spaces)."""
    fields = stat_line.rsplit(")", 1)[1].split()
    # fields[0] is field 3 (state): utime, stime, cutime, cstime are fields 14-17
    return sum(int(value) for value in fields[11:15]) / CLOCK_TICKS


def _postmaster_pid(data_dir: Path) -> int | None:
    pid_file = data_dir / "postmaster.pid"
    if not pid_file.exists():
        return None
    return int(pid_file.read_text().split()[0])


def _server_cpu(pid: int | None) -> float | None:
    if pid is None:
        return None
    try:
        return server_cpu_seconds(Path(f"/proc/{pid}/stat").read_text())
    except OSError:
        return None


def _timed_with_server(command: list[str], env: dict[str, str],
                       pid: int | None) -> tuple[Timed, float | None]:
    # a backend's CPU seconds reach the postmaster's count when it has ended and been reaped:
    # give the connections closed just before (the load's) and at dbt's exit a moment
    time.sleep(SETTLE_SECONDS)
    before = _server_cpu(pid)
    timed = _timed(command, env)
    time.sleep(SETTLE_SECONDS)
    after = _server_cpu(pid)
    return timed, (after - before if before is not None and after is not None else None)


def _report(name: str, timed: Timed, server_cpu: float | None, folder: Path) -> dict:
    slowest = _slowest_models(folder)
    split = _keep_run_results(folder, name)
    server = f", server {server_cpu:.0f} CPU s" if server_cpu is not None else ""
    print(f"  {name} build: {timed.seconds:.1f} s, dbt {timed.cpu_seconds:.0f} CPU s{server}; "
        f"slowest models: " + ", ".join(f"{model} {secs:.1f}s" for model, secs in slowest)
        + "; " + _split_line(split), flush=True)
    return {"seconds": timed.seconds, "dbt_cpu": timed.cpu_seconds, "server_cpu": server_cpu}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--pg-data", type=Path, default=paths.PROJECT_DIR / ".build/postgres/data",
                        help="the server's data folder, for its CPU seconds (scripts/postgres.sh)")
    ns = parser.parse_args(argv)
    if os.environ.get("SEGMENTATION_TARGET") != "postgres":
        raise SystemExit("set SEGMENTATION_TARGET=postgres and the SEGMENTATION_PG_* variables "
                         "(make bench-postgres does)")
    from custseg.cli import ensure_raw_data
    from custseg.load import LoadPart
    from custseg.load_engines import load_postgres

    folder = paths.data_dir() / "bench_postgres" / f"contacts_{ns.contacts}"
    folder.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, DBT_TARGET_PATH=str(folder / "target"), DBT_LOG_PATH=str(folder / "logs"),
               DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    raw_dir = ensure_raw_data(ns.contacts, ns.seed, dt.date(2026, 10, 31))
    split_at, _ = _last_day(raw_dir)
    pid = _postmaster_pid(ns.pg_data)
    build = build_command()

    print(f"[{ns.contacts:,} contacts, PostgreSQL] loading everything that arrived before "
          f"{split_at:%Y-%m-%d} ...", flush=True)
    load_postgres(raw_dir, progress=None, load=LoadPart("before", split_at, split_at))
    print(f"[{ns.contacts:,} contacts, PostgreSQL] full dbt build ...", flush=True)
    # --full-refresh: a server that already holds built schemas gets a real full build too
    full = _report("full", *_timed_with_server([*build, "--full-refresh"], env, pid), folder)

    print(f"[{ns.contacts:,} contacts, PostgreSQL] loading the last day, incremental build ...",
          flush=True)
    load_postgres(raw_dir, progress=None,
                  load=LoadPart("after", split_at, split_at + dt.timedelta(hours=23, minutes=59)))
    daily = _report("daily", *_timed_with_server(build, env, pid), folder)

    share = 100 * daily["seconds"] / full["seconds"]
    line = f"== {ns.contacts:,} contacts on PostgreSQL: daily run {share:.0f} % of the full build"
    if full["server_cpu"] and daily["server_cpu"] is not None:
        cpu_full = full["server_cpu"] + full["dbt_cpu"]
        cpu_daily = daily["server_cpu"] + daily["dbt_cpu"]
        line += f" ({100 * cpu_daily / cpu_full:.0f} % of its CPU seconds, server and dbt)"
    print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
