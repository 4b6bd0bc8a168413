"""Command line of the customer_segmentation tooling: ``python -m custseg <command> --help``."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from custseg import paths


def _log(message: str) -> None:
    print(message, flush=True)


def _manifest_matches(raw_dir: Path, contacts: int, seed: int, end_date: dt.date) -> bool:
    manifest = raw_dir / "manifest.json"
    if not manifest.exists():
        return False
    try:
        params = json.loads(manifest.read_text())
    except (OSError, json.JSONDecodeError):
        return False
    from custseg.generate import GENERATOR_VERSION

    return (
        params.get("contacts") == contacts
        and params.get("seed") == seed
        and params.get("end_date") == end_date.isoformat()
        and params.get("generator_version") == GENERATOR_VERSION
    )


def ensure_raw_data(contacts: int, seed: int, end_date: dt.date, force: bool = False) -> Path:
    """Generate the raw Parquet files unless files of the same parameters are already there."""
    from custseg.generate import generate

    raw_dir = paths.raw_data_dir(contacts, seed)
    if not force and _manifest_matches(raw_dir, contacts, seed, end_date):
        _log(f"raw data for {contacts:,} contacts (seed {seed}) already in {raw_dir}")
        return raw_dir
    _log(f"generating raw data for {contacts:,} contacts (seed {seed}) into {raw_dir}")
    started = time.perf_counter()
    generate(raw_dir, contacts=contacts, seed=seed, end_date=end_date, progress=_log)
    _log(f"generated in {time.perf_counter() - started:.1f}s")
    return raw_dir


def run_dbt(args: list[str]) -> int:
    """Run the dbt CLI of this virtual environment from the project folder."""
    dbt = Path(sys.executable).parent / "dbt"
    command = [str(dbt) if dbt.exists() else "dbt", *args]
    if "--profiles-dir" not in args:
        command += ["--profiles-dir", str(paths.PROJECT_DIR)]
    env = dict(os.environ)
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    _log("$ " + " ".join(command))
    return subprocess.call(command, cwd=paths.PROJECT_DIR, env=env)


def _add_scale_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--contacts", type=int, default=paths.DEFAULT_CONTACTS,
        help=f"number of CRM contacts; other tables scale with it (default {paths.DEFAULT_CONTACTS:,})",
    )
    parser.add_argument("--seed", type=int, default=paths.DEFAULT_SEED, help="random seed (default 42)")
    parser.add_argument(
        "--end-date", type=dt.date.fromisoformat, default=dt.date(2026, 10, 31),
        help="last day with data, YYYY-MM-DD (default 2026-10-31)",
    )


def _add_load_part_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--part", choices=["all", "before", "after"], default="all",
        help="all rows (replace), the rows that arrived before --split-at (replace), or the "
             "rows that arrived at or after it (append): simulates daily loads")
    parser.add_argument("--split-at", type=dt.datetime.fromisoformat,
                        help="arrival time (UTC, YYYY-MM-DD[ HH:MM]) splitting --part before/after")
    parser.add_argument("--loaded-at", type=dt.datetime.fromisoformat,
                        help="the _loaded_at stamp to write (default: now)")


def cmd_generate(ns: argparse.Namespace) -> int:
    from custseg.generate import generate

    out = Path(ns.out) if ns.out else paths.raw_data_dir(ns.contacts, ns.seed)
    started = time.perf_counter()
    generate(out, contacts=ns.contacts, seed=ns.seed, end_date=ns.end_date, progress=_log)
    _log(f"generated into {out} in {time.perf_counter() - started:.1f}s")
    return 0


def cmd_load(ns: argparse.Namespace) -> int:
    from custseg.load import load_duckdb

    raw_dir = Path(ns.raw_dir) if ns.raw_dir else paths.raw_data_dir(ns.contacts, ns.seed)
    load_duckdb(raw_dir, paths.warehouse_path(), progress=_log, part=ns.part,
                split_at=ns.split_at, loaded_at=ns.loaded_at)
    return 0


def target_name() -> str:
    """The dbt target the tooling works with: $SEGMENTATION_TARGET (as profiles.yml) or duckdb."""
    return os.environ.get("SEGMENTATION_TARGET", "duckdb")


def cmd_prepare(ns: argparse.Namespace) -> int:
    from custseg.load import LoadPart

    raw_dir = ensure_raw_data(ns.contacts, ns.seed, ns.end_date, force=ns.force)
    load = LoadPart(getattr(ns, "part", "all"), getattr(ns, "split_at", None),
                    getattr(ns, "loaded_at", None))
    target = target_name()
    if target == "postgres":
        from custseg.load_engines import load_postgres

        _log(f"loading {raw_dir} into PostgreSQL ({load.part})")
        load_postgres(raw_dir, progress=_log, load=load)
    elif target == "spark":
        from custseg.load_engines import load_spark

        _log(f"loading {raw_dir} into the Spark warehouse ({load.part})")
        load_spark(raw_dir, progress=_log, load=load)
    else:
        from custseg.load import already_loaded, load_duckdb, load_signature

        signature = load_signature(raw_dir, load.part, load.split_at)
        if load.part != "after" and not ns.force and already_loaded(paths.warehouse_path(),
                                                                      signature):
            _log(f"{paths.warehouse_path()} already holds {raw_dir} ({load.part}): not reloaded")
            return 0
        _log(f"loading {raw_dir} into {paths.warehouse_path()} ({load.part})")
        load_duckdb(raw_dir, paths.warehouse_path(), progress=_log, part=load.part,
                    split_at=load.split_at, loaded_at=load.loaded_at)
    ns.replaced_raw_tables = load.part != "after"
    return 0


def _audit_this_build(started_at: dt.datetime):  # type: ignore[no-untyped-def]
    """(audit report of the dbt build that started at `started_at`, or None, and why not)."""
    from custseg.publish import PublishError, audit

    try:
        report = audit(paths.target_dir())
    except PublishError as error:
        return None, str(error)
    if report.started_at < started_at:
        return None, "dbt wrote no results for this build (it stopped before running)"
    return report, ""


def _publish_after_build(dbt_status: int, started_at: dt.datetime, keep: int) -> int:
    """Write-audit-publish, DuckDB target: publish the marts of the dbt build that just ran if
    every error-severity test passed; otherwise name what failed and keep the published file."""
    from custseg.publish import PublishError, publish, read_publish_info

    published = paths.published_path()
    report, reason = _audit_this_build(started_at)
    if report is None or not report.passed or dbt_status != 0:
        lines = ["not published:"]
        lines += report.describe_problems() if report is not None else [f"  {reason}"]
        if report is not None and report.passed:
            lines.append(f"  dbt build exited with status {dbt_status}")
        current = read_publish_info(published)
        lines.append(
            f"readers keep build {current['build_id']} "
            f"(published {current['published_at']:%Y-%m-%d %H:%M:%S} UTC) in {published}"
            if current else f"nothing is published at {published} yet"
        )
        _log("\n".join(lines))
        return dbt_status or 1
    if not report.complete:
        _log("not published: " + " ".join(report.describe_problems())
             + "; the published marts are unchanged")
        return 0
    try:
        publish(paths.warehouse_path(), report, published, keep=keep, progress=_log)
    except PublishError as error:
        _log(str(error))
        return 1
    return 0


def with_publish_mode(dbt_args: list[str]) -> list[str]:
    """dbt arguments with the var publish_mode true (PostgreSQL write-audit-publish), merged into
    a --vars the user passed."""
    import yaml

    args = list(dbt_args)
    for index, arg in enumerate(args):
        if arg == "--vars" and index + 1 < len(args):
            given = yaml.safe_load(args[index + 1]) or {}
            args[index + 1] = json.dumps({**given, "publish_mode": True})
            return args
        if arg.startswith("--vars="):
            given = yaml.safe_load(arg[len("--vars="):]) or {}
            args[index] = "--vars=" + json.dumps({**given, "publish_mode": True})
            return args
    return [*args, "--vars", json.dumps({"publish_mode": True})]


def _publish_postgres_after_build(dbt_status: int, started_at: dt.datetime) -> int:
    """Write-audit-publish, PostgreSQL target: the build wrote the marts into marts_staging;
    publish them into `marts` if every error-severity test passed, else name what failed and
    leave `marts` as it is."""
    from custseg.publish import PublishError
    from custseg.publish_postgres import publish_postgres, read_publish_info

    report, reason = _audit_this_build(started_at)
    if report is None or not report.passed or not report.complete or dbt_status != 0:
        lines = ["not published:"]
        lines += report.describe_problems() if report is not None else [f"  {reason}"]
        if report is not None and report.passed and report.complete:
            lines.append(f"  dbt build exited with status {dbt_status}")
        current = read_publish_info()
        lines.append(
            f"readers keep build {current['build_id']} "
            f"(published {current['published_at']:%Y-%m-%d %H:%M:%S} UTC) in schema marts"
            if current else "nothing is published in schema marts yet"
        )
        _log("\n".join(lines))
        if report is not None and report.passed and not report.complete and dbt_status == 0:
            return 0  # a partial build is not an error, as on DuckDB
        return dbt_status or 1
    try:
        publish_postgres(report, paths.target_dir(), progress=_log)
    except PublishError as error:
        _log(str(error))
        return 1
    return 0


def cmd_build(ns: argparse.Namespace) -> int:
    from custseg.summary import format_summary

    status = cmd_prepare(ns)
    if status:
        return status
    started_at = dt.datetime.now(dt.timezone.utc)
    started = time.perf_counter()
    dbt_args = ns.dbt_args[1:] if ns.dbt_args[:1] == ["--"] else ns.dbt_args
    # Raw tables replaced (not appended to): the incremental models start over. History tables
    # keep their rows (full_refresh: false).
    refresh = ["--full-refresh"] if getattr(ns, "replaced_raw_tables", False) else []
    publish_pg = target_name() == "postgres" and not ns.no_publish
    if publish_pg:
        dbt_args = with_publish_mode(dbt_args)
    status = run_dbt(["build", *refresh, *dbt_args])
    seconds = time.perf_counter() - started
    if status == 0 and target_name() == "duckdb":
        _log(format_summary(paths.warehouse_path(), build_seconds=seconds))
    elif status == 0:
        _log(f"dbt build on {target_name()} passed in {seconds:.1f}s")
    else:
        _log(f"dbt build failed after {seconds:.1f}s (exit {status})")
    if target_name() == "duckdb" and not ns.no_publish:
        return _publish_after_build(status, started_at, ns.keep)
    if publish_pg:
        return _publish_postgres_after_build(status, started_at)
    return status


def cmd_publish(ns: argparse.Namespace) -> int:
    from custseg.publish import PublishError, audit, publish, read_publish_info

    if target_name() == "postgres":
        return _cmd_publish_postgres(ns)
    if target_name() != "duckdb":
        _log(f"publish works on DuckDB and PostgreSQL; on {target_name()} see README, Publishing")
        return 1
    published = paths.published_path()
    if ns.status:
        info = read_publish_info(published)
        if info is None:
            _log(f"nothing is published at {published}")
            return 1
        _log(f"{published}:")
        for key, value in info.items():
            _log(f"  {key:<18} {value}")
        return 0
    try:
        report = audit(paths.target_dir())
        publish(paths.warehouse_path(), report, published, keep=ns.keep, progress=_log)
    except PublishError as error:
        _log(str(error))
        current = read_publish_info(published)
        _log(f"readers keep build {current['build_id']} in {published}" if current
             else f"nothing is published at {published} yet")
        return 1
    return 0


def _cmd_publish_postgres(ns: argparse.Namespace) -> int:
    from custseg.publish import PublishError, audit
    from custseg.publish_postgres import publish_postgres, read_publish_info

    if ns.status:
        info = read_publish_info()
        if info is None:
            _log("nothing is published in schema marts")
            return 1
        _log("schema marts:")
        for key, value in info.items():
            _log(f"  {key:<18} {value}")
        return 0
    try:
        publish_postgres(audit(paths.target_dir()), paths.target_dir(), progress=_log)
    except PublishError as error:
        _log(str(error))
        current = read_publish_info()
        _log(f"readers keep build {current['build_id']} in schema marts" if current
             else "nothing is published in schema marts yet")
        return 1
    return 0


def cmd_summary(ns: argparse.Namespace) -> int:
    from custseg.summary import format_summary

    _log(format_summary(paths.warehouse_path()))
    return 0


def _bi_database() -> Path:
    """What BI tools read: the published marts (the last build whose tests all passed) once a
    build was published, else the build warehouse."""
    published = paths.published_path()
    return published if published.exists() else paths.warehouse_path()


def cmd_bench_queries(ns: argparse.Namespace) -> int:
    from custseg.bi_queries import run_benchmark

    database = _bi_database()
    _log(f"BI queries on {database} (median of {ns.repeat} runs, read-only connection)")
    for name, seconds, rows in run_benchmark(database, repeat=ns.repeat):
        _log(f"  {name:<36} {seconds * 1000:8.1f} ms  {rows:>6} rows")
    return 0


def cmd_backfill(ns: argparse.Namespace) -> int:
    import duckdb

    from custseg.backfill import backfill, month_ends_before

    if ns.dates:
        dates = sorted(dt.date.fromisoformat(day) for day in ns.dates.split(","))
    else:
        con = duckdb.connect(str(paths.warehouse_path()), read_only=True)
        try:
            row = con.execute(
                "select as_of_date from intermediate.int_reporting__as_of_date"
            ).fetchone()
        finally:
            con.close()
        dates = month_ends_before(row[0], ns.month_ends)
    _log("backfilling as-of dates: " + ", ".join(day.isoformat() for day in dates))
    started_at = dt.datetime.now(dt.timezone.utc)
    status = backfill(dates, run_dbt, progress=_log)
    if target_name() == "duckdb" and not ns.no_publish:
        return _publish_after_build(status, started_at, keep=3)
    return status


def cmd_export(ns: argparse.Namespace) -> int:
    from custseg.export import export

    out = Path(ns.out) if ns.out else paths.PROJECT_DIR / "exports"
    _log(f"exporting activation audiences from {paths.warehouse_path()} into {out}")
    manifest = export(paths.warehouse_path(), out, progress=_log)
    _log(f"as of {manifest['as_of_date']}; manifest: {out / 'manifest.json'}")
    return 0


def cmd_bench(ns: argparse.Namespace) -> int:
    from custseg.bench import main as bench_main

    scales = [int(value) for value in ns.scales.split(",")]
    return bench_main(scales, seed=ns.seed, repeat=ns.repeat, build_only=ns.build_only,
                      reuse_load=ns.reuse_load, drop_raw_files=ns.drop_raw_files)


def cmd_dbt(ns: argparse.Namespace) -> int:
    return run_dbt(ns.dbt_args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="custseg",
        description="Demo data, loading and build tooling for the customer_segmentation dbt project.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("generate", help="generate deterministic demo raw data as Parquet files")
    _add_scale_arguments(p)
    p.add_argument("--out", help="output folder (default data/raw/contacts_<N>_seed_<S>)")
    p.set_defaults(func=cmd_generate)

    p = sub.add_parser("load", help="load generated Parquet files into the DuckDB warehouse")
    _add_scale_arguments(p)
    p.add_argument("--raw-dir", help="folder of Parquet files (default: the one for --contacts/--seed)")
    _add_load_part_arguments(p)
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("prepare", help="generate (unless already there) and load the raw data")
    _add_scale_arguments(p)
    p.add_argument("--force", action="store_true", help="regenerate even if the files exist")
    _add_load_part_arguments(p)
    p.set_defaults(func=cmd_prepare)

    p = sub.add_parser("build", help="prepare the raw data, run dbt build, print a summary")
    _add_scale_arguments(p)
    p.add_argument("--force", action="store_true", help="regenerate even if the files exist")
    p.add_argument("--no-publish", action="store_true",
                   help="do not publish the marts for BI tools after a green build")
    p.add_argument("--keep", type=int, default=3, help="published builds to keep (default 3)")
    p.add_argument("dbt_args", nargs=argparse.REMAINDER,
                   help="extra arguments for dbt build, after --: build --contacts 1000 -- --vars ...")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser(
        "publish",
        help="publish the marts of the last dbt build for BI tools, only if all its tests passed",
    )
    p.add_argument("--keep", type=int, default=3, help="published builds to keep (default 3)")
    p.add_argument("--status", action="store_true", help="show which build is published")
    p.set_defaults(func=cmd_publish)

    p = sub.add_parser("summary", help="print row counts per layer of the warehouse")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("bench-queries", help="time the README's BI queries on the warehouse")
    p.add_argument("--repeat", type=int, default=5, help="runs per query (median printed)")
    p.set_defaults(func=cmd_bench_queries)

    p = sub.add_parser("backfill", help="rebuild segment membership for past as-of dates")
    p.add_argument("--month-ends", type=int, default=12,
                   help="how many month-ends before the current as-of date (default 12)")
    p.add_argument("--dates", help="explicit as-of dates instead, comma separated YYYY-MM-DD")
    p.add_argument("--no-publish", action="store_true",
                   help="do not publish the marts after the final build")
    p.set_defaults(func=cmd_backfill)

    p = sub.add_parser("export", help="write activation files per destination and segment")
    p.add_argument("--out", help="exports folder (default exports/)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("bench", help="measure builds and the RFM path against its peers")
    p.add_argument("--scales", default="20000", help="contacts per scale, comma separated")
    p.add_argument("--seed", type=int, default=paths.DEFAULT_SEED)
    p.add_argument("--repeat", type=int, default=3, help="rounds of the RFM comparison")
    p.add_argument("--build-only", action="store_true",
                   help="only the full build (for a scale that fills the disk or the session)")
    p.add_argument("--reuse-load", action="store_true",
                   help="with --build-only: keep the raw tables an earlier bench loaded at this "
                        "scale (its Parquet may be gone), drop the built schemas, build again")
    p.add_argument("--drop-raw-files", action="store_true",
                   help="with --build-only: delete the scale's generated Parquet files once they "
                        "are loaded (the build reads the warehouse only; frees ~13 GB at 5 M)")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("dbt", help="run any dbt command with this project's profiles")
    p.add_argument("dbt_args", nargs=argparse.REMAINDER, help="the dbt command and its arguments")
    p.set_defaults(func=cmd_dbt)
    return parser


def main(argv: list[str] | None = None) -> int:
    ns = build_parser().parse_args(argv)
    return int(ns.func(ns))


if __name__ == "__main__":
    raise SystemExit(main())
