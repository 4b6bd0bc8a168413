"""Where a dbt run's node time went: `python -m custseg.run_costs RESULTS [--log DBT_LOG]
[--since HH:MM:SS] [--until HH:MM:SS] [--top 10]`.

RESULTS is a dbt target folder (a bench scale's `data/bench/contacts_<n>/target` after `make
bench` or `python -m custseg.bench_daily`) or a run_results file (the bench keeps
`run_results_full.json` and `run_results_daily.json` in the scale's folder); the models'
materializations come from the `manifest.json` beside it or in the `target` folder beside it.
Prints the nodes' thread-seconds by layer (staging, intermediate and mart models by their name
prefixes, tests, seeds, ...), the models' seconds by materialization (incremental, table, view)
and the slowest nodes. With one dbt thread (`SEGMENTATION_THREADS=1`) each node's time is its
own; with two, nodes share the cores. With `--log`, the same run's dbt debug log, it also splits
each incremental model's time into statement kinds (custseg.log_statements: its select, its
delete+insert, commits that may carry a checkpoint), which shows whether the new rows or the
scans around them cost.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from custseg.log_statements import statements

MODEL_LAYERS = (("base_", "staging"), ("stg_", "staging"), ("int_", "intermediate"),
                ("dim_", "marts"), ("fct_", "marts"), ("agg_", "marts"))


def node_group(unique_id: str) -> str:
    """The group a node's time is reported under: a model by its layer (the name prefixes of
    ../shared/STYLE.md), any other node by its resource type (tests, seeds, operations, ...)."""
    kind, name = unique_id.split(".")[0], unique_id.split(".")[-1]
    if kind == "model":
        return next((layer for prefix, layer in MODEL_LAYERS if name.startswith(prefix)),
                    "other models")
    return f"{kind}s"


def seconds_by(results: list[dict], key) -> dict[str, tuple[int, float]]:
    """Nodes and summed execution seconds per key(node)."""
    sums: dict[str, list] = defaultdict(lambda: [0, 0.0])
    for node in results:
        group = key(node)
        if group is not None:
            sums[group][0] += 1
            sums[group][1] += node["execution_time"]
    return {group: (count, secs) for group, (count, secs) in sums.items()}


def _files(results: Path) -> tuple[Path, Path]:
    """The run_results file and the manifest that goes with it."""
    if results.is_dir():
        results = results / "run_results.json"
    folder = results.parent
    manifest = folder / "manifest.json"
    return results, manifest if manifest.exists() else folder / "target" / "manifest.json"


def report(results_path: Path, log: Path | None, since: str, until: str, top: int) -> str:
    results_file, manifest = _files(results_path)
    results = json.loads(results_file.read_text())["results"]
    nodes = json.loads(manifest.read_text())["nodes"]

    def materialization(node: dict) -> str | None:
        if not node["unique_id"].startswith("model."):
            return None
        return nodes[node["unique_id"]]["config"]["materialized"]

    total = sum(node["execution_time"] for node in results)
    lines = [f"{total:.1f} thread-seconds in {len(results)} nodes"]
    for title, key in (("by layer", lambda node: node_group(node["unique_id"])),
                       ("models by materialization", materialization)):
        lines.append(f"{title}:")
        for group, (count, secs) in sorted(seconds_by(results, key).items(),
                                           key=lambda item: -item[1][1]):
            lines.append(f"  {group:14s} {count:4d} nodes {secs:8.1f} s")
    lines.append(f"slowest nodes (top {top}):")
    for node in sorted(results, key=lambda node: -node["execution_time"])[:top]:
        lines.append(f"  {node['execution_time']:7.2f} s  {node['unique_id'].split('.')[-1]}")
    if log is not None:
        incremental = {node["unique_id"].split(".")[-1] for node in results
                       if materialization(node) == "incremental"}
        kinds: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for seconds, _, node, kind in statements(
                log.read_text(errors="replace").splitlines(), since, until):
            if node in incremental:
                kinds[node][kind] += seconds
        summed: dict[str, float] = defaultdict(float)
        lines.append("incremental models' statements (seconds by kind, from the log):")
        for node, split in sorted(kinds.items(), key=lambda item: -sum(item[1].values())):
            for kind, secs in split.items():
                summed[kind] += secs
            lines.append(f"  {sum(split.values()):6.2f} s  {node}: " + ", ".join(
                f"{kind} {secs:.2f}" for kind, secs in sorted(split.items(),
                                                               key=lambda item: -item[1])))
        lines.append("  all: " + ", ".join(f"{kind} {secs:.1f}" for kind, secs in
                                           sorted(summed.items(), key=lambda item: -item[1])))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path, help="a dbt target folder or run_results file")
    parser.add_argument("--log", type=Path, help="the same run's dbt debug log")
    parser.add_argument("--since", default="00:00:00")
    parser.add_argument("--until", default="99:99:99")
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args(argv)
    print(report(args.results, args.log, args.since, args.until, args.top))


if __name__ == "__main__":
    main()
