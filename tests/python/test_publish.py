"""Write-audit-publish on a real DuckDB warehouse: builds that fail never reach readers.

A reader process keeps querying the published marts (data/published.duckdb, read-only) while a
build fails on purpose and then a good build of different data publishes. The reader must never
see an error, a missing table or a mix of two builds: every observation equals, table by table,
the published content of one build. A connection held open across both builds neither blocks
them nor sees anything change."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from custseg.checksum import table_checksum
from tests.python.conftest import PROJECT_DIR, failure_summary, project_env, run_cli
from tests.python.marts_reader import TABLES

CONTACTS = "1000"
# A real build of other data (another seed: other contacts, orders and events) with one
# error-severity test made to fail: the holdout share may deviate by -1 standard errors.
FAILING_BUILD = ["--seed", "43", "--", "--vars",
                 json.dumps({"holdout_tolerance_standard_errors": -1})]
FAILING_TEST = "assert_holdout_shares_within_tolerance"
GOOD_BUILD = ["--seed", "44"]


def _attach(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published file that never reuses a cached one."""
    con = duckdb.connect()
    con.execute(f"attach '{path}' as published (read_only)")
    con.execute("use published")
    return con


def _published_state(path: Path) -> tuple[str, dict[str, list]]:
    """(build id, {table: [rows, md5]}) as the reader computes them."""
    con = _attach(path)
    try:
        build_id = con.execute("select build_id from publish.publish_info").fetchone()[0]
        return build_id, {table: list(table_checksum(con, "marts", table)) for table in TABLES}
    finally:
        con.close()


def _warehouse_sums(database: Path) -> dict[str, list]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return {table: list(table_checksum(con, "marts", table)) for table in TABLES}
    finally:
        con.close()


def _observations(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.endswith("}")]


def _wait_for(condition, what: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.2)


@pytest.fixture(scope="module")
def published_warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    tmp = tmp_path_factory.mktemp("publish")
    env = project_env(tmp)
    result = run_cli(["build", "--contacts", CONTACTS], env)
    assert result.returncode == 0, failure_summary(result)
    assert "published build" in result.stdout, result.stdout[-2000:]
    return tmp, env


def test_failed_build_never_reaches_readers(published_warehouse) -> None:
    tmp, env = published_warehouse
    published = tmp / "published.duckdb"
    old_build, old_sums = _published_state(published)
    old_inode = os.stat(published).st_ino
    expected = {old_build: old_sums}

    # A BI session that stays open across both builds.
    held = _attach(published)
    observations, stop = tmp / "observations.jsonl", tmp / "stop-reader"
    reader = subprocess.Popen(
        [sys.executable, "-m", "tests.python.marts_reader", str(published), str(observations),
         str(stop)],
        cwd=PROJECT_DIR, env=env, stderr=subprocess.PIPE, text=True,
    )
    try:
        _wait_for(lambda: len(_observations(observations)) >= 1, "the reader's first read")

        failing = run_cli(["build", "--contacts", CONTACTS, *FAILING_BUILD], env)
        assert failing.returncode != 0, failure_summary(failing)
        refusal = failing.stdout[failing.stdout.index("not published:"):]
        assert FAILING_TEST in refusal, refusal
        assert f"readers keep build {old_build}" in refusal, refusal
        # The failed build did write other data into the build warehouse, and none of it is
        # published: same file, same build, same content.
        failed_sums = _warehouse_sums(tmp / "warehouse.duckdb")
        assert failed_sums["dim_customers"] != old_sums["dim_customers"]
        assert os.stat(published).st_ino == old_inode
        assert _published_state(published) == (old_build, old_sums)

        good = run_cli(["build", "--contacts", CONTACTS, *GOOD_BUILD], env)
        assert good.returncode == 0, failure_summary(good)
        new_build, new_sums = _published_state(published)
        assert new_build != old_build and new_sums != old_sums
        assert new_sums == _warehouse_sums(tmp / "warehouse.duckdb")  # what dbt built and tested
        expected[new_build] = new_sums

        _wait_for(lambda: any(o.get("build_id") == new_build for o in _observations(observations)),
                  "the reader to see the new build")
    finally:
        stop.touch()
        try:
            reader.wait(timeout=120)
        finally:
            if reader.poll() is None:
                reader.kill()
    assert reader.returncode == 0, reader.stderr.read() if reader.stderr else ""

    # The held session still reads the complete old build, consistently.
    try:
        assert held.execute("select build_id from publish.publish_info").fetchone()[0] == old_build
        assert {table: list(table_checksum(held, "marts", table)) for table in TABLES} == old_sums
    finally:
        held.close()

    seen = _observations(observations)
    errors = [o for o in seen if "error" in o]
    assert not errors, errors[:5]
    for observation in seen:
        build = observation["build_id"]
        assert build in expected, f"reader saw an unpublished build: {observation}"
        assert observation["tables"] == expected[build], f"reader saw a mix: {observation}"
        assert observation["tables"]["dim_customers"] != failed_sums["dim_customers"]
    assert {o["build_id"] for o in seen} == set(expected)
    builds = sorted((tmp / "published_builds").glob("*.duckdb"))
    assert 1 <= len(builds) <= 3 and os.path.samefile(builds[-1], published)


def test_publish_refuses_a_partial_build(published_warehouse) -> None:
    tmp, env = published_warehouse
    before = _published_state(tmp / "published.duckdb")
    partial = run_cli(["dbt", "build", "--select", "dim_segments"], env)
    assert partial.returncode == 0, failure_summary(partial)
    result = run_cli(["publish"], env)
    assert result.returncode != 0, result.stdout
    assert "did not build and test the whole project" in result.stdout
    assert _published_state(tmp / "published.duckdb") == before


def test_publish_names_the_failing_tests(published_warehouse) -> None:
    tmp, env = published_warehouse
    before = _published_state(tmp / "published.duckdb")
    failing = run_cli(["dbt", "test", "--select", FAILING_TEST, *FAILING_BUILD[3:]], env)
    assert failing.returncode != 0
    result = run_cli(["publish"], env)
    assert result.returncode != 0, result.stdout
    assert f"fail  test {FAILING_TEST}" in result.stdout, result.stdout
    assert f"readers keep build {before[0]}" in result.stdout
    assert _published_state(tmp / "published.duckdb") == before
