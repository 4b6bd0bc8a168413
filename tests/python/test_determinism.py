"""Same input, same output: two builds of the same raw data give the same content in every
table, whatever the thread count and whatever order the raw rows are stored in.

One raw load is copied to a second DuckDB file whose raw tables are rewritten in another row
order. The first file is built with 1 dbt thread and 1 DuckDB thread, the second with 4 and 4.
Both are opened with 2,048-row row groups so that DuckDB really scans, aggregates and sorts in
parallel even at this small scale (it parallelises per row group, 122,880 rows by default).
Every table of every layer must have the same row count and content checksum; the only columns
left out are the documented run-dependent ones (custseg.checksum.RUN_DEPENDENT_COLUMNS)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import yaml

from custseg.checksum import table_checksum
from tests.python.conftest import PROJECT_DIR, failure_summary, project_env, run_cli

CONTACTS = "1000"
SCHEMAS = ("raw", "reference", "staging", "intermediate", "marts")
ROW_GROUP_SIZE = 2048


def _profiles_dir(tmp: Path, database: Path, threads: int) -> Path:
    """The project's DuckDB profile, pointed at `database` with small row groups, with
    `threads` dbt threads and `threads` DuckDB worker threads."""
    profiles = yaml.safe_load((PROJECT_DIR / "profiles.yml").read_text())
    output = profiles["customer_segmentation"]["outputs"]["duckdb"]
    output.update(
        path=":memory:",
        database=database.stem,
        attach=[{"path": str(database), "alias": database.stem,
                 "options": {"row_group_size": ROW_GROUP_SIZE}}],
        threads=threads,
    )
    output["settings"] = dict(output.get("settings") or {}, threads=threads)
    folder = tmp / f"profiles_{threads}_threads"
    folder.mkdir()
    (folder / "profiles.yml").write_text(yaml.safe_dump(profiles))
    return folder


def _reorder_raw_tables(database: Path) -> None:
    """Rewrite every raw table with the same rows in another physical order."""
    con = duckdb.connect(str(database))
    try:
        tables = [row[0] for row in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'raw'"
        ).fetchall()]
        for table in tables:
            con.execute(
                f"create or replace table raw.{table} as "
                f"select * from raw.{table} as t order by md5(cast(t as varchar)) desc"
            )
    finally:
        con.close()


def _checksums(database: Path) -> dict[str, tuple[int, str]]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() where schema_name in ("
            + ", ".join(f"'{schema}'" for schema in SCHEMAS) + ") order by 1, 2"
        ).fetchall()
        return {f"{schema}.{table}": table_checksum(con, schema, table) for schema, table in tables}
    finally:
        con.close()


def _row_groups(database: Path, relation: str) -> int:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return int(con.execute(
            f"select count(distinct row_group_id) from pragma_storage_info('{relation}')"
        ).fetchone()[0])
    finally:
        con.close()


def test_same_raw_data_gives_the_same_tables_whatever_the_threads(tmp_path: Path) -> None:
    one, four = tmp_path / "one", tmp_path / "four"
    env_one, env_four = project_env(one), project_env(four)
    env_four["SEGMENTATION_DATA_DIR"] = env_one["SEGMENTATION_DATA_DIR"]
    prepared = run_cli(["prepare", "--contacts", CONTACTS], env_one)
    assert prepared.returncode == 0, failure_summary(prepared)
    four.mkdir()
    shutil.copyfile(one / "warehouse.duckdb", four / "warehouse.duckdb")
    _reorder_raw_tables(four / "warehouse.duckdb")

    for folder, env, threads in ((one, env_one, 1), (four, env_four, 4)):
        profiles = _profiles_dir(tmp_path, folder / "warehouse.duckdb", threads)
        built = run_cli(["dbt", "build", "--profiles-dir", str(profiles),
                         "--resource-type", "seed", "--resource-type", "model"], env)
        assert built.returncode == 0, failure_summary(built)
        assert f"Concurrency: {threads} threads" in built.stdout

    # The builds really ran on many row groups (so in parallel where DuckDB can).
    assert _row_groups(four / "warehouse.duckdb", "staging.base_app__events") > 4

    first, second = _checksums(one / "warehouse.duckdb"), _checksums(four / "warehouse.duckdb")
    assert {name.split(".")[0] for name in first} == set(SCHEMAS)
    assert sorted(first) == sorted(second), "the two builds made different tables"
    differing = [name for name in first if first[name] != second[name]]
    assert not differing, "different content with 1 and 4 threads: " + ", ".join(differing)
