"""End to end on a real DuckDB file: generate, load and `dbt build` through the CLI, then check
what a user relies on: every raw row accounted for, the planted dirt quarantined with the
documented reasons, a second build giving the same warehouse, and the reconciliation test
failing when a row goes missing."""

from __future__ import annotations

import subprocess
import sys

import duckdb

from custseg.checksum import table_checksum
from tests.python.conftest import PROJECT_DIR, E2E_CONTACTS, Warehouse, run_cli


def _table_checksums(database) -> dict[str, tuple[int, str]]:
    """{schema.table: (rows, content checksum)} for every built table, the documented
    run-dependent columns left out (custseg.checksum.RUN_DEPENDENT_COLUMNS)."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' "
            "and table_schema in ('staging', 'intermediate', 'reference', 'marts')"
        ).fetchall()
        sums = {}
        for schema, table in tables:
            if table == "fct_segment_size_snapshots":
                continue  # appends a row per build and segment: grows by design
            sums[f"{schema}.{table}"] = table_checksum(con, schema, table)
        return sums
    finally:
        con.close()


def test_build_prints_a_summary_per_layer(built_warehouse: Warehouse) -> None:
    out = built_warehouse.build_output
    for layer in ("raw", "staging", "intermediate", "marts"):
        assert f"  {layer} " in out
    assert "dbt build time" in out
    assert "MISMATCH" not in out


def test_every_raw_row_is_kept_rejected_or_collapsed(built_warehouse: Warehouse) -> None:
    con = duckdb.connect(str(built_warehouse.database), read_only=True)
    try:
        rows = con.execute(
            "select source_table, raw_rows, kept_rows, rejected_rows, duplicate_rows "
            "from intermediate.int_data_quality__row_reconciliation"
        ).fetchall()
        assert len(rows) == 6
        for table, raw, kept, rejected, duplicate in rows:
            actual_raw = con.execute(f"select count(*) from raw.{table}").fetchone()[0]
            assert raw == actual_raw, table
            assert raw == kept + rejected + duplicate, table
            assert kept > 0 and kept < raw, table  # the demo data is dirty in every table
    finally:
        con.close()


def test_planted_dirt_is_quarantined_with_its_reason(built_warehouse: Warehouse) -> None:
    expected = {
        ("crm_accounts", "missing account_id"),
        ("crm_accounts", "deleted in source"),
        ("crm_contacts", "missing contact_id"),
        ("crm_contacts", "deleted in source"),
        ("crm_contacts", "test account"),
        ("crm_nps_responses", "score out of range 0-10"),
        ("shop_orders", "missing order_id"),
        ("shop_orders", "negative gross_amount"),
        ("shop_orders", "unknown currency"),
        ("shop_orders", "ordered_at out of range"),
        ("shop_orders", "unknown order status"),
        ("shop_order_items", "non-positive quantity"),
        ("app_events", "bot traffic"),
        ("app_events", "missing event_id"),
    }
    con = duckdb.connect(str(built_warehouse.database), read_only=True)
    try:
        found = set(
            con.execute(
                "select distinct source_table, rejection_reason "
                "from intermediate.int_data_quality__rejected_rows"
            ).fetchall()
        )
        # Clean-looking rows are never rejected without a reason.
        assert con.execute(
            "select count(*) from intermediate.int_data_quality__rejected_rows "
            "where rejection_reason is null"
        ).fetchone()[0] == 0
        # Guest orders, orders of unknown contacts and late events are kept, not rejected.
        assert con.execute(
            "select count(*) from staging.stg_shop__orders where is_guest_order"
        ).fetchone()[0] > 0
        assert con.execute(
            "select count(*) from staging.stg_app__events where is_late_arriving"
        ).fetchone()[0] > 0
        assert con.execute(
            "select count(*) from staging.stg_app__events where has_malformed_properties"
        ).fetchone()[0] > 0
    finally:
        con.close()
    missing = expected - found
    assert not missing, f"planted dirt not quarantined: {sorted(missing)}"


def test_building_twice_gives_the_same_warehouse(built_warehouse: Warehouse) -> None:
    before = _table_checksums(built_warehouse.database)
    assert len(before) >= 10
    result = run_cli(["build", "--contacts", str(E2E_CONTACTS)], built_warehouse.env)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "already in" in result.stdout  # the raw files were reused, not regenerated
    after = _table_checksums(built_warehouse.database)
    assert after == before


def test_reconciliation_test_fails_when_a_row_goes_missing(built_warehouse: Warehouse) -> None:
    con = duckdb.connect(str(built_warehouse.database))
    try:
        con.execute(
            "delete from staging.stg_shop__orders "
            "where order_id = (select min(order_id) from staging.stg_shop__orders)"
        )
    finally:
        con.close()
    dbt = [sys.executable, "-m", "custseg", "dbt", "test", "--select", "assert_raw_rows_reconcile"]
    result = subprocess.run(
        dbt, cwd=PROJECT_DIR, env=built_warehouse.env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode != 0, result.stdout[-3000:]
    assert "assert_raw_rows_reconcile" in result.stdout
    # Rebuilding the (incremental) model from scratch restores the balance.
    rebuild = run_cli(["dbt", "build", "--full-refresh", "--select", "stg_shop__orders",
                       "assert_raw_rows_reconcile"], built_warehouse.env)
    assert rebuild.returncode == 0, rebuild.stdout[-3000:]


def test_incremental_table_of_an_earlier_version_asks_for_a_full_refresh(
        built_warehouse: Warehouse) -> None:
    """A stored incremental table that lacks a column its incremental run reads (built before
    the column was added) stops the run with the command that fixes it."""
    con = duckdb.connect(str(built_warehouse.database))
    try:
        con.execute("alter table intermediate.int_order_items__attributed "
                    "drop column reporting_currency_rate")
    finally:
        con.close()
    result = run_cli(["dbt", "run", "--select", "int_order_items__attributed"],
                     built_warehouse.env)
    assert result.returncode != 0
    assert "--full-refresh --select int_order_items__attributed" in result.stdout, \
        result.stdout[-3000:]
    rebuild = run_cli(["dbt", "build", "--full-refresh", "--select",
                       "int_order_items__attributed"], built_warehouse.env)
    assert rebuild.returncode == 0, rebuild.stdout[-3000:]


def test_every_model_column_is_documented(built_warehouse: Warehouse) -> None:
    """Each column a model builds has a description in its YAML, and the YAML names no column
    the model does not build."""
    import json

    manifest = json.loads(
        (built_warehouse.database.parent / "target" / "manifest.json").read_text()
    )
    con = duckdb.connect(str(built_warehouse.database), read_only=True)
    problems = []
    try:
        for node in manifest["nodes"].values():
            if node["resource_type"] != "model":
                continue
            built = [
                row[0]
                for row in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = ? and table_name = ? order by ordinal_position",
                    [node["schema"], node["alias"]],
                ).fetchall()
            ]
            documented = {
                name: column.get("description", "") for name, column in node["columns"].items()
            }
            assert node.get("description"), f"{node['name']} has no description"
            for column in built:
                if not documented.get(column):
                    problems.append(f"{node['name']}.{column} undocumented")
            for column in documented:
                if column not in built:
                    problems.append(f"{node['name']}.{column} documented but not built")
    finally:
        con.close()
    assert not problems, "\n".join(problems)


def test_docs_generate_shows_the_full_lineage(built_warehouse: Warehouse, tmp_path) -> None:
    """`dbt docs generate` works, and its manifest links raw sources through staging,
    intermediate and marts to the exposures."""
    import json

    env = dict(built_warehouse.env, DBT_TARGET_PATH=str(tmp_path / "docs_target"))
    result = run_cli(["dbt", "docs", "generate"], env)
    assert result.returncode == 0, result.stdout[-3000:]
    target = tmp_path / "docs_target"
    assert (target / "catalog.json").exists() and (target / "index.html").exists()
    manifest = json.loads((target / "manifest.json").read_text())
    sources = {node["name"] for node in manifest["sources"].values()}
    assert sources == {
        "crm_accounts", "crm_contacts", "crm_nps_responses",
        "shop_orders", "shop_order_items", "app_events",
    }
    exposures = manifest["exposures"].values()
    assert {exposure["name"] for exposure in exposures} >= {
        "segment_performance_dashboard", "email_and_ads_activation_sync",
    }
    # Walk the lineage upstream from the activation sync down to a raw source.
    parents = manifest["parent_map"]
    seen, frontier = set(), [
        key for key in manifest["exposures"] if key.endswith("email_and_ads_activation_sync")
    ]
    while frontier:
        node = frontier.pop()
        if node in seen:
            continue
        seen.add(node)
        frontier.extend(parents.get(node, []))
    layers = {key.split(".")[-1].split("__")[0].split("_")[0] for key in seen}
    assert any(key.startswith("source.") for key in seen)
    assert {"stg", "int", "fct", "dim"} <= layers


def _execute(warehouse: Warehouse, statement: str) -> None:
    """Run one statement on the built warehouse (to plant or remove a row)."""
    con = duckdb.connect(str(warehouse.database))
    try:
        con.execute(statement)
    finally:
        con.close()


def _repeat_fails_the_latest_write_test(warehouse: Warehouse, table: str, repeated_rows: str,
                                        model: str, test_name: str, test_node: str) -> None:
    """Append the rows of `table` matching `repeated_rows` again, stamped a day after their
    write (as a later run would): the model's latest-write test must fail and name itself;
    with the newest stamp's rows deleted it must pass (`test_node`: the test's name in dbt's
    output)."""
    _execute(warehouse, f"insert into {table} "
             "select * replace (_written_at + interval 1 day as _written_at) "
             f"from {table} where {repeated_rows}")
    test = ["dbt", "test", "--select", f"{model},test_name:{test_name}"]
    failed = run_cli(test, warehouse.env)
    assert failed.returncode != 0, failed.stdout[-3000:]
    assert test_node in failed.stdout
    _execute(warehouse,
             f"delete from {table} where _written_at = (select max(_written_at) from {table})")
    passed = run_cli(test, warehouse.env)
    assert passed.returncode == 0, passed.stdout[-3000:]
    assert test_node in passed.stdout


def test_key_test_of_an_incremental_table_finds_a_key_the_newest_run_repeated(
        built_warehouse: Warehouse) -> None:
    """`unique_in_latest_write` checks the keys of the newest rows against the whole table: a
    row written by a later run that repeats a key stored earlier fails it; removing it passes."""
    table = "intermediate.int_events__attributed"
    _repeat_fails_the_latest_write_test(
        built_warehouse, table, f"event_id = (select min(event_id) from {table})",
        "int_events__attributed", "unique_in_latest_write",
        "unique_in_latest_write_int_events__attributed_event_id")


def test_key_test_after_a_full_build_finds_a_repeated_key(built_warehouse: Warehouse) -> None:
    """After a full build every row has one stamp, and `unique_in_latest_write` groups every key,
    by its hash first: a copy of a row with the same stamp fails it; removing the copy passes."""
    table = "intermediate.int_events__attributed"
    con = duckdb.connect(str(built_warehouse.database), read_only=True)
    try:
        stamps = con.execute(f"select count(distinct _written_at) from {table}").fetchone()[0]
    finally:
        con.close()
    assert stamps == 1
    first = f"(select min(event_id) from {table})"
    _execute(built_warehouse, f"insert into {table} select * from {table} where event_id = {first}")
    test = ["dbt", "test", "--select", "int_events__attributed,test_name:unique_in_latest_write"]
    failed = run_cli(test, built_warehouse.env)
    assert failed.returncode != 0, failed.stdout[-3000:]
    assert "FAIL 1 unique_in_latest_write_int_events__attributed_event_id" in failed.stdout
    _execute(built_warehouse, f"delete from {table} where rowid = "
             f"(select max(rowid) from {table} where event_id = {first})")
    passed = run_cli(test, built_warehouse.env)
    assert passed.returncode == 0, passed.stdout[-3000:]


def test_not_null_test_of_an_incremental_table_finds_a_null_the_newest_run_wrote(
        built_warehouse: Warehouse) -> None:
    """`not_null_in_latest_write` checks the rows with the newest stamp: a kept event that a
    later run appended with no collector time (so no `event_at` either) fails both of its
    tests on `stg_app__events`; removing the row passes them."""
    table = "staging.base_app__events"
    _execute(built_warehouse,
             f"insert into {table} select * replace ("
             "'planted-null-event' as event_id, cast(null as timestamp) as received_at, "
             "cast(null as timestamp) as occurred_at, _written_at + interval 1 day as _written_at) "
             f"from {table} where row_disposition = 'kept' "
             f"and event_id = (select min(event_id) from {table} where row_disposition = 'kept')")
    test = ["dbt", "test", "--select", "stg_app__events,test_name:not_null_in_latest_write"]
    failed = run_cli(test, built_warehouse.env)
    assert failed.returncode != 0, failed.stdout[-3000:]
    for column in ("received_at", "event_at"):
        assert f"FAIL 1 not_null_in_latest_write_stg_app__events_{column}" in failed.stdout
    assert "PASS not_null_in_latest_write_stg_app__events_event_id" in failed.stdout
    _execute(built_warehouse, f"delete from {table} where event_id = 'planted-null-event'")
    passed = run_cli(test, built_warehouse.env)
    assert passed.returncode == 0, passed.stdout[-3000:]


def test_grain_test_of_the_sign_ins_finds_a_row_the_newest_run_repeated(
        built_warehouse: Warehouse) -> None:
    """`int_events__daily_sign_ins` groups only the days its newest run wrote
    (`unique_combination_in_latest_write` on `_written_at`): a stored row appended again by a
    later run fails the grain test; removing it passes."""
    table = "intermediate.int_events__daily_sign_ins"
    _repeat_fails_the_latest_write_test(
        built_warehouse, table, f"anonymous_id = (select min(anonymous_id) from {table})",
        "int_events__daily_sign_ins", "unique_combination_in_latest_write",
        "unique_combination_in_latest_write_int_events__daily_sign_ins")


def test_a_new_reporting_time_zone_reaches_the_event_rollups(built_warehouse: Warehouse) -> None:
    """After var `reporting_timezone` changes, an incremental run re-dates every event, and the
    two event rollups (their pre-hook drops the old zone's rows) equal a full refresh in the new
    zone. Then back to the project's zone, incrementally."""
    chain = ["int_reporting__as_of_date", "int_events__daily_sign_ins",
             "int_identity__anonymous_matches", "int_events__attributed", "int_events__daily_rollup"]
    rollups = ("int_events__daily_rollup", "int_events__daily_sign_ins")
    zone = ["--vars", '{"reporting_timezone": "Pacific/Auckland"}']

    def rollup_checksums() -> dict[str, tuple[int, str]]:
        con = duckdb.connect(str(built_warehouse.database), read_only=True)
        try:
            stale = sum(con.execute(
                f"select count(*) from intermediate.{model} "
                "where reporting_timezone <> 'Pacific/Auckland'").fetchone()[0]
                for model in rollups)
            assert stale == 0
            return {model: table_checksum(con, "intermediate", model) for model in rollups}
        finally:
            con.close()

    incremental = run_cli(["dbt", "run", "--select", *chain, *zone], built_warehouse.env)
    assert incremental.returncode == 0, incremental.stdout[-3000:]
    after_incremental = rollup_checksums()
    full = run_cli(["dbt", "run", "--full-refresh", "--select", *chain, *zone],
                   built_warehouse.env)
    assert full.returncode == 0, full.stdout[-3000:]
    assert rollup_checksums() == after_incremental
    back = run_cli(["dbt", "run", "--select", *chain], built_warehouse.env)
    assert back.returncode == 0, back.stdout[-3000:]
