"""The same project on another engine gives the same tables as on DuckDB.

Run by `make test-postgres` (and `make test-spark`), which start the engine, load the demo raw
data at ENGINE_CONTACTS contacts in two loads (all but the last day, then the last day) and run
`dbt build` there after each (models, data tests, unit tests; the second run incremental)
before calling this test with SEGMENTATION_ENGINE_UNDER_TEST set. The test builds a DuckDB
warehouse from the same generated files and compares every staging, intermediate and mart
table row for row: same members per segment, same RFM scores, same counts, same amounts.
Without SEGMENTATION_ENGINE_UNDER_TEST (plain `make test`) it is skipped."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from custseg.checksum import RUN_DEPENDENT_COLUMNS
from custseg.contract import LOADED_AT_COLUMN
from custseg.partition_writes import MONTH_PARTITIONED
from tests.python.conftest import PROJECT_DIR, failure_summary, project_env, run_cli
from tests.python.engine_compare import compare_tables

ENGINE = os.environ.get("SEGMENTATION_ENGINE_UNDER_TEST")
ENGINE_CONTACTS = int(os.environ.get("SEGMENTATION_ENGINE_CONTACTS", "2000"))
SPLIT_AT = os.environ.get("SEGMENTATION_ENGINE_SPLIT_AT", "2026-10-31")

pytestmark = pytest.mark.skipif(
    ENGINE is None, reason="engine comparison runs from make test-postgres / make test-spark"
)


def _engine_fetch():
    if ENGINE == "postgres":
        import psycopg2

        from custseg.load_engines import postgres_settings

        con = psycopg2.connect(**postgres_settings())

        def fetch(sql: str) -> list[tuple]:
            with con.cursor() as cur:
                cur.execute(sql)
                return cur.fetchall()

        return fetch, con.close
    if ENGINE == "spark":
        from custseg.load_engines import spark_session

        spark = spark_session()

        def fetch(sql: str) -> list[tuple]:
            return [tuple(row) for row in spark.sql(sql).collect()]

        return fetch, lambda: None
    raise AssertionError(f"unknown engine {ENGINE}")


def test_engine_builds_the_same_tables_as_duckdb(tmp_path: Path) -> None:
    env = project_env(tmp_path)
    env["SEGMENTATION_DATA_DIR"] = os.environ.get(
        "SEGMENTATION_DATA_DIR", str(Path(__file__).resolve().parents[2] / "data")
    )
    env.pop("SEGMENTATION_TARGET", None)
    # The same two loads and builds as the engine got (Makefile FIRST_LOAD / DAILY_LOAD), so the
    # history models hold the same as-of dates; DuckDB's second build is incremental too.
    for part, stamp in (("before", "00:00"), ("after", "23:59")):
        loaded = run_cli(["prepare", "--contacts", str(ENGINE_CONTACTS), "--part", part,
                          "--split-at", SPLIT_AT, "--loaded-at", f"{SPLIT_AT} {stamp}"], env)
        assert loaded.returncode == 0, failure_summary(loaded)
        built = run_cli(["dbt", "build", "--profiles-dir", "."], env)
        assert built.returncode == 0, failure_summary(built)
    reference = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    fetch_engine, close = _engine_fetch()
    try:
        tables = [
            (schema, table, [
                row[0] for row in reference.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = ? and table_name = ? order by ordinal_position",
                    [schema, table],
                ).fetchall()
                # when the loader ran, and the run that wrote the row, differ between the two
                # warehouses by design
                if row[0] != LOADED_AT_COLUMN
                and row[0] not in RUN_DEPENDENT_COLUMNS.get(table, ())
            ])
            for schema, table in reference.execute(
                "select table_schema, table_name from information_schema.tables "
                "where table_type = 'BASE TABLE' "
                "and table_schema in ('staging', 'intermediate', 'marts') order by 1, 2"
            ).fetchall()
        ]
        assert len(tables) > 40
        problems = compare_tables(tables, lambda sql: reference.execute(sql).fetchall(),
                                  fetch_engine)
    finally:
        reference.close()
        close()
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(ENGINE != "spark", reason="months replaced whole are Spark's incremental")
def test_spark_daily_run_replaced_only_the_months_it_touched() -> None:
    """On Spark the staged and attributed orders, their lines, the attributed events, their
    rollup and the tagged events are partitioned by month, and a daily run replaces only the months it
    touches (insert_overwrite). After the second (daily) build of `make test-spark`, each table
    holds months that run wrote and months the first build wrote, and every month was written
    whole by one run (one `_written_at`): no month mixes rows of two runs, and not every month
    was rebuilt."""
    fetch, close = _engine_fetch()
    try:
        for schema, table, month in MONTH_PARTITIONED:
            months = fetch(
                f"select {month}, count(distinct _written_at), max(_written_at) "
                f"from {schema}.{table} group by {month}"
            )
            mixed = [value for value, stamps, _ in months if stamps != 1]
            assert not mixed, f"{table}: months holding rows of two runs: {mixed[:3]}"
            newest = max(written for _, _, written in months)
            replaced = [value for value, _, written in months if written == newest]
            assert 0 < len(replaced) < len(months), (
                f"{table}: the daily run replaced {len(replaced)} of {len(months)} months"
            )
    finally:
        close()


def _drop_login(cur, login: str) -> None:
    """Drop the test's login role and anything it managed to create."""
    cur.execute("select 1 from pg_catalog.pg_roles where rolname = %s", [login])
    if cur.fetchone():
        cur.execute(f"drop owned by {login}")
        cur.execute(f"drop role {login}")


@pytest.mark.skipif(ENGINE != "postgres", reason="roles and grants are PostgreSQL's")
def test_bi_reader_role_reads_the_marts_and_nothing_else() -> None:
    """A BI user granted the BI reader role (as a BI tool's login would be) can select from
    every mart but the activation audiences, and cannot read raw, staging, intermediate or
    reference tables or create a table in the marts schema."""
    import psycopg2
    from psycopg2 import errors

    from custseg.load_engines import postgres_settings

    role = os.environ.get("SEGMENTATION_BI_ROLE", "segmentation_bi_reader")
    login = f"{role}_test_user"
    admin = psycopg2.connect(**postgres_settings())
    admin.autocommit = True
    with admin.cursor() as cur:
        _drop_login(cur, login)
        cur.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' and table_type = 'BASE TABLE' order by 1"
        )
        marts = [row[0] for row in cur.fetchall()]
        cur.execute(f"create role {login} login in role {role}")
    bi = psycopg2.connect(**dict(postgres_settings(), user=login, password=""))
    bi.autocommit = True  # each statement its own transaction: a refusal does not abort the rest

    def outcome(sql: str) -> str:
        try:
            with bi.cursor() as cur:
                cur.execute(sql)
            return "ok"
        except errors.InsufficientPrivilege as error:
            return "denied: " + str(error).splitlines()[0]

    try:
        assert len(marts) > 15
        readable = {table: outcome(f"select count(*) from marts.{table}") for table in marts}
        refused = {
            relation: outcome(f"select count(*) from {relation}")
            for relation in ["raw.crm_contacts", "staging.stg_crm__contacts",
                             "intermediate.int_customers__base", "reference.countries",
                             "marts.fct_activation_audiences"]
        }
        create = outcome("create table marts.bi_reader_probe (probe integer)")
    finally:
        bi.close()
        with admin.cursor() as cur:
            _drop_login(cur, login)
        admin.close()
    assert {table: result for table, result in readable.items()
            if table != "fct_activation_audiences" and result != "ok"} == {}
    assert all(result.startswith("denied") for result in refused.values()), refused
    assert create.startswith("denied"), create


@pytest.mark.skipif(ENGINE != "postgres", reason="PostgreSQL's safe casts (helper functions)")
def test_postgres_safe_casts_agree_for_text_and_typed_raw_columns(tmp_path: Path) -> None:
    """The staging casts on PostgreSQL take a column already stored with the target type (a
    typed load) by a plain cast and text through the PL/pgSQL helpers (macro
    postgres_typed_or_parsed). Both paths give the same values, text in any session time zone:
    no offset is UTC, an offset is converted, an unparseable value is null, not an error."""
    import datetime as dt
    from decimal import Decimal

    import psycopg2

    from custseg.load_engines import postgres_settings

    inline = """
        select
            {{ to_utc_timestamp('at_text') }} as at_from_text,
            {{ to_utc_timestamp('at_typed') }} as at_from_typed,
            {{ dbt.safe_cast('amount_text', type_amount()) }} as amount_from_text,
            {{ dbt.safe_cast('amount_typed', type_amount()) }} as amount_from_typed,
            {{ dbt.safe_cast('count_text', dbt.type_int()) }} as count_from_text,
            {{ dbt.safe_cast('count_typed', dbt.type_int()) }} as count_from_typed,
            {{ dbt.safe_cast('flag_text', dbt.type_boolean()) }} as flag_from_text,
            {{ dbt.safe_cast('flag_typed', dbt.type_boolean()) }} as flag_from_typed
        from (
            values
                (1, '2026-01-02 03:04:05', timestamp '2026-01-02 03:04:05', '12.50', 12.50,
                    '7', 7, 'true', true),
                (2, '2026-01-02 03:04:05+02:00', null, '-0.5', -0.5, '8', 8, 'false', false),
                (3, 'not a time', null, 'abc', null, '7.5', null, 'maybe', null),
                (4, null, null, null, null, null, null, null, null)
        ) as raw_values (
            row_number, at_text, at_typed, amount_text, amount_typed, count_text, count_typed,
            flag_text, flag_typed
        )
        order by row_number
    """
    dbt = Path(sys.executable).parent / "dbt"
    result = subprocess.run(
        [str(dbt), "compile", "--quiet", "--inline", inline, "--profiles-dir", str(PROJECT_DIR)],
        cwd=PROJECT_DIR, env=project_env(tmp_path), capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, failure_summary(result)
    assert "try_cast_timestamp" in result.stdout and "pg_typeof" in result.stdout

    con = psycopg2.connect(**postgres_settings())
    try:
        with con.cursor() as cur:
            cur.execute("set timezone = 'America/New_York'")
            cur.execute(result.stdout)
            rows = cur.fetchall()
    finally:
        con.close()

    at = dt.datetime(2026, 1, 2, 3, 4, 5)
    columns = list(zip(*rows))
    assert list(columns[0]) == [at, at - dt.timedelta(hours=2), None, None]
    assert list(columns[1]) == [at, None, None, None]
    assert list(columns[2]) == list(columns[3]) == [Decimal("12.50"), Decimal("-0.50"), None, None]
    assert list(columns[4]) == [7, 8, None, None]
    assert list(columns[5]) == [7, 8, None, None]
    assert list(columns[6]) == list(columns[7]) == [True, False, None, None]


def _pg_published_state(schema: str = "marts") -> tuple[str, dict[str, list]]:
    """(build id, {table: [rows, md5]}) of a schema, computed as the reader computes it."""
    import psycopg2

    from custseg.load_engines import postgres_settings
    from tests.python.pg_marts_reader import TABLES, checksum_sql

    con = psycopg2.connect(**postgres_settings())
    try:
        with con.cursor() as cur:
            cur.execute(f"select build_id from {schema}.publish_info" if schema == "marts"
                        else "select null")
            build_id = cur.fetchone()[0]
            tables = {}
            for table in TABLES:
                if table == "publish_info" and schema != "marts":
                    continue
                cur.execute(checksum_sql(schema, table))
                tables[table] = list(cur.fetchone())
        return build_id, tables
    finally:
        con.close()


def _pg_observations(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.endswith("}")]


def _wait_for(condition, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.2)


@pytest.mark.skipif(ENGINE != "postgres", reason="schema swaps are PostgreSQL's publish")
def test_failed_build_never_reaches_postgres_readers(tmp_path: Path) -> None:
    """Write-audit-publish on PostgreSQL: a reader process queries the published marts in a
    loop (REPEATABLE READ transactions) while a build of other data fails a test on purpose and
    a good build then publishes. The failed build is named and leaves `marts` as it was; the
    reader never sees an error, a missing table or a mix of two builds. Runs last: it leaves
    the database with seed 43's data."""
    env = project_env(tmp_path)
    env["SEGMENTATION_DATA_DIR"] = os.environ.get(
        "SEGMENTATION_DATA_DIR", str(Path(__file__).resolve().parents[2] / "data")
    )
    env["SEGMENTATION_TARGET"] = "postgres"
    # The first publish: a publish_mode build of the data make test-postgres loaded, then
    # `custseg publish` on its own.
    built = run_cli(["dbt", "build", "--profiles-dir", ".", "--vars", "{publish_mode: true}"], env)
    assert built.returncode == 0, failure_summary(built)
    published = run_cli(["publish"], env)
    assert published.returncode == 0, published.stdout + published.stderr
    old_build, old_state = _pg_published_state()
    expected = {old_build: old_state}

    observations, stop = tmp_path / "observations.jsonl", tmp_path / "stop-reader"
    reader = subprocess.Popen(
        [sys.executable, "-m", "tests.python.pg_marts_reader", str(observations), str(stop)],
        cwd=Path(__file__).resolve().parents[2], env=env, stderr=subprocess.PIPE, text=True,
    )
    try:
        _wait_for(lambda: len(_pg_observations(observations)) >= 1, "the reader's first read")
        scale = ["--contacts", str(ENGINE_CONTACTS), "--seed", "43"]
        failing = run_cli(["build", *scale, "--", "--vars",
                           json.dumps({"holdout_tolerance_standard_errors": -1})], env)
        assert failing.returncode != 0, failure_summary(failing)
        refusal = failing.stdout[failing.stdout.index("not published:"):]
        assert "assert_holdout_shares_within_tolerance" in refusal, refusal
        assert f"readers keep build {old_build}" in refusal, refusal
        # the failed build wrote other data into marts_staging; none of it reached marts
        staged = _pg_published_state("marts_staging")[1]
        assert staged["dim_customers"] != old_state["dim_customers"]
        assert _pg_published_state() == (old_build, old_state)

        good = run_cli(["build", *scale], env)
        assert good.returncode == 0, failure_summary(good)
        assert "published build" in good.stdout, good.stdout[-2000:]
        new_build, new_state = _pg_published_state()
        assert new_build != old_build and new_state["dim_customers"] != old_state["dim_customers"]
        staged = _pg_published_state("marts_staging")[1]
        assert {t: s for t, s in new_state.items() if t != "publish_info"} == staged
        expected[new_build] = new_state
        _wait_for(lambda: any(o.get("build_id") == new_build
                              for o in _pg_observations(observations)), "a read of the new build")
    finally:
        stop.touch()
        try:
            reader.wait(timeout=60)
        except subprocess.TimeoutExpired:
            reader.kill()
    assert reader.returncode == 0, reader.stderr.read() if reader.stderr else ""
    seen = _pg_observations(observations)
    errors = [o for o in seen if "error" in o]
    assert not errors, errors[:3]
    assert {o["build_id"] for o in seen} == set(expected), [o["build_id"] for o in seen]
    mixed = [o for o in seen if o["tables"] != expected[o["build_id"]]]
    assert not mixed, mixed[:2]
