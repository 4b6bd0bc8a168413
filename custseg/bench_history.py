"""The history models after one new as-of date, incremental against a full rebuild:
`python -m custseg.bench_history --database COPY [--past-dates 28] [--rounds 3]`.

`make bench` builds two as-of dates per scale (the full build and the daily run), where an
incremental run of the history models reads as much as a full rebuild. Their cost shows once
many dates are built, as in a year of daily runs. This script takes a copy of a built bench
warehouse (it WRITES to it: `cp data/bench/contacts_100000/warehouse.duckdb /tmp/h.duckdb`),
adds `--past-dates` synthetic as-of dates before the earliest built one (copies of its
snapshot rows, each date losing a different 5 % of them, so stays begin and end), then per
round appends one new date after the latest (a copy of the latest date's rows, 5 % left out,
stamped now, as the snapshot model would write it) and runs the models built from the
snapshots twice: incrementally, then with `--full-refresh` (what every run cost before session
8). Prints per model the median seconds of both (from dbt's run_results.json) and the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from custseg import paths

SNAPSHOTS = "marts.fct_customer_segment_snapshots"
MODELS = ["--select", "fct_customer_segment_snapshots+",
          "--exclude", "fct_customer_segment_snapshots", "fct_segment_size_snapshots"]


def _dbt(args: list[str], env: dict[str, str], target: Path) -> tuple[float, dict[str, float]]:
    started = time.perf_counter()
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), *args, "--profiles-dir", str(paths.PROJECT_DIR)],
        cwd=paths.PROJECT_DIR, env=env, capture_output=True, text=True,
    )
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"dbt {' '.join(args)} failed:\n{result.stdout[-3000:]}")
    nodes = json.loads((target / "run_results.json").read_text())["results"]
    return wall, {node["unique_id"].split(".")[-1]: node["execution_time"] for node in nodes
                  if node["unique_id"].startswith("model.")}


def _execute(database: Path, sql: str) -> tuple:
    con = duckdb.connect(str(database))
    try:
        return con.execute(sql).fetchone()
    finally:
        con.close()


def _copy_date(database: Path, offset_sql: str, stamp_sql: str, salt: int, source: str) -> None:
    """Insert a copy of one built date's snapshot rows at another date, 5 % of them left out."""
    _execute(database, f"""
        insert into {SNAPSHOTS}
        select * replace ({offset_sql} as as_of_date, {stamp_sql} as _written_at)
        from {SNAPSHOTS}
        where as_of_date = {source} and hash(customer_id, segment_key, {salt}) % 20 <> 0
    """)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, required=True,
                        help="a COPY of a built warehouse; it is written to")
    parser.add_argument("--past-dates", type=int, default=28)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    target = Path(os.environ.get("TMPDIR", "/tmp")) / "custseg_bench_history_target"
    env = dict(os.environ, SEGMENTATION_DUCKDB_PATH=str(args.database.resolve()),
               SEGMENTATION_TARGET="duckdb", DBT_TARGET_PATH=str(target),
               DBT_LOG_PATH=str(target / "logs"), DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    env.setdefault("SEGMENTATION_DUCKDB_MEMORY_LIMIT", "6GB")

    # The snapshots gain `_written_at` if the copy predates it; the history models start from
    # a full build.
    _dbt(["run", "--select", "fct_customer_segment_snapshots+",
          "--exclude", "fct_segment_size_snapshots", "--full-refresh"], env, target)
    earliest = f"cast('{_execute(args.database, f'select min(as_of_date) from {SNAPSHOTS}')[0]}' as date)"
    for day in range(1, args.past_dates + 1):
        _copy_date(args.database, f"{earliest} - interval {day} day",
                   "cast(null as timestamp)", day, earliest)
    _dbt(["run", *MODELS, "--full-refresh"], env, target)

    newest_built = f"cast('{_execute(args.database, f'select max(as_of_date) from {SNAPSHOTS}')[0]}' as date)"
    rounds = []
    for number in range(1, args.rounds + 1):
        _copy_date(args.database, f"{newest_built} + interval {number} day",
                   "cast(now() as timestamp)", 1000 + number, newest_built)
        incremental = _dbt(["run", *MODELS], env, target)
        full = _dbt(["run", *MODELS, "--full-refresh"], env, target)
        rounds.append((incremental[1], full[1]))
        dates, rows = _execute(args.database,
                               f"select count(distinct as_of_date), count(*) from {SNAPSHOTS}")
        print(f"round {number}: {dates} as-of dates, {rows:,} snapshot rows; dbt wall "
              f"incremental {incremental[0]:.1f} s, full rebuild {full[0]:.1f} s", flush=True)

    print(f"{'model (median seconds)':36s} {'incremental':>12s} {'full rebuild':>13s} {'ratio':>6s}")
    totals = ([sum(inc.values()) for inc, _ in rounds], [sum(full.values()) for _, full in rounds])
    for model in sorted(rounds[0][0]):
        inc = statistics.median(r[0][model] for r in rounds)
        full = statistics.median(r[1][model] for r in rounds)
        print(f"{model:36s} {inc:12.2f} {full:13.2f} {full / inc:5.1f}x")
    inc, full = statistics.median(totals[0]), statistics.median(totals[1])
    print(f"{'all models (thread-seconds)':36s} {inc:12.2f} {full:13.2f} {full / inc:5.1f}x")


if __name__ == "__main__":
    main()
