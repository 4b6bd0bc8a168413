"""Where a dbt run's time went, statement by statement: `python -m custseg.log_statements LOG
[--since HH:MM:SS] [--until HH:MM:SS] [--top 15]`.

Reads a dbt debug log (logs/dbt.log, or a bench scale's `data/bench/contacts_<n>/logs/dbt.log`)
and pairs every statement dbt sent ("On <node>: <sql>") with the "SQL status: OK in <s>
seconds" line of the same thread (worker threads, and the main thread for the hooks). Sorts
the statements into kinds: the model's own query (`query`), the delete and insert of an
incremental delete+insert model (`delete+insert`: dbt-duckdb sends both as one statement, so
its logged time is not the delete's alone), `COMMIT`, the on-run-end `checkpoint`, dropping the
backup of a rebuilt table (`drop backup`), renames, and the rest.
Prints the seconds per kind and the slowest statements of every kind but `query`. run_results.json
gives a node's time as a whole; this shows when a node's time was not its query: on DuckDB a
commit or a drop can carry a checkpoint of what other statements wrote (docs/decisions.md,
"Checkpoints in the daily run"). The log holds every run since it was rotated: pick one
run with --since/--until (the log's clock, UTC; run_results.json's `generated_at` is the end).
"""

from __future__ import annotations

import argparse
import re
from collections import defaultdict
from pathlib import Path

LINE = re.compile(r".*?(\d\d:\d\d:\d\d\.\d+) \[debug\] \[(Thread-\d+|MainThread)[^\]]*\]: (.*)")


def statement_kind(sql: str) -> str:
    text = " ".join(sql.split()).lower()
    if text.startswith("commit"):
        return "commit"
    if text.startswith("checkpoint"):
        return "checkpoint"
    if "drop" in text and "__dbt_backup" in text:
        return "drop backup"
    if " rename to " in text:
        return "rename"
    if text.startswith("delete from") and "insert into" in text:
        # dbt-duckdb sends delete+insert as one statement: its time is both, not the delete
        return "delete+insert"
    if text.startswith(("create table", "create or replace table", "insert into", "delete from",
                        "create view", "create or replace view", "create temporary table")):
        return "query"
    if text.startswith(("select", "with")):
        return "query"
    return "other"


def statements(lines: list[str], since: str, until: str) -> list[tuple[float, str, str, str]]:
    """(seconds, clock, node, kind) of each statement whose status line falls in the window."""
    pending: dict[str, tuple[str, str]] = {}
    found = []
    for number, line in enumerate(lines):
        match = LINE.match(line)
        if not match:
            continue
        clock, thread, rest = match.groups()
        if not since <= clock <= until:
            continue
        if rest.startswith("On "):
            node, _, first = rest[3:].partition(": ")
            body = [first]
            for following in lines[number + 1:number + 40]:
                if LINE.match(following):
                    break
                body.append(following)
            # dbt prefixes its queries with a JSON comment naming the node
            sql = re.sub(r"^/\*.*?\*/", "", " ".join(body).strip())
            pending[thread] = (node, sql)
        elif rest.startswith("SQL status: OK in") and thread in pending:
            node, sql = pending.pop(thread)
            found.append((float(rest.split()[4]), clock, node.split(".")[-1], statement_kind(sql)))
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log", type=Path)
    parser.add_argument("--since", default="00:00:00")
    parser.add_argument("--until", default="99:99:99")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)
    found = statements(args.log.read_text(errors="replace").splitlines(), args.since, args.until)
    if not found:
        raise SystemExit("no statements in that window")
    totals: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for seconds, _, _, kind in found:
        totals[kind] += seconds
        counts[kind] += 1
    for kind in sorted(totals, key=lambda name: -totals[name]):
        print(f"{kind:13s} {totals[kind]:8.1f} s in {counts[kind]:5d} statements")
    print(f"slowest statements other than queries (top {args.top}):")
    others = sorted((row for row in found if row[3] != "query"), reverse=True)[:args.top]
    for seconds, clock, node, kind in others:
        print(f"  {seconds:7.2f} s  {clock}  {kind:13s} {node}")


if __name__ == "__main__":
    main()
