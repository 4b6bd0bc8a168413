"""`make bench` / `python -m custseg bench`: measure the project at stated scales and print the
numbers (never asserted in tests: the machine is noisy).

For each scale: generate (or reuse) the raw data, load it into a separate DuckDB file, then
- the full `dbt build` (models and tests): wall time and peak memory, and the slowest models
  from dbt's run_results.json;
- the RFM table three ways, each in its own process, repeated, medians and ratios printed:
  the project's path (`dbt run -s +int_customers__rfm`, dbt start-up included), the floor (one
  hand-written DuckDB query from the raw orders) and the pandas peer (group by + qcut).
Peak memory is the child process's maximum resident set size (GNU time).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from custseg import paths

TIME = "/usr/bin/time"


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MiB, stdout) of a command run under GNU time."""
    started = time.perf_counter()
    result = subprocess.run(
        [TIME, "-f", "__peak_kb=%M", *command],
        cwd=paths.PROJECT_DIR, env=env, capture_output=True, text=True,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    peak_kb = max(int(line.split("=")[1]) for line in result.stderr.splitlines()
                  if line.startswith("__peak_kb="))
    return seconds, peak_kb / 1024, result.stdout


def bench_scale(contacts: int, seed: int, repeat: int, log=print) -> dict:
    from custseg.cli import ensure_raw_data
    from custseg.load import load_duckdb

    raw_dir = ensure_raw_data(contacts, seed, dt.date(2026, 10, 31))
    folder = paths.data_dir() / "bench" / f"contacts_{contacts}"
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / "warehouse.duckdb"
    load_duckdb(raw_dir, database, progress=None)
    env = dict(os.environ, SEGMENTATION_DUCKDB_PATH=str(database),
               DBT_TARGET_PATH=str(folder / "target"), DBT_LOG_PATH=str(folder / "logs"),
               SEGMENTATION_TARGET="duckdb", DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    dbt = [str(Path(sys.executable).parent / "dbt")]
    flags = ["--profiles-dir", str(paths.PROJECT_DIR)]

    log(f"[{contacts:,} contacts] full dbt build ...")
    build_seconds, build_peak, _ = _timed([*dbt, "build", *flags], env)
    results = json.loads((folder / "target" / "run_results.json").read_text())["results"]
    slowest = sorted(
        ((r["unique_id"].split(".")[-1], r["execution_time"]) for r in results
         if r["unique_id"].startswith("model.")),
        key=lambda item: -item[1],
    )[:5]

    runs: dict[str, list[tuple[float, float]]] = {"project": [], "floor": [], "pandas": []}
    for number in range(repeat):
        log(f"[{contacts:,} contacts] RFM comparison, round {number + 1}/{repeat} ...")
        seconds, peak, _ = _timed([*dbt, "run", "--select", "+int_customers__rfm", *flags], env)
        runs["project"].append((seconds, peak))
        for kind in ("floor", "pandas"):
            _, peak, out = _timed([sys.executable, "-m", "custseg.bench_peers", kind,
                                   str(database)], env)
            runs[kind].append((float(out.split()[0]), peak))
    medians = {kind: (statistics.median(s for s, _ in values),
                      statistics.median(p for _, p in values))
               for kind, values in runs.items()}
    return {"contacts": contacts, "build_seconds": build_seconds, "build_peak_mib": build_peak,
            "slowest_models": slowest, "rfm": medians, "repeat": repeat}


def report(result: dict) -> str:
    rfm = result["rfm"]
    floor_s, pandas_s, project_s = rfm["floor"][0], rfm["pandas"][0], rfm["project"][0]
    lines = [
        f"== {result['contacts']:,} contacts",
        f"  full dbt build (models + tests): {result['build_seconds']:.1f} s, "
        f"peak {result['build_peak_mib']:.0f} MiB",
        "  slowest models: " + ", ".join(f"{name} {secs:.1f}s"
                                         for name, secs in result["slowest_models"]),
        f"  RFM table, median of {result['repeat']} (seconds / peak MiB):",
        f"    floor (one DuckDB query)      {floor_s:8.2f} s  {rfm['floor'][1]:7.0f} MiB",
        f"    pandas peer (groupby + qcut)  {pandas_s:8.2f} s  {rfm['pandas'][1]:7.0f} MiB",
        f"    project (dbt run +rfm, start-up included) {project_s:8.2f} s  "
        f"{rfm['project'][1]:7.0f} MiB",
        f"    ratios: project / floor {project_s / floor_s:.1f}x, "
        f"project / pandas {project_s / pandas_s:.2f}x, pandas / floor {pandas_s / floor_s:.1f}x",
        "  incremental daily run: not measured yet (the models are not incremental; issue 6)",
    ]
    return "\n".join(lines)


def main(scales: list[int], seed: int = paths.DEFAULT_SEED, repeat: int = 3) -> int:
    for contacts in scales:
        print(report(bench_scale(contacts, seed, repeat)), flush=True)
    return 0
