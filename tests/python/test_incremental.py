"""A daily incremental run gives exactly the marts a full refresh gives on the same data.

Two warehouses get the same raw rows in two loads: everything that arrived before the last day,
then the last day (appended with a later `_loaded_at`), plus copies of events and order lines
of the first load resent in the second (duplicates across loads) and events that occurred days
before they arrived (late), a sign-in that stitches a device seen only anonymously in the first
load, a contact merged into another and a contact deleted (identity changes that re-attribute
first-load events).
Warehouse A builds after each load (the second build is
incremental); warehouse B builds after the first load, then rebuilds with `--full-refresh`.
Every model of staging, intermediate and marts must hold the same rows in both.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from custseg.checksum import table_checksum

from tests.python.conftest import PROJECT_DIR, failure_summary, project_env, run_cli

CONTACTS = 1_500
FIRST_LOAD = dt.datetime(2026, 1, 1, 6, 0)   # the stamps only need to be ordered
SECOND_LOAD = dt.datetime(2026, 1, 2, 6, 0)


def _dbt(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "custseg", "dbt", *args],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=1800,
    )


def _resend_and_delay(database: Path) -> None:
    """Append to the second load: copies of first-load events and order lines (a client
    resending), first-load events re-sent with an occurred_at five days earlier, and events and
    order lines that staging rejects."""
    stamp = f"cast('{SECOND_LOAD.isoformat(sep=' ')}' as timestamp)"
    con = duckdb.connect(str(database))
    try:
        con.execute(f"""
            insert into raw.app_events
            select * replace ({stamp} as _loaded_at)
            from raw.app_events where _loaded_at < {stamp} and event_id is not null
            order by event_id limit 25
        """)
        con.execute(f"""
            insert into raw.shop_order_items
            select * replace ({stamp} as _loaded_at)
            from raw.shop_order_items where _loaded_at < {stamp} and order_item_id is not null
            order by order_item_id limit 25
        """)
        con.execute(f"""
            insert into raw.app_events
            select * replace (
                'late-' || event_id as event_id,
                occurred_at - interval 5 day as occurred_at,
                {stamp} as _loaded_at
            )
            from raw.app_events
            where _loaded_at = {stamp} and event_id is not null and user_id is not null
            order by event_id limit 25
        """)
        # rows the second load's incremental run must quarantine (a rejected order arrives
        # with the demo's last day already)
        con.execute(f"""
            insert into raw.app_events
            select * replace ('rejected-' || event_id as event_id, null as event_name,
                              {stamp} as _loaded_at)
            from raw.app_events where _loaded_at = {stamp} and event_id is not null
            order by event_id limit 3
        """)
        con.execute(f"""
            insert into raw.shop_order_items
            select * replace ('rejected-' || order_item_id as order_item_id, 0 as quantity,
                              {stamp} as _loaded_at)
            from raw.shop_order_items where _loaded_at < {stamp} and order_item_id is not null
            order by order_item_id limit 3
        """)
    finally:
        con.close()


def _change_identities(database: Path) -> dict[str, str]:
    """Append to the second load, using the first build to pick identities: a signed-in event
    on a device that only had anonymous events (its old events become the customer's), and a
    new version of a contact merged into another (its events and order lines roll up to the
    other), a new contact holding the email of an order nobody matched (the order and its
    lines go to the new contact by email), and a deleted contact (its events lose their
    customer, and its rows of the event rollup must go with them). Returns the ids picked;
    both warehouses pick the same ones (same data, deterministic order)."""
    stamp = f"cast('{SECOND_LOAD.isoformat(sep=' ')}' as timestamp)"
    con = duckdb.connect(str(database))
    try:
        signed_in = [row[0] for row in con.execute("""
            select distinct user_id from intermediate.int_events__attributed
            where identity_match_method = 'user_id' order by user_id limit 3
        """).fetchall()]
        # the merged contact also has order lines, so that merging re-attributes stored lines
        signed_in[1] = con.execute("""
            select events.user_id
            from intermediate.int_events__attributed as events
            inner join intermediate.int_order_items__attributed as order_items
                on events.user_id = order_items.customer_id
            where
                events.identity_match_method = 'user_id'
                and order_items.identity_match_method = 'contact_id'
                and events.user_id not in (?, ?)
            order by events.user_id limit 1
        """, [signed_in[0], signed_in[2]]).fetchone()[0]
        device = con.execute("""
            select anonymous_id from intermediate.int_events__attributed
            group by anonymous_id
            having bool_and(identity_match_method = 'anonymous') and count(*) >= 2
            order by anonymous_id limit 1
        """).fetchone()[0]
        emailed_order, email = con.execute("""
            select orders.order_id, staged.customer_email
            from intermediate.int_orders__attributed as orders
            inner join staging.stg_shop__orders as staged
                on orders.order_id = staged.order_id
            inner join intermediate.int_order_items__attributed as order_items
                on orders.order_id = order_items.order_id
            where orders.identity_match_method = 'unmatched' and staged.customer_email is not null
            order by orders.order_id limit 1
        """).fetchone()
        # a contact deleted in the CRM: its signed-in events lose their customer
        deleted = con.execute("""
            select distinct user_id from intermediate.int_events__attributed
            where identity_match_method = 'user_id' and user_id not in (?, ?, ?)
            order by user_id limit 1
        """, signed_in).fetchone()[0]
        picked = {"device": device, "device_owner": signed_in[0],
                  "merged": signed_in[1], "merged_into": signed_in[2],
                  "emailed_order": emailed_order, "email_owner": "email-owner-1",
                  "deleted": deleted}
        con.execute(f"""
            insert into raw.crm_contacts
            select * replace (
                '{picked["email_owner"]}' as contact_id,
                '{email}' as email,
                null as merged_into_contact_id,
                false as is_deleted,
                {stamp} as _loaded_at
            )
            from raw.crm_contacts
            where contact_id = '{picked["device_owner"]}'
            order by updated_at desc limit 1
        """)
        con.execute(f"""
            insert into raw.app_events
            select * replace (
                'stitch-' || event_id as event_id,
                '{device}' as anonymous_id,
                '{picked["device_owner"]}' as user_id,
                {stamp} as _loaded_at
            )
            from raw.app_events
            where _loaded_at = {stamp} and event_id is not null
            order by event_id limit 1
        """)
        con.execute(f"""
            insert into raw.crm_contacts
            select * replace (
                '{picked["merged_into"]}' as merged_into_contact_id,
                updated_at + interval 1 minute as updated_at,
                {stamp} as _loaded_at
            )
            from raw.crm_contacts
            where contact_id = '{picked["merged"]}'
            order by updated_at desc limit 1
        """)
        con.execute(f"""
            insert into raw.crm_contacts
            select * replace (
                true as is_deleted,
                updated_at + interval 1 minute as updated_at,
                {stamp} as _loaded_at
            )
            from raw.crm_contacts
            where contact_id = '{picked["deleted"]}'
            order by updated_at desc limit 1
        """)
    finally:
        con.close()
    return picked


def _split_day(raw_dir: Path) -> dt.datetime:
    con = duckdb.connect()
    try:
        last = con.execute(
            f"select max(received_at) from read_parquet('{raw_dir / 'app_events.parquet'}')"
        ).fetchone()[0]
    finally:
        con.close()
    return dt.datetime.combine(last.date(), dt.time())


def _load(env: dict[str, str], raw_dir: Path, part: str, split_at: dt.datetime,
          loaded_at: dt.datetime) -> None:
    result = run_cli(["load", "--raw-dir", str(raw_dir), "--part", part,
                      "--split-at", split_at.isoformat(sep=" "),
                      "--loaded-at", loaded_at.isoformat(sep=" ")], env)
    assert result.returncode == 0, failure_summary(result)


def _model_checksums(database: Path) -> dict[str, tuple[int, str]]:
    """(row count, content checksum) of every table and view the build wrote, per-build
    columns left out (custseg.checksum)."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        relations = con.execute("""
            select table_schema, table_name from information_schema.tables
            where table_schema not in ('raw', 'ground_truth', 'main', 'information_schema')
            order by 1, 2
        """).fetchall()
        return {f"{schema}.{table}": table_checksum(con, schema, table)
                for schema, table in relations}
    finally:
        con.close()


CHANGE_LOGS = ("int_identity__crm_changes", "int_identity__device_changes")


def _latest_logged_identities(database: Path, log: str) -> list[tuple]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(f"""
            select identifier_type, identifier, customer_id, resolution_method
            from intermediate.{log}
            qualify row_number() over (
                partition by identifier_type, identifier order by _changed_at desc
            ) = 1 and customer_id is not null
            order by all
        """).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def raw_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("incremental_raw")
    env = project_env(tmp)
    out = tmp / "raw"
    result = run_cli(["generate", "--contacts", str(CONTACTS), "--out", str(out)], env)
    assert result.returncode == 0, failure_summary(result)
    return out


def test_incremental_run_equals_full_refresh(raw_dir: Path, tmp_path: Path) -> None:
    split_at = _split_day(raw_dir)
    warehouses = {}
    for name in ("incremental", "full_refresh"):
        env = project_env(tmp_path / name)
        _load(env, raw_dir, "before", split_at, FIRST_LOAD)
        first = _dbt(["build", "--profiles-dir", "."], env)
        assert first.returncode == 0, failure_summary(first)
        _load(env, raw_dir, "after", split_at, SECOND_LOAD)
        _resend_and_delay(Path(env["SEGMENTATION_DUCKDB_PATH"]))
        picked = _change_identities(Path(env["SEGMENTATION_DUCKDB_PATH"]))
        second_args = ["build", "--profiles-dir", "."]
        if name == "full_refresh":
            second_args.append("--full-refresh")
        second = _dbt(second_args, env)
        assert second.returncode == 0, failure_summary(second)
        warehouses[name] = (Path(env["SEGMENTATION_DUCKDB_PATH"]), env)

    # The second build of A really ran incrementally: it read only the second load.
    # (base_shop__orders and stg_shop__order_items are views: nothing of theirs is stored.)
    incremental_env = warehouses["incremental"][1]
    manifest = json.loads((Path(incremental_env["DBT_TARGET_PATH"]) / "run_results.json").read_text())
    compiled = {result["unique_id"].split(".")[-1]: result.get("compiled_code") or ""
                for result in manifest["results"]}
    for model in ("base_app__events", "stg_shop__orders", "base_shop__order_items",
                  "int_events__attributed", "int_order_items__attributed",
                  "int_events__daily_sign_ins"):
        assert "max(processed._loaded_at)" in compiled[model], f"{model} did not run incrementally"
    assert "max(processed._written_at)" in compiled["int_events__daily_rollup"]
    assert "max(processed._written_at)" in compiled["int_events__utm_touches"]
    assert "max(processed._written_at)" in compiled["int_orders__attributed"]
    # the quarantine listed only the new loads' orders, lines and events (and the CRM again)
    assert "processed.source_table = 'app_events'" in compiled["int_data_quality__rejected_rows"]
    for model in ("int_customers__engagement", "int_customers__interests",
                  "int_customers__technographics", "int_customers__lifecycle",
                  "int_customers__geography"):
        assert "carried_over" in compiled[model], f"{model} was rebuilt"

    # Duplicates across loads and late events reached the second load.
    con = duckdb.connect(str(warehouses["incremental"][0]), read_only=True)
    try:
        resent = con.execute(
            "select count(*) from staging.base_app__events "
            "where row_disposition = 'duplicate' and _loaded_at = ?", [SECOND_LOAD]).fetchone()[0]
        late = con.execute(
            "select count(*) from staging.stg_app__events "
            "where event_id like 'late-%' and is_late_arriving").fetchone()[0]
    finally:
        con.close()
    assert resent >= 25 and late == 25

    # The identity changes of the second load re-attributed first-load events.
    con = duckdb.connect(str(warehouses["incremental"][0]), read_only=True)
    try:
        stitched = con.execute(
            "select count(*), count(distinct customer_id), max(customer_id), "
            "bool_and(identity_match_method = 'anonymous_stitched') "
            "from intermediate.int_events__attributed "
            "where anonymous_id = ? and user_id is null and _loaded_at = ?",
            [picked["device"], FIRST_LOAD]).fetchone()
        merged = con.execute(
            "select count(*), count(distinct customer_id), max(customer_id), "
            "bool_and(identity_match_method = 'merged_user') "
            "from intermediate.int_events__attributed where user_id = ?",
            [picked["merged"]]).fetchone()
        deleted = con.execute(
            "select count(*), count(customer_id) from intermediate.int_events__attributed "
            "where user_id = ?", [picked["deleted"]]).fetchone()
        merged_lines = con.execute(
            "select count(*), count(distinct order_items.customer_id), "
            "max(order_items.customer_id), "
            "bool_and(order_items.identity_match_method = 'merged_contact') "
            "from intermediate.int_order_items__attributed as order_items "
            "inner join staging.stg_shop__orders as orders "
            "on order_items.order_id = orders.order_id "
            "where orders.contact_id = ? and order_items._loaded_at = ?",
            [picked["merged"], FIRST_LOAD]).fetchone()
        emailed = con.execute(
            "select orders.customer_id, count(*), bool_and(order_items.customer_id = ?) "
            "from intermediate.int_orders__attributed as orders "
            "inner join intermediate.int_order_items__attributed as order_items "
            "on orders.order_id = order_items.order_id "
            "where orders.order_id = ? group by orders.customer_id",
            [picked["email_owner"], picked["emailed_order"]]).fetchall()
        logged_changes = [con.execute(f"select count(distinct _changed_at) from intermediate.{log}")
                          .fetchone()[0] for log in CHANGE_LOGS]
        # the second load's rejected orders, lines and events reached the quarantine (the rows
        # its incremental run lists; the comparison below checks them)
        rejected_in_second_load = dict(con.execute(
            "select source_table, count(*) from intermediate.int_data_quality__rejected_rows "
            "where _loaded_at = ? group by source_table", [SECOND_LOAD]).fetchall())
    finally:
        con.close()
    assert stitched[0] >= 2 and stitched[1:] == (1, picked["device_owner"], True), stitched
    assert deleted[0] >= 1 and deleted[1] == 0, deleted
    assert merged[0] >= 1 and merged[1:] == (1, picked["merged_into"], True), merged
    assert merged_lines[0] >= 1 and merged_lines[1:] == (1, picked["merged_into"], True), \
        merged_lines
    assert len(emailed) == 1 and emailed[0][0] == picked["email_owner"] and emailed[0][2], emailed
    # the second build logged the identity changes it re-attributed from
    assert logged_changes == [2, 2]
    assert all(rejected_in_second_load.get(table, 0) > 0
               for table in ("shop_orders", "shop_order_items", "app_events")), \
        rejected_in_second_load

    # The identity change logs hold the history of the loads (the full refresh logged the
    # current map once): what they say now, the latest row of each identifier still in the
    # map, must equal the full refresh's.
    for log in CHANGE_LOGS:
        latest_logged = [_latest_logged_identities(warehouses[name][0], log)
                         for name in ("incremental", "full_refresh")]
        assert latest_logged[0] == latest_logged[1] and len(latest_logged[0]) > 100, log
    incremental = _model_checksums(warehouses["incremental"][0])
    full = _model_checksums(warehouses["full_refresh"][0])
    for checksums in (incremental, full):
        for log in CHANGE_LOGS:
            del checksums[f"intermediate.{log}"]
    assert set(incremental) == set(full)
    assert any(name.startswith("marts.") for name in incremental)
    different = {name: (incremental[name], full[name])
                 for name in incremental if incremental[name] != full[name]}
    assert not different, f"incremental and full refresh differ: {different}"
    shutil.rmtree(tmp_path, ignore_errors=True)
