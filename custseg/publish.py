"""Write-audit-publish for the DuckDB target.

dbt writes every model into the build warehouse (data/warehouse.duckdb), which BI tools never
open. After a `dbt build`, `audit` reads dbt's run_results.json and manifest.json of that same
invocation: it passes only when the invocation was a `dbt build` that ran every model, seed,
data test and unit test of the project and none ended in error or failure (warn-severity tests
may warn). Only then `publish` copies the mart tables (every model under models/marts) into a
new DuckDB file, checkpoints and closes it, and atomically renames the fixed path BI tools open
(data/published.duckdb) to that file. A reader never sees a half-written file: a connection
opened before the rename keeps reading the previous complete file (POSIX rename semantics; the
old inode lives while a reader holds it), a connection opened after it reads the new one.

Nothing here writes to a file a reader may hold, so readers (read-only DuckDB connections on the
published file) never block a build and a build never blocks them.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from custseg.checksum import RUN_DEPENDENT_COLUMNS, quote_identifier, table_checksum

# Result statuses that stop a publish. dbt reports an error-severity test that finds rows as
# `fail`, a warn-severity one as `warn`; `error` is a node that could not run (SQL error,
# contract mismatch), `skipped` a node whose upstream failed.
FAILING_STATUSES = {"error", "fail", "runtime error"}
SKIPPED_STATUSES = {"skipped"}
# Node types a complete `dbt build` runs.
BUILT_RESOURCE_TYPES = {"model", "seed", "snapshot", "test"}
PUBLISH_SCHEMA = "publish"
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
BUILD_CATALOG = "build_warehouse"


class PublishError(Exception):
    """A publish that must not happen, with the reason for the user."""


@dataclass(frozen=True)
class Failure:
    unique_id: str
    status: str
    message: str

    @property
    def name(self) -> str:
        return self.unique_id.split(".")[-1] if not self.unique_id.startswith("unit_test.") \
            else ".".join(self.unique_id.split(".")[-2:])

    @property
    def resource_type(self) -> str:
        return self.unique_id.split(".")[0]


@dataclass(frozen=True, order=True)
class Mart:
    schema: str
    table: str


@dataclass
class Audit:
    """What one dbt invocation did, from its artifacts."""

    invocation_id: str
    command: str
    started_at: dt.datetime
    dbt_version: str
    failures: list[Failure] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    not_run: list[str] = field(default_factory=list)
    tests_passed: int = 0
    tests_warned: int = 0
    marts: list[Mart] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.command == "build" and not self.not_run

    @property
    def passed(self) -> bool:
        return not self.failures and not self.skipped

    def describe_problems(self) -> list[str]:
        """Lines naming what stops this build from being published."""
        lines = []
        if self.failures:
            lines.append(f"{len(self.failures)} node(s) failed in dbt {self.command} "
                         f"{self.invocation_id}:")
            for failure in self.failures:
                message = ANSI_ESCAPE.sub("", failure.message).strip()
                message = message.splitlines()[0] if message else ""
                lines.append(f"  {failure.status:<5} {failure.resource_type} {failure.name}"
                             + (f": {message}" if message else ""))
        if self.skipped:
            lines.append(f"{len(self.skipped)} node(s) skipped because an upstream node failed")
        if not self.failures and not self.complete:
            what = f"dbt {self.command}" if self.command != "build" else "a partial dbt build"
            lines.append(
                f"the last dbt invocation ({what} {self.invocation_id}) did not build and test "
                f"the whole project ({len(self.not_run)} node(s) not run"
                + (", e.g. " + ", ".join(sorted(self.not_run)[:3]) if self.not_run else "")
                + "): run a full `dbt build` first"
            )
        return lines


def _load_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise PublishError(f"{path} not found: run `dbt build` first") from None
    except (OSError, json.JSONDecodeError) as error:
        raise PublishError(f"cannot read {path}: {error}") from None


def _parse_time(value: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


def audit(target_dir: Path) -> Audit:
    """Read run_results.json and manifest.json of the last dbt invocation in `target_dir`."""
    results = _load_json(target_dir / "run_results.json")
    manifest = _load_json(target_dir / "manifest.json")
    invocation = results["metadata"]["invocation_id"]
    if manifest["metadata"].get("invocation_id") != invocation:
        raise PublishError(
            f"{target_dir}: run_results.json and manifest.json come from different dbt "
            "invocations: run `dbt build` again"
        )
    metadata = results["metadata"]
    report = Audit(
        invocation_id=invocation,
        command=str(results.get("args", {}).get("which", "")),
        started_at=_parse_time(metadata.get("invocation_started_at") or metadata["generated_at"]),
        dbt_version=str(metadata.get("dbt_version", "")),
    )
    statuses = {}
    for result in results["results"]:
        unique_id, status = result["unique_id"], str(result["status"])
        statuses[unique_id] = status
        if status in FAILING_STATUSES:
            report.failures.append(Failure(unique_id, status, result.get("message") or ""))
        elif status in SKIPPED_STATUSES:
            report.skipped.append(unique_id)
        elif unique_id.startswith(("test.", "unit_test.")):
            if status == "warn":
                report.tests_warned += 1
            else:
                report.tests_passed += 1
    project = manifest["metadata"].get("project_name")
    expected = [
        unique_id
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] in BUILT_RESOURCE_TYPES
        and node.get("config", {}).get("materialized") != "ephemeral"
    ] + list(manifest.get("unit_tests", {}))
    report.not_run = [unique_id for unique_id in expected if unique_id not in statuses]
    report.marts = sorted(
        Mart(node["schema"], node["alias"] or node["name"])
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node.get("package_name") == project
        and len(node["fqn"]) > 2 and node["fqn"][1] == "marts"
        and node["config"].get("materialized") != "ephemeral"
    )
    return report


@dataclass
class Published:
    build_id: str
    path: Path
    version_path: Path
    tables: dict[str, tuple[int, str]]
    changed: bool


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _attach_read_only(con: duckdb.DuckDBPyConnection, path: Path, alias: str) -> None:
    con.execute(f"attach {_sql_string(str(path))} as {alias} (read_only)")


def read_publish_info(path: Path) -> dict | None:
    """The publish_info row of a published file, or None when there is none. Opens the file
    through ATTACH on an in-memory database, so it never reuses a cached connection to an older
    file of the same path."""
    if not path.exists():
        return None
    con = duckdb.connect()
    try:
        _attach_read_only(con, path, "published")
        cursor = con.execute(f"select * from published.{PUBLISH_SCHEMA}.publish_info")
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([column[0] for column in cursor.description], row))
    except duckdb.Error:
        return None
    finally:
        con.close()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_marts(con: duckdb.DuckDBPyConnection, marts: list[Mart]) -> None:
    """Create each mart in the new file with the build's own DDL (types, primary keys, not
    null), copy its rows and its documentation. Views become tables."""
    for schema in sorted({mart.schema for mart in marts}):
        con.execute(f"create schema if not exists {quote_identifier(schema)}")
    for mart in marts:
        source = f"{BUILD_CATALOG}.{quote_identifier(mart.schema)}.{quote_identifier(mart.table)}"
        target = f"{quote_identifier(mart.schema)}.{quote_identifier(mart.table)}"
        row = con.execute(
            "select sql, comment from duckdb_tables() "
            "where database_name = ? and schema_name = ? and table_name = ?",
            [BUILD_CATALOG, mart.schema, mart.table],
        ).fetchone()
        if row is not None:
            ddl, comment = row
            con.execute(ddl)  # names schema.table only: created in the new file (default)
            con.execute(f"insert into {target} select * from {source}")
        else:
            view = con.execute(
                "select comment from duckdb_views() "
                "where database_name = ? and schema_name = ? and view_name = ?",
                [BUILD_CATALOG, mart.schema, mart.table],
            ).fetchone()
            if view is None:
                raise PublishError(f"mart {mart.schema}.{mart.table} is not in the warehouse")
            comment = view[0]
            con.execute(f"create table {target} as select * from {source}")
        if comment:
            con.execute(f"comment on table {target} is {_sql_string(comment)}")
        for column, column_comment in con.execute(
            "select column_name, comment from duckdb_columns() "
            "where database_name = ? and schema_name = ? and table_name = ? and comment is not null",
            [BUILD_CATALOG, mart.schema, mart.table],
        ).fetchall():
            con.execute(
                f"comment on column {target}.{quote_identifier(column)} is {_sql_string(column_comment)}"
            )


def _as_of_date(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    try:
        row = con.execute(
            f"select as_of_date from {BUILD_CATALOG}.intermediate.int_reporting__as_of_date"
        ).fetchone()
    except duckdb.Error:
        return None
    return row[0] if row else None


def _write_publish_info(
    con: duckdb.DuckDBPyConnection, report: Audit, tables: dict[str, tuple[int, str]],
    published_at: dt.datetime,
) -> None:
    con.execute(f"create schema {PUBLISH_SCHEMA}")
    con.execute(
        f"create table {PUBLISH_SCHEMA}.publish_info ("
        "build_id varchar not null, build_started_at timestamp, published_at timestamp, "
        "as_of_date date, dbt_version varchar, tests_passed integer, tests_warned integer, "
        "published_tables integer)"
    )
    con.execute(
        f"insert into {PUBLISH_SCHEMA}.publish_info values (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            report.invocation_id,
            report.started_at.astimezone(dt.timezone.utc).replace(tzinfo=None),
            published_at.replace(tzinfo=None),
            _as_of_date(con),
            report.dbt_version,
            report.tests_passed,
            report.tests_warned,
            len(tables),
        ],
    )
    con.execute(
        f"comment on table {PUBLISH_SCHEMA}.publish_info is "
        "'The build these marts come from: dbt invocation id (build_id), when it started, when "
        "it was published (UTC), its as-of date and how many tests passed or warned.'"
    )
    con.execute(
        f"create table {PUBLISH_SCHEMA}.published_tables ("
        "table_schema varchar not null, table_name varchar not null, row_count bigint, "
        "content_md5 varchar, excluded_columns varchar, primary key (table_schema, table_name))"
    )
    for name, (rows, digest) in tables.items():
        schema, table = name.split(".", 1)
        con.execute(
            f"insert into {PUBLISH_SCHEMA}.published_tables values (?, ?, ?, ?, ?)",
            [schema, table, rows, digest, ", ".join(RUN_DEPENDENT_COLUMNS.get(table, ()))],
        )
    con.execute(
        f"comment on table {PUBLISH_SCHEMA}.published_tables is "
        "'Every published table with its row count and content checksum (md5 of the sorted "
        "rows as text, without the run-dependent columns listed in excluded_columns): two "
        "builds of the same data give the same checksums.'"
    )


def versions_dir(published: Path) -> Path:
    """Where the published files of each build live; `published` is a hard link to one."""
    return published.parent / f"{published.stem}_builds"


def publish(
    warehouse: Path,
    report: Audit,
    published: Path,
    keep: int = 3,
    progress: Callable[[str], None] = print,
) -> Published:
    """Copy the marts of an audited build into a new file and make it the published one."""
    if not report.passed or not report.complete:
        raise PublishError("\n".join(["not published:", *report.describe_problems()]))
    if not report.marts:
        raise PublishError("the manifest lists no models under models/marts")
    keep = max(keep, 1)
    builds = versions_dir(published)
    builds.mkdir(parents=True, exist_ok=True)
    with open(builds / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one publisher at a time; readers never take it
        current = read_publish_info(published)
        if current and current.get("build_id") == report.invocation_id:
            progress(f"build {report.invocation_id} is already published at {published}")
            version = Path(os.path.realpath(published))
            return Published(report.invocation_id, published, version, {}, changed=False)
        for stale in builds.glob(".incoming_*"):  # left by a publisher that died
            stale.unlink()
        published_at = dt.datetime.now(dt.timezone.utc)
        name = f"{published_at:%Y%m%dT%H%M%S%fZ}_{report.invocation_id}.duckdb"
        incoming = builds / f".incoming_{name}"
        version = builds / name
        con = duckdb.connect(str(incoming))
        try:
            _attach_read_only(con, warehouse, BUILD_CATALOG)
            _copy_marts(con, report.marts)
            tables = {}
            for mart in report.marts:
                rows, digest = table_checksum(con, mart.schema, mart.table)
                source_rows = con.execute(
                    f"select count(*) from {BUILD_CATALOG}.{quote_identifier(mart.schema)}."
                    f"{quote_identifier(mart.table)}"
                ).fetchone()
                if source_rows is None or int(source_rows[0]) != rows:
                    raise PublishError(f"copy of {mart.schema}.{mart.table} lost rows")
                tables[f"{mart.schema}.{mart.table}"] = (rows, digest)
            _write_publish_info(con, report, tables, published_at)
            con.execute(f"detach {BUILD_CATALOG}")
            con.execute("checkpoint")
        except BaseException:
            con.close()
            incoming.unlink(missing_ok=True)
            Path(f"{incoming}.wal").unlink(missing_ok=True)
            raise
        con.close()
        if Path(f"{incoming}.wal").exists():
            raise PublishError(f"{incoming}: DuckDB left a write-ahead log after checkpoint")
        _fsync(incoming)
        incoming.chmod(0o444)  # published files are never written again
        os.replace(incoming, version)
        # The one atomic step: the fixed path now names the new file. A hard link keeps the
        # version file and the published path the same inode; where hard links are not
        # possible, a full copy under a temporary name is renamed instead.
        swap = published.parent / f".{published.name}.{os.getpid()}.swap"
        swap.unlink(missing_ok=True)
        try:
            os.link(version, swap)
        except OSError:
            shutil.copyfile(version, swap)
        os.replace(swap, published)
        _fsync(published.parent)
        _fsync(builds)
        versions = sorted(path for path in builds.glob("*.duckdb") if not path.name.startswith("."))
        for old in versions[:-keep]:
            # A reader that has an old file open keeps reading it: unlinking only drops the name.
            old.unlink()
        progress(
            f"published build {report.invocation_id}: {len(tables)} tables -> {published}"
            + (f" (previous build {current['build_id']})" if current else "")
        )
        return Published(report.invocation_id, published, version, tables, changed=True)
