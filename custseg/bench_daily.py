"""The bench's daily run under different settings, side by side: `python -m custseg.bench_daily
[--contacts 1000000] [--rounds 2] --arm NAME[:VAR=VALUE,...] --arm ...`.

Needs a scale built by `make bench BENCH_SCALES=<n> BENCH_ARGS=--build-only` (the first load,
built; its raw Parquet files still there). The first call copies that warehouse to
`daily_ready.duckdb` in the scale's folder and appends the last day to the copy, as `make bench`
does before its daily run. Then, alternating the arms, each round copies `daily_ready.duckdb`
to `daily_run.duckdb` (the scale's warehouse is left as built) and runs the bench's daily
`dbt build` with the arm's environment variables (an arm without variables runs the profile's
defaults), each with its own dbt log. Prints each run's wall seconds, peak memory and where its
statements' time went (custseg.log_statements: queries, delete+inserts, commits, dropped
backups, the final checkpoint), then the median wall time per arm. The file copies are not
timed. After building the scale again, delete `daily_ready.duckdb`: it is made once and
reused. Two settings compared this way are in docs/decisions.md, "Checkpoints in the daily run".
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from collections import defaultdict
from pathlib import Path

from custseg import bench, log_statements, paths


def parse_arm(text: str) -> tuple[str, dict[str, str]]:
    """'large:A=1,B=2' -> ('large', {'A': '1', 'B': '2'}); 'default' -> ('default', {})."""
    name, _, assignments = text.partition(":")
    variables = {}
    for assignment in filter(None, assignments.split(",")):
        variable, equals, value = assignment.partition("=")
        if not equals or not variable:
            raise argparse.ArgumentTypeError(f"expected VAR=VALUE in {text!r}, got {assignment!r}")
        variables[variable] = value
    if not name:
        raise argparse.ArgumentTypeError(f"an arm needs a name: {text!r}")
    return name, variables


def prepare(folder: Path, contacts: int, seed: int) -> Path:
    """The built first load with the last day appended, made once per scale folder."""
    ready = folder / "daily_ready.duckdb"
    if ready.exists():
        return ready
    built = folder / "warehouse.duckdb"
    if not built.exists():
        raise SystemExit(f"no {built}: run `make bench BENCH_SCALES={contacts} "
                         f"BENCH_ARGS=--build-only` first")
    raw_dir = paths.raw_data_dir(contacts, seed)
    split_at, _ = bench._last_day(raw_dir)
    partial = folder / "daily_ready.duckdb.partial"
    shutil.copyfile(built, partial)
    bench.append_last_day(raw_dir, partial, split_at)
    partial.rename(ready)
    return ready


def run_arm(folder: Path, ready: Path, label: str, variables: dict[str, str]) -> dict:
    # never the scale's warehouse.duckdb: that stays the built first load `prepare` starts from
    database = folder / "daily_run.duckdb"
    for stale in folder.glob("daily_run.duckdb*"):
        stale.unlink()
    shutil.copyfile(ready, database)
    logs = folder / "logs_daily" / label
    shutil.rmtree(logs, ignore_errors=True)
    env = bench.dbt_env(folder, database, logs)
    env.update(variables)
    seconds, peak, cpu_seconds, _ = bench._timed(bench.build_command(), env)
    kinds: dict[str, float] = defaultdict(float)
    found = log_statements.statements(
        (logs / "dbt.log").read_text(errors="replace").splitlines(), "00:00:00", "99:99:99")
    for statement_seconds, _, _, kind in found:
        kinds[kind] += statement_seconds
    return {"seconds": seconds, "peak": peak, "cpu_seconds": cpu_seconds, "kinds": dict(kinds),
            "file_gib": database.stat().st_size / 2**30}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=paths.DEFAULT_SEED)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--arm", type=parse_arm, action="append", required=True,
                        help="NAME or NAME:VAR=VALUE,... (at least one)")
    args = parser.parse_args(argv)
    folder = paths.data_dir() / "bench" / f"contacts_{args.contacts}"
    ready = prepare(folder, args.contacts, args.seed)
    walls: dict[str, list[float]] = defaultdict(list)
    for number in range(1, args.rounds + 1):
        for name, variables in args.arm:
            result = run_arm(folder, ready, f"{name}_{number}", variables)
            walls[name].append(result["seconds"])
            kinds = ", ".join(f"{kind} {secs:.1f}" for kind, secs in
                              sorted(result["kinds"].items(), key=lambda item: -item[1]))
            print(f"{name} round {number}: {result['seconds']:.1f} s, "
                  f"{result['cpu_seconds']:.0f} CPU s, peak "
                  f"{result['peak']:.0f} MiB, file {result['file_gib']:.2f} GiB; "
                  f"statement seconds: {kinds}", flush=True)
    for name, values in walls.items():
        print(f"{name}: median {statistics.median(values):.1f} s of {len(values)} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
