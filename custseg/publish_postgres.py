"""Write-audit-publish for the PostgreSQL target.

`python -m custseg build` runs `dbt build` with the var publish_mode true: the marts build into
the schema `marts_staging` (macros/generate_schema_name.sql), which the BI reader role cannot
read; staging, intermediate and reference are shared with a plain build. After the build the
same audit as on DuckDB (custseg/publish.py `audit`) reads run_results.json and manifest.json;
only a complete build without an error or failure is published:

1. one transaction copies every mart into a fresh schema `marts_next` (`like ... including
   all`: types, keys, not null, indexes, comments), adds `marts_next.publish_info` and commits;
   readers do not see `marts_next` (the role has no usage on it);
2. a second, short transaction grants the BI role usage on `marts_next` and select on every
   mart whose dbt meta `bi_reader` is not false, takes ACCESS EXCLUSIVE locks on the tables of
   the current `marts`, renames `marts` to `marts_previous` and `marts_next` to `marts`, and
   commits: readers switch from every old table to every new one at once;
3. `marts_previous` is dropped afterwards (or by the next publish when a reader still holds it).

Why the locks: PostgreSQL resolves a table name against the catalog when a statement locks the
table, not at its snapshot. Without the locks a reader's statement (or transaction) that had
read some old tables could resolve the next name to a new table. With them, the swap waits
until every transaction that touched an old table ended; a statement that reaches the lock
after it waits, then resolves the name again and reads only new tables. The lock waits at most
LOCK_TIMEOUT (shorter than PostgreSQL's deadlock_timeout of 1 s, so a reader is never the one
aborted by a deadlock); on timeout the swap is rolled back and retried, readers are released.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from custseg.publish import Audit, PublishError

STAGING_SCHEMA = "marts_staging"
NEXT_SCHEMA = "marts_next"
PUBLISHED_SCHEMA = "marts"
PREVIOUS_SCHEMA = "marts_previous"
LOCK_TIMEOUT = "200ms"
SWAP_ATTEMPTS = 300


@dataclass
class PostgresPublished:
    build_id: str
    tables: dict[str, int]
    swap_attempts: int


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def bi_reader_role() -> str | None:
    """The BI reader role as dbt_project.yml uses it (env SEGMENTATION_BI_ROLE), or None."""
    import os

    role = os.environ.get("SEGMENTATION_BI_ROLE", "segmentation_bi_reader").strip()
    return role or None


def bi_readable_tables(target_dir: Path) -> set[str]:
    """Mart tables the BI role may read: every model under models/marts whose meta bi_reader is
    not false (the activation audiences set it false in dbt_project.yml)."""
    manifest = json.loads((target_dir / "manifest.json").read_text())
    project = manifest["metadata"].get("project_name")
    return {
        node["alias"] or node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node.get("package_name") == project
        and len(node["fqn"]) > 2 and node["fqn"][1] == "marts"
        and node["config"].get("meta", {}).get("bi_reader", True) is not False
    }


def _connect():  # type: ignore[no-untyped-def]
    import psycopg2

    from custseg.load_engines import postgres_settings

    return psycopg2.connect(**postgres_settings())


def read_publish_info() -> dict | None:
    """The publish_info row of the published marts, or None when nothing is published."""
    import psycopg2

    try:
        con = _connect()
    except psycopg2.Error:
        return None
    try:
        with con.cursor() as cur:
            cur.execute("select to_regclass(%s)", [f"{PUBLISHED_SCHEMA}.publish_info"])
            if cur.fetchone()[0] is None:
                return None
            cur.execute(f"select * from {PUBLISHED_SCHEMA}.publish_info")
            row = cur.fetchone()
            return dict(zip([column[0] for column in cur.description], row)) if row else None
    finally:
        con.close()


def _drop_previous(cur, attempts: int) -> bool:  # type: ignore[no-untyped-def]
    """Drop marts_previous unless a reader still holds one of its tables."""
    import psycopg2

    for _ in range(attempts):
        try:
            cur.execute("savepoint drop_previous")
            cur.execute(f"set local lock_timeout = '{LOCK_TIMEOUT}'")
            cur.execute(f"drop schema if exists {PREVIOUS_SCHEMA} cascade")
            cur.execute("release savepoint drop_previous")
            return True
        except psycopg2.errors.LockNotAvailable:
            cur.execute("rollback to savepoint drop_previous")
            time.sleep(0.1)
    return False


def publish_postgres(
    report: Audit,
    target_dir: Path,
    progress: Callable[[str], None] = print,
) -> PostgresPublished:
    """Copy the audited build's marts from marts_staging into `marts` in one atomic swap."""
    if not report.passed or not report.complete:
        raise PublishError("\n".join(["not published:", *report.describe_problems()]))
    if not report.marts:
        raise PublishError("the manifest lists no models under models/marts")
    schemas = {mart.schema for mart in report.marts}
    if schemas != {STAGING_SCHEMA}:
        raise PublishError(
            f"the last dbt build wrote the marts into {', '.join(sorted(schemas))}, not "
            f"{STAGING_SCHEMA}: build with --vars '{{publish_mode: true}}' "
            "(python -m custseg build does) before publishing"
        )
    current = read_publish_info()
    if current and current.get("build_id") == report.invocation_id:
        progress(f"build {report.invocation_id} is already published in schema {PUBLISHED_SCHEMA}")
        return PostgresPublished(report.invocation_id, {}, 0)
    role = bi_reader_role()
    readable = bi_readable_tables(target_dir)
    started = time.perf_counter()
    con = _connect()
    try:
        with con.cursor() as cur:
            # one publisher at a time (a session lock: held until the connection closes)
            cur.execute("select pg_advisory_lock(hashtext('custseg publish'))")
            con.commit()
            # 1. write marts_next (readers cannot see it) and commit
            _drop_previous(cur, attempts=50)
            cur.execute(f"drop schema if exists {NEXT_SCHEMA} cascade")
            cur.execute(f"create schema {NEXT_SCHEMA}")
            tables = {}
            for mart in report.marts:
                source = f"{_ident(STAGING_SCHEMA)}.{_ident(mart.table)}"
                target = f"{_ident(NEXT_SCHEMA)}.{_ident(mart.table)}"
                cur.execute(f"create table {target} (like {source} including all)")
                cur.execute(f"insert into {target} select * from {source}")
                tables[mart.table] = cur.rowcount
            published_at = dt.datetime.now(dt.timezone.utc)
            cur.execute(
                f"create table {NEXT_SCHEMA}.publish_info (build_id text not null, "
                "build_started_at timestamp, published_at timestamp, dbt_version text, "
                "tests_passed integer, tests_warned integer, published_tables integer)"
            )
            cur.execute(
                f"insert into {NEXT_SCHEMA}.publish_info values (%s, %s, %s, %s, %s, %s, %s)",
                [report.invocation_id,
                 report.started_at.astimezone(dt.timezone.utc).replace(tzinfo=None),
                 published_at.replace(tzinfo=None), report.dbt_version, report.tests_passed,
                 report.tests_warned, len(tables)],
            )
            cur.execute(
                f"comment on table {NEXT_SCHEMA}.publish_info is 'The build these marts come "
                "from: dbt invocation id (build_id), when it started and was published (UTC), "
                "how many tests passed or warned.'"
            )
        con.commit()
        copied = time.perf_counter() - started
        # 2. the swap: grants, locks on the old marts, two renames, commit
        attempts = 0
        with con.cursor() as cur:
            while True:
                attempts += 1
                role_exists = False
                if role:
                    cur.execute("select 1 from pg_catalog.pg_roles where rolname = %s", [role])
                    role_exists = cur.fetchone() is not None
                if role_exists:
                    cur.execute(f"grant usage on schema {NEXT_SCHEMA} to {_ident(role)}")
                    for table in [*sorted(readable & set(tables)), "publish_info"]:
                        cur.execute(
                            f"grant select on {NEXT_SCHEMA}.{_ident(table)} to {_ident(role)}"
                        )
                cur.execute(
                    "select c.relname from pg_catalog.pg_class c join pg_catalog.pg_namespace n "
                    "on n.oid = c.relnamespace where n.nspname = %s "
                    "and c.relkind in ('r', 'p', 'v', 'm', 'f') order by c.relname",
                    [PUBLISHED_SCHEMA],
                )
                old = [row[0] for row in cur.fetchall()]
                try:
                    cur.execute(f"set local lock_timeout = '{LOCK_TIMEOUT}'")
                    if old:
                        cur.execute(
                            "lock table "
                            + ", ".join(f"{PUBLISHED_SCHEMA}.{_ident(t)}" for t in old)
                            + " in access exclusive mode"
                        )
                    cur.execute("select 1 from pg_catalog.pg_namespace where nspname = %s",
                                [PUBLISHED_SCHEMA])
                    if cur.fetchone():
                        cur.execute(f"drop schema if exists {PREVIOUS_SCHEMA} cascade")
                        cur.execute(f"alter schema {PUBLISHED_SCHEMA} rename to {PREVIOUS_SCHEMA}")
                    cur.execute(f"alter schema {NEXT_SCHEMA} rename to {PUBLISHED_SCHEMA}")
                    con.commit()
                    break
                except Exception as error:
                    import psycopg2

                    con.rollback()
                    if not isinstance(error, psycopg2.errors.LockNotAvailable) \
                            or attempts >= SWAP_ATTEMPTS:
                        raise
                    time.sleep(0.05)
        swapped = time.perf_counter() - started - copied
        # 3. the previous marts, unless a reader still holds them (the next publish retries)
        with con.cursor() as cur:
            dropped = _drop_previous(cur, attempts=20)
        con.commit()
    except Exception as error:
        con.rollback()
        import psycopg2

        if isinstance(error, psycopg2.Error):
            raise PublishError(f"publish failed on PostgreSQL: {error}".strip()) from error
        raise
    finally:
        con.close()
    progress(
        f"published build {report.invocation_id} into schema {PUBLISHED_SCHEMA} "
        f"({len(tables)} marts copied in {copied:.1f}s, swapped in {swapped:.2f}s after "
        f"{attempts} attempt(s)" + ("" if dropped else f"; {PREVIOUS_SCHEMA} still in use, "
                                    "dropped by the next publish") + ")"
    )
    return PostgresPublished(report.invocation_id, tables, attempts)
