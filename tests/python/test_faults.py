"""Bad input, one fault class at a time: the pipeline either refuses the raw data with an error
that names the table, the column and the problem, or puts every bad row in
int_data_quality__rejected_rows with its reason (or keeps it, cleaned, where the README says so)
while the raw-row reconciliation still balances.

One small raw data set (300 contacts) is generated and loaded once per session. Row-level faults
touch their own keys (`FLT-...`), so they are injected together into one copy of it and built
once; each class is then asserted on its own rows. Schema faults, empty tables and the no-event
first run get a copy and a build each. Faults are plain SQL on the raw tables of a real DuckDB
file; builds run the real CLI and dbt. The README's "Bad input: fault classes" lists the classes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from custseg.contract import RAW_SCHEMA, RAW_TABLES
from tests.python.conftest import failure_summary, project_env, run_cli

FAULT_CONTACTS = 300

# raw table -> (base model with every raw row, staging model of kept rows, key column)
MODELS: dict[str, tuple[str, str, str]] = {
    "crm_accounts": ("base_crm__accounts", "stg_crm__accounts", "account_id"),
    "crm_contacts": ("base_crm__contacts", "stg_crm__contacts", "contact_id"),
    "crm_nps_responses": ("base_crm__nps_responses", "stg_crm__nps_responses", "response_id"),
    "shop_orders": ("base_shop__orders", "stg_shop__orders", "order_id"),
    "shop_order_items": ("base_shop__order_items", "stg_shop__order_items", "order_item_id"),
    "app_events": ("base_app__events", "stg_app__events", "event_id"),
}

# A plausible, valid raw row per table; each fault overrides what it breaks. Dated before the
# demo's last day (2026-10-31) so that the as-of date of the build does not move.
DEFAULTS: dict[str, dict[str, Any]] = {
    "crm_accounts": {
        "account_name": "Fault Test Ltd", "website_domain": "faults.invalid",
        "industry": "Software", "employee_count": 40, "annual_revenue": "2000000.00",
        "revenue_currency": "USD", "country": "US", "created_at": "2026-01-01 00:00:00",
        "updated_at": "2026-01-01 00:00:00", "is_deleted": False,
    },
    "crm_contacts": {
        "email": None, "first_name": "Fault", "last_name": "Case", "birth_date": "1990-04-01",
        "gender": "f", "country": "US", "preferred_language": "en",
        "lifecycle_stage": "customer", "lead_source": "web", "marketing_opt_in": False,
        "created_at": "2026-01-01 00:00:00", "updated_at": "2026-01-01 00:00:00",
        "is_deleted": False,
    },
    "crm_nps_responses": {
        "contact_id": "FLT-NPS-CONTACT", "score": 9, "responded_at": "2026-06-01 09:00:00",
    },
    "shop_orders": {
        "contact_id": None, "customer_email": "guest@faults.invalid",
        "ordered_at": "2026-06-01 10:00:00", "status": "completed", "currency": "USD",
        "gross_amount": "100.00", "discount_amount": "0.00", "tax_amount": "0.00",
        "shipping_amount": "0.00", "refunded_amount": "0.00", "channel": "web",
        "updated_at": "2026-06-01 10:00:00",
    },
    "shop_order_items": {
        "order_id": "FLT-ITEMS-ORDER", "sku": "SKU-FLT", "product_name": "Fault product",
        "category": "books", "quantity": 1, "unit_price": "10.00",
    },
    "app_events": {
        "anonymous_id": "anon-flt", "session_id": "sess-flt", "event_name": "page_viewed",
        "occurred_at": "2026-10-01 10:00:00", "received_at": "2026-10-01 10:00:01",
        "page_url": "/", "device_type": "desktop", "browser": "Firefox", "os": "Linux",
        "ip_country": "US", "properties": "{}",
    },
}


# ---------------------------------------------------------------- injecting faults (raw SQL)

def _load_stamp(con: duckdb.DuckDBPyConnection) -> datetime:
    """One `_loaded_at` per connection (a DuckDB session variable): the rows injected through
    one connection are one load (incremental staging keeps the first copy *loaded*, so one
    load must share its stamp), and a later connection is a later load."""
    stamp = con.execute("select getvariable('fault_load_stamp')").fetchone()[0]
    if stamp is None:
        stamp = datetime.utcnow()
        con.execute("set variable fault_load_stamp = ?", [stamp])
    return stamp


def insert(con: duckdb.DuckDBPyConnection, table: str, **values: Any) -> None:
    """Insert one raw row: the table's defaults overridden by `values`. Columns outside the
    contract (an extra column) get null, the loader's `_loaded_at` the load's stamp."""
    contract = [name for name, _ in RAW_TABLES[table]]
    unknown = set(values) - set(contract)
    assert not unknown, f"not in the contract of {table}: {unknown}"
    row = {**DEFAULTS[table], **values}
    actual = [name for (name,) in con.execute(
        "select column_name from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        [RAW_SCHEMA, table],
    ).fetchall()]
    names = [name for name in actual if name in contract or name == "_loaded_at"]
    con.execute(
        f"insert into {RAW_SCHEMA}.{table} ({', '.join(names)}) "
        f"values ({', '.join('?' for _ in names)})",
        [_load_stamp(con) if name == "_loaded_at" else row.get(name) for name in names],
    )


def as_text(con: duckdb.DuckDBPyConnection, table: str, column: str) -> None:
    """Turn a typed raw column into text (as a CSV loader would leave it); values are kept."""
    (data_type,) = con.execute(
        "select data_type from information_schema.columns "
        "where table_schema = ? and table_name = ? and column_name = ?",
        [RAW_SCHEMA, table, column],
    ).fetchone()
    if data_type != "VARCHAR":
        con.execute(f"alter table {RAW_SCHEMA}.{table} alter column {column} type varchar")


# ---------------------------------------------------------------- reading the outcome

class Outcome:
    """Read-only queries on a built warehouse; a context manager that closes its connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def __enter__(self) -> Outcome:
        return self

    def __exit__(self, *exc: object) -> None:
        self.con.close()

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, list(params)).fetchall()

    def fates(self, table: str, where: str, *params: Any) -> list[tuple[str, str]]:
        """(row_disposition, rejection_reason or '') of the raw rows matching `where`."""
        base = MODELS[table][0]
        return sorted(self.rows(
            f"select row_disposition, coalesce(rejection_reason, '') from staging.{base} "
            f"where {where}", *params,
        ))

    def kept(self, table: str, key: str) -> dict[str, Any]:
        """The staged (clean) row of a key; fails unless there is exactly one."""
        _, staging, key_column = MODELS[table]
        cursor = self.con.execute(f"select * from staging.{staging} where {key_column} = ?", [key])
        rows = cursor.fetchall()
        assert len(rows) == 1, f"{table} {key!r}: {len(rows)} staged rows, expected 1"
        return dict(zip([column[0] for column in cursor.description], rows[0]))

    def assert_rejected(self, table: str, key: str, reason: str) -> None:
        """The key's raw row is in the quarantine with `reason` and not in staging."""
        _, staging, key_column = MODELS[table]
        reasons = [r for (r,) in self.rows(
            "select rejection_reason from intermediate.int_data_quality__rejected_rows "
            "where source_table = ? and source_key = ?", table, key,
        )]
        assert reasons == [reason], f"{table} {key!r}: rejected as {reasons}, expected {reason!r}"
        (staged,) = self.rows(
            f"select count(*) from staging.{staging} where {key_column} = ?", key
        )[0]
        assert staged == 0, f"{table} {key!r} is rejected but also staged"

    def assert_blank_keys_rejected(self, table: str) -> None:
        """Every raw row whose key is null or blank (counted on the raw table itself) is in the
        quarantine as 'missing <key>'."""
        key = MODELS[table][2]
        (raw_blank,) = self.rows(
            f"select count(*) from {RAW_SCHEMA}.{table} "
            f"where nullif(trim(cast({key} as varchar)), '') is null"
        )[0]
        (quarantined,) = self.rows(
            "select count(*) from intermediate.int_data_quality__rejected_rows "
            "where source_table = ? and rejection_reason = ?", table, f"missing {key}",
        )[0]
        assert raw_blank == quarantined, f"{table}: {raw_blank} blank keys, {quarantined} rejected"

    def assert_reconciles(self, table: str) -> None:
        """Raw rows (counted on the raw table) = kept + rejected + duplicate."""
        (raw,) = self.rows(f"select count(*) from {RAW_SCHEMA}.{table}")[0]
        rows = self.rows(
            "select raw_rows, kept_rows, rejected_rows, duplicate_rows "
            "from intermediate.int_data_quality__row_reconciliation where source_table = ?",
            table,
        )
        assert len(rows) == 1, f"{table}: no reconciliation row"
        counted, kept, rejected, duplicate = rows[0]
        assert counted == raw, f"{table}: reconciliation counts {counted} raw rows, table has {raw}"
        assert raw == kept + rejected + duplicate, f"{table}: {rows[0]} does not balance"


# ---------------------------------------------------------------- running builds

@dataclass
class Build:
    database: Path
    result: subprocess.CompletedProcess[str]

    @property
    def output(self) -> str:
        return self.result.stdout + self.result.stderr

    def test_status(self, name: str) -> str:
        """Status of a data test by name in this build's run_results.json."""
        results = json.loads((self.database.parent / "target" / "run_results.json").read_text())
        statuses = [r["status"] for r in results["results"] if r["unique_id"].endswith("." + name)]
        assert len(statuses) == 1, f"{name}: {statuses}"
        return statuses[0]

    def outcome(self) -> Outcome:
        return Outcome(duckdb.connect(str(self.database), read_only=True))


@pytest.fixture(scope="session")
def raw_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DuckDB file holding only the loaded raw demo data (no model built yet)."""
    tmp = tmp_path_factory.mktemp("faults_raw")
    result = run_cli(["prepare", "--contacts", str(FAULT_CONTACTS)], project_env(tmp))
    assert result.returncode == 0, failure_summary(result)
    return tmp / "warehouse.duckdb"


@pytest.fixture(scope="session")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder reused by the single-fault builds, one after the other: the same warehouse
    path and target folder let dbt reuse its parsed project (partial parsing), which saves a
    few seconds per build. Each test reads its outcome before the next one copies over it."""
    return tmp_path_factory.mktemp("faults_scratch")


def build_with_fault(
    source: Path,
    tmp: Path,
    inject: Callable[[duckdb.DuckDBPyConnection], None],
    dbt_args: list[str],
) -> Build:
    """Copy the warehouse `source` into `tmp`, inject the fault, run `dbt <dbt_args>` on it."""
    database = tmp / "warehouse.duckdb"
    database.unlink(missing_ok=True)
    shutil.copyfile(source, database)
    con = duckdb.connect(str(database))
    try:
        inject(con)
    finally:
        con.close()
    return Build(database, run_cli(["dbt", *dbt_args], project_env(tmp)))


# Unit tests test no data: fault builds leave them out.
FULL_BUILD = ["build", "--exclude", "test_type:unit"]
# Enough for the quarantine and the reconciliation test.
STAGING_AND_RECONCILIATION = [
    *FULL_BUILD, "--select", "staging", "int_data_quality__rejected_rows",
    "int_data_quality__row_reconciliation", "assert_raw_rows_reconcile",
]


# ================================================================ row-level fault classes

@dataclass(frozen=True)
class RowFault:
    id: str
    tables: tuple[str, ...]
    inject: Callable[[duckdb.DuckDBPyConnection], None]
    check: Callable[[Outcome], None]


ROW_FAULTS: list[RowFault] = []


def row_fault(fault_id: str, *tables: str) -> Callable[[type], type]:
    """Register a class with `inject(con)` and `check(outcome)` as a row-level fault class."""
    def register(cls: type) -> type:
        ROW_FAULTS.append(RowFault(fault_id, tables, cls.inject, cls.check))
        return cls
    return register


@row_fault("extra_column", "shop_orders", "crm_contacts")
class ExtraColumn:
    """Columns the contract does not know (one with a space in its name) are ignored."""

    @staticmethod
    def inject(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(f"alter table {RAW_SCHEMA}.shop_orders add column coupon_code varchar")
        con.execute(f"update {RAW_SCHEMA}.shop_orders set coupon_code = 'FREE'")
        con.execute(f'alter table {RAW_SCHEMA}.crm_contacts add column "Favourite Colour" varchar')
        insert(con, "shop_orders", order_id="FLT-EXTRA-1")

    @staticmethod
    def check(db: Outcome) -> None:
        assert db.kept("shop_orders", "FLT-EXTRA-1")["gross_amount"] == Decimal("100.00")
        staged = {column for (column,) in db.rows(
            "select column_name from information_schema.columns where table_schema = 'staging' "
            "and table_name in ('stg_shop__orders', 'stg_crm__contacts')"
        )}
        assert "coupon_code" not in staged and "Favourite Colour" not in staged


@row_fault("null_key", "shop_orders", "crm_contacts", "shop_order_items", "app_events")
class NullKey:
    """A null key: rejected 'missing <key>'."""

    @staticmethod
    def inject(con: duckdb.DuckDBPyConnection) -> None:
        insert(con, "shop_orders", order_id=None, customer_email="null-key@faults.invalid")
        insert(con, "crm_contacts", contact_id=None, email="null-key@faults.invalid")
        insert(con, "shop_order_items", order_item_id=None, sku="SKU-FLT-NULL-KEY")
        insert(con, "app_events", event_id=None, anonymous_id="anon-flt-null-key")

    @staticmethod
    def check(db: Outcome) -> None:
        assert db.fates("shop_orders", "customer_email = 'null-key@faults.invalid'") == [
            ("rejected", "missing order_id")]
        assert db.fates("crm_contacts", "email = 'null-key@faults.invalid'") == [
            ("rejected", "missing contact_id")]
        assert db.fates("shop_order_items", "sku = 'SKU-FLT-NULL-KEY'") == [
            ("rejected", "missing order_item_id")]
        assert db.fates("app_events", "anonymous_id = 'anon-flt-null-key'") == [
            ("rejected", "missing event_id")]
        for table in ("shop_orders", "crm_contacts", "shop_order_items", "app_events"):
            db.assert_blank_keys_rejected(table)


@row_fault("empty_key", "shop_orders", "crm_contacts", "shop_order_items")
class EmptyKey:
    """An empty or blank key is a missing key: rejected 'missing <key>'."""

    @staticmethod
    def inject(con: duckdb.DuckDBPyConnection) -> None:
        insert(con, "shop_orders", order_id="", customer_email="empty-key@faults.invalid")
        insert(con, "shop_orders", order_id="   ", customer_email="empty-key@faults.invalid")
        insert(con, "crm_contacts", contact_id=" ", email="empty-key@faults.invalid")
        insert(con, "shop_order_items", order_item_id="", sku="SKU-FLT-EMPTY-KEY")

    @staticmethod
    def check(db: Outcome) -> None:
        assert db.fates("shop_orders", "customer_email = 'empty-key@faults.invalid'") == [
            ("rejected", "missing order_id")] * 2
        assert db.fates("crm_contacts", "email = 'empty-key@faults.invalid'") == [
            ("rejected", "missing contact_id")]
        assert db.fates("shop_order_items", "sku = 'SKU-FLT-EMPTY-KEY'") == [
            ("rejected", "missing order_item_id")]
        for table in ("shop_orders", "crm_contacts", "shop_order_items"):
            db.assert_blank_keys_rejected(table)


@row_fault("duplicate_key_different_content", "crm_contacts", "shop_orders", "app_events")
class DuplicateKey:
    """The same key twice with different content: one row kept (the latest version of a CRM
    record or order, the first received copy of an event), the others counted as duplicates;
    a key with stray spaces is the same key."""

    @staticmethod
    def inject(con: duckdb.DuckDBPyConnection) -> None:
        insert(con, "crm_contacts", contact_id="FLT-DUP-1", email="dup-old@faults.invalid",
               updated_at="2026-03-01 00:00:00")
        insert(con, "crm_contacts", contact_id="FLT-DUP-1", email="dup-new@faults.invalid",
               updated_at="2026-04-01 00:00:00")
        for gross in ("10.00", "20.00"):  # same updated_at: a deterministic tie-break
            insert(con, "shop_orders", order_id="FLT-DUP-2", gross_amount=gross)
        insert(con, "shop_orders", order_id=" FLT-DUP-3 ", updated_at="2026-06-02 10:00:00")
        insert(con, "shop_orders", order_id="FLT-DUP-3", status="shipped")
        insert(con, "app_events", event_id="FLT-DUP-4", page_url="/second",
               received_at="2026-10-01 10:00:09")
        insert(con, "app_events", event_id="FLT-DUP-4", page_url="/first",
               received_at="2026-10-01 10:00:05")

    @staticmethod
    def check(db: Outcome) -> None:
        assert db.fates("crm_contacts", "contact_id = 'FLT-DUP-1'") == [
            ("duplicate", ""), ("kept", "")]
        assert db.kept("crm_contacts", "FLT-DUP-1")["email"] == "dup-new@faults.invalid"
        # orders: every valid version is 'valid' in the base model; stg keeps the latest
        assert db.fates("shop_orders", "order_id = 'FLT-DUP-2'") == [("valid", "")] * 2
        assert db.kept("shop_orders", "FLT-DUP-2")["gross_amount_local"] in (
            Decimal("10.00"), Decimal("20.00"))
        assert db.fates("shop_orders", "order_id = 'FLT-DUP-3'") == [("valid", "")] * 2
        assert db.kept("shop_orders", "FLT-DUP-3")["order_status"] == "completed"
        assert db.fates("app_events", "event_id = 'FLT-DUP-4'") == [
            ("duplicate", ""), ("kept", "")]
        assert db.kept("app_events", "FLT-DUP-4")["page_url"] == "/first"


@row_fault("text_in_numeric_column", "shop_orders", "shop_order_items", "crm_nps_responses",
           "crm_accounts")
class TextInNumericColumn:
    """Numeric columns loaded as text: numbers parse as before, anything else is rejected
    'unparseable <column>' (no guessing of thousands separators)."""

    @staticmethod
    def inject(con: duckdb.DuckDBPyConnection) -> None:
        for table, column in (("shop_orders", "gross_amount"), ("shop_order_items", "quantity"),
                              ("crm_nps_responses", "score"), ("crm_accounts", "employee_count")):
            as_text(con, table, column)
        insert(con, "shop_orders", order_id="FLT-NUM-1", gross_amount="twelve")
        insert(con, "shop_orders", order_id="FLT-NUM-2", gross_amount=" 12.50 ")
        insert(con, "shop_orders", order_id="FLT-NUM-3", gross_amount="1,234.50")
        insert(con, "shop_order_items", order_item_id="FLT-NUM-4", quantity="two")
        insert(con, "crm_nps_responses", response_id="FLT-NUM-5", score="ten")
        insert(con, "crm_accounts", account_id="FLT-NUM-6", employee_count="about 50")

    @staticmethod
    def check(db: Outcome) -> None:
        db.assert_rejected("shop_orders", "FLT-NUM-1", "unparseable gross_amount")
        assert db.kept("shop_orders", "FLT-NUM-2")["gross_amount_local"] == Decimal("12.50")
        db.assert_rejected("shop_orders", "FLT-NUM-3", "unparseable gross_amount")
        db.assert_rejected("shop_order_items", "FLT-NUM-4", "unparseable quantity")
        db.assert_rejected("crm_nps_responses", "FLT-NUM-5", "unparseable score")
        db.assert_rejected("crm_accounts", "FLT-NUM-6", "unparseable employee_count")
        # the demo's own values, now text, still parse: only injected rows are unparseable
        for table, reason in (("shop_orders", "unparseable gross_amount"),
                              ("shop_order_items", "unparseable quantity")):
            keys = {k for (k,) in db.rows(
                "select source_key from intermediate.int_data_quality__rejected_rows "
                "where source_table = ? and rejection_reason = ?", table, reason)}
            assert keys and all(key.startswith("FLT-") for key in keys), keys


@row_fault("text_in_timestamp_column", "shop_orders", "app_events", "crm_contacts")
class TextInTimestampColumn:
    """Timestamp columns loaded as text: ISO text parses as before, anything else (including
    ambiguous day/month formats and impossible dates) is rejected 'unparseable <column>'."""

    @staticmethod
    def inject(con: duckdb.DuckDBPyConnection) -> None:
        for table, column in (("shop_orders", "ordered_at"), ("app_events", "received_at"),
                              ("crm_contacts", "updated_at")):
            as_text(con, table, column)
        insert(con, "shop_orders", order_id="FLT-TS-1", ordered_at="yesterday")
        insert(con, "shop_orders", order_id="FLT-TS-2", ordered_at="01/05/2026 10:00")
        insert(con, "app_events", event_id="FLT-TS-3", received_at="soon")
        insert(con, "crm_contacts", contact_id="FLT-TS-4", updated_at="2026-13-45 10:00:00")

    @staticmethod
    def check(db: Outcome) -> None:
        db.assert_rejected("shop_orders", "FLT-TS-1", "unparseable ordered_at")
        db.assert_rejected("shop_orders", "FLT-TS-2", "unparseable ordered_at")
        db.assert_rejected("app_events", "FLT-TS-3", "unparseable received_at")
        db.assert_rejected("crm_contacts", "FLT-TS-4", "unparseable updated_at")
        keys = {k for (k,) in db.rows(
            "select source_key from intermediate.int_data_quality__rejected_rows "
            "where rejection_reason like 'unparseable %'")}
        assert all(key.startswith("FLT-") for key in keys), keys


@row_fault("empty_text_in_typed_column", "shop_orders", "crm_contacts")
class EmptyTextInTypedColumn:
    """An empty field of a text-typed column (a CSV load) is a missing value, not an
    unparseable one: optional amounts count as 0, a required one is 'missing <column>'."""

    @staticmethod
    def inject(con: duckdb.DuckDBPyConnection) -> None:
        for table, column in (("shop_orders", "discount_amount"), ("shop_orders", "gross_amount"),
                              ("crm_contacts", "birth_date"), ("crm_contacts", "is_deleted")):
            as_text(con, table, column)
        insert(con, "shop_orders", order_id="FLT-EMPTY-1", discount_amount="")
        insert(con, "shop_orders", order_id="FLT-EMPTY-2", gross_amount=" ")
        insert(con, "crm_contacts", contact_id="FLT-EMPTY-3", birth_date="", is_deleted="")

    @staticmethod
    def check(db: Outcome) -> None:
        assert db.kept("shop_orders", "FLT-EMPTY-1")["discount_amount_local"] == Decimal("0.00")
        db.assert_rejected("shop_orders", "FLT-EMPTY-2", "missing gross_amount")
        assert db.kept("crm_contacts", "FLT-EMPTY-3")["birth_date"] is None


@row_fault("timezone_formats", "shop_orders", "app_events")
class TimezoneFormats:
    """Timestamps with an offset, 'Z' or 'UTC' are converted to UTC; without one they are UTC."""

    CASES = {
        "FLT-TZ-1": ("2026-05-01T12:00:00+02:00", "2026-05-01 10:00:00"),
        "FLT-TZ-2": ("2026-05-01 12:00:00Z", "2026-05-01 12:00:00"),
        "FLT-TZ-3": ("2026-05-01T12:00:00-05:00", "2026-05-01 17:00:00"),
        "FLT-TZ-4": ("2026-05-01T23:30:00.250-03:30", "2026-05-02 03:00:00.250"),
        "FLT-TZ-5": ("2026-05-01 12:00:00", "2026-05-01 12:00:00"),
        "FLT-TZ-6": ("2026-05-01 12:00:00 UTC", "2026-05-01 12:00:00"),
    }

    @staticmethod
    def inject(con: duckdb.DuckDBPyConnection) -> None:
        as_text(con, "shop_orders", "ordered_at")
        as_text(con, "app_events", "received_at")
        for key, (text, _) in TimezoneFormats.CASES.items():
            insert(con, "shop_orders", order_id=key, ordered_at=text)
        insert(con, "app_events", event_id="FLT-TZ-7", occurred_at="2026-10-01 10:00:00",
               received_at="2026-10-01T12:00:05+02:00")

    @staticmethod
    def check(db: Outcome) -> None:
        for key, (_, utc) in TimezoneFormats.CASES.items():
            assert db.kept("shop_orders", key)["ordered_at"] == datetime.fromisoformat(utc), key
        event = db.kept("app_events", "FLT-TZ-7")
        assert event["received_at"] == datetime(2026, 10, 1, 10, 0, 5)
        assert not event["is_device_clock_ahead"]  # 10:00:00 UTC is before 10:00:05 UTC


@row_fault("timestamp_far_future", "shop_orders", "app_events", "crm_contacts",
           "crm_nps_responses")
class TimestampFarFuture:
    """Later than the build's clock + tolerance: rejected '<column> out of range'; an event whose
    device clock is in the future is kept with the collector's time."""

    @staticmethod
    def inject(con: duckdb.DuckDBPyConnection) -> None:
        insert(con, "shop_orders", order_id="FLT-FUT-1", ordered_at="2999-01-01 00:00:00")
        insert(con, "app_events", event_id="FLT-FUT-2", received_at="2999-01-01 00:00:00")
        insert(con, "app_events", event_id="FLT-FUT-3", occurred_at="2999-01-01 00:00:00",
               received_at="2026-10-01 10:00:00")
        insert(con, "crm_contacts", contact_id="FLT-FUT-4", updated_at="2999-01-01 00:00:00")
        insert(con, "crm_nps_responses", response_id="FLT-FUT-5",
               responded_at="2999-01-01 00:00:00")

    @staticmethod
    def check(db: Outcome) -> None:
        db.assert_rejected("shop_orders", "FLT-FUT-1", "ordered_at out of range")
        db.assert_rejected("app_events", "FLT-FUT-2", "received_at out of range")
        event = db.kept("app_events", "FLT-FUT-3")
        assert event["is_device_clock_ahead"]
        assert event["event_at"] == datetime(2026, 10, 1, 10, 0, 0)
        db.assert_rejected("crm_contacts", "FLT-FUT-4", "updated_at out of range")
        db.assert_rejected("crm_nps_responses", "FLT-FUT-5", "responded_at out of range")


@row_fault("timestamp_before_1970", "shop_orders", "app_events", "crm_accounts")
class TimestampBefore1970:
    """Before min_valid_timestamp (2000-01-01), e.g. 1969 or the Unix epoch a loader writes for
    'no date': rejected '<column> out of range'; an event with such a device clock keeps the
    collector's time."""

    @staticmethod
    def inject(con: duckdb.DuckDBPyConnection) -> None:
        insert(con, "shop_orders", order_id="FLT-OLD-1", ordered_at="1969-07-20 20:17:00")
        insert(con, "shop_orders", order_id="FLT-OLD-2", ordered_at="1899-12-31 00:00:00")
        insert(con, "app_events", event_id="FLT-OLD-3", occurred_at="1960-01-01 00:00:00",
               received_at="2026-10-01 10:00:00")
        insert(con, "crm_accounts", account_id="FLT-OLD-4", updated_at="1970-01-01 00:00:00")

    @staticmethod
    def check(db: Outcome) -> None:
        db.assert_rejected("shop_orders", "FLT-OLD-1", "ordered_at out of range")
        db.assert_rejected("shop_orders", "FLT-OLD-2", "ordered_at out of range")
        assert db.kept("app_events", "FLT-OLD-3")["event_at"] == datetime(2026, 10, 1, 10, 0, 0)
        db.assert_rejected("crm_accounts", "FLT-OLD-4", "updated_at out of range")


@row_fault("unicode_and_emoji_text", "crm_contacts", "shop_order_items", "app_events")
class UnicodeAndEmojiText:
    """Emoji, accents, right-to-left and CJK text and the replacement character a lossy
    decoder leaves are kept as written (emails and categories trimmed and lower-cased)."""

    @staticmethod
    def inject(con: duckdb.DuckDBPyConnection) -> None:
        insert(con, "crm_contacts", contact_id="FLT-UNI-1", first_name="🦄 Zoë",
               last_name="Ñúñez-שלום", city="東京 🗼", email=" Zoë.🦄@Faults.Invalid ",
               job_title="M\ufffdller's assistant")
        insert(con, "shop_order_items", order_item_id="FLT-UNI-2",
               product_name="☕ Kaffee – Größe L", category=" BÜCHER ")
        insert(con, "app_events", event_id="FLT-UNI-3",
               properties='{"note": "😀 ok", "name": "Zoë"}')

    @staticmethod
    def check(db: Outcome) -> None:
        contact = db.kept("crm_contacts", "FLT-UNI-1")
        assert (contact["first_name"], contact["last_name"], contact["city"]) == (
            "🦄 Zoë", "Ñúñez-שלום", "東京 🗼")
        assert contact["email"] == "zoë.🦄@faults.invalid"
        assert contact["job_title"] == "M\ufffdller's assistant"
        item = db.kept("shop_order_items", "FLT-UNI-2")
        assert (item["product_name"], item["product_category"]) == ("☕ Kaffee – Größe L", "bücher")
        event = db.kept("app_events", "FLT-UNI-3")
        assert not event["has_malformed_properties"]
        assert json.loads(event["properties"]) == {"note": "😀 ok", "name": "Zoë"}


@row_fault("extremely_large_amounts", "shop_orders", "shop_order_items", "crm_accounts")
class ExtremelyLargeAmounts:
    """Above max_valid_amount (orders, order lines) or max_valid_annual_revenue (accounts):
    rejected '... out of range' instead of overflowing decimal(18, 2) in a later model; the
    limit itself is kept; text beyond any number is unparseable."""

    @staticmethod
    def inject(con: duckdb.DuckDBPyConnection) -> None:
        insert(con, "shop_orders", order_id="FLT-BIG-1", gross_amount="9999999999999999.99",
               currency="GBP")
        insert(con, "shop_orders", order_id="FLT-BIG-2", gross_amount="10000000000.00")
        insert(con, "shop_orders", order_id="FLT-BIG-3", shipping_amount="9000000000000000.00")
        insert(con, "shop_order_items", order_item_id="FLT-BIG-4", quantity=2_000_000_000,
               unit_price="99999999.00")
        insert(con, "crm_accounts", account_id="FLT-BIG-5", annual_revenue="9000000000000000.00",
               revenue_currency="EUR")
        as_text(con, "shop_orders", "tax_amount")
        insert(con, "shop_orders", order_id="FLT-BIG-6", tax_amount="1e30")

    @staticmethod
    def check(db: Outcome) -> None:
        db.assert_rejected("shop_orders", "FLT-BIG-1", "gross_amount out of range")
        order = db.kept("shop_orders", "FLT-BIG-2")
        assert (order["gross_amount_local"], order["gross_amount"]) == (
            Decimal("10000000000.00"), Decimal("10000000000.00"))
        db.assert_rejected("shop_orders", "FLT-BIG-3",
                           "discount, tax, shipping or refund out of range")
        db.assert_rejected("shop_order_items", "FLT-BIG-4", "line amount out of range")
        db.assert_rejected("crm_accounts", "FLT-BIG-5", "annual_revenue out of range")
        db.assert_rejected("shop_orders", "FLT-BIG-6", "unparseable tax_amount")


@row_fault("negative_amounts_and_quantities", "shop_order_items", "shop_orders", "crm_accounts")
class NegativeAmountsAndQuantities:
    """Zero or negative quantities, negative prices, amounts and head counts: rejected."""

    @staticmethod
    def inject(con: duckdb.DuckDBPyConnection) -> None:
        insert(con, "shop_order_items", order_item_id="FLT-NEG-1", quantity=-2)
        insert(con, "shop_order_items", order_item_id="FLT-NEG-2", quantity=0)
        insert(con, "shop_order_items", order_item_id="FLT-NEG-3", unit_price="-1.00")
        insert(con, "shop_orders", order_id="FLT-NEG-4", gross_amount="-10.00")
        insert(con, "shop_orders", order_id="FLT-NEG-5", refunded_amount="-5.00")
        insert(con, "crm_accounts", account_id="FLT-NEG-6", employee_count=-3)

    @staticmethod
    def check(db: Outcome) -> None:
        db.assert_rejected("shop_order_items", "FLT-NEG-1", "non-positive quantity")
        db.assert_rejected("shop_order_items", "FLT-NEG-2", "non-positive quantity")
        db.assert_rejected("shop_order_items", "FLT-NEG-3", "negative unit_price")
        db.assert_rejected("shop_orders", "FLT-NEG-4", "negative gross_amount")
        db.assert_rejected("shop_orders", "FLT-NEG-5", "negative discount, tax, shipping or refund")
        db.assert_rejected("crm_accounts", "FLT-NEG-6", "negative employee_count")


@row_fault("unknown_currency", "shop_orders", "crm_accounts")
class UnknownCurrency:
    """An order in an unknown or missing currency cannot be valued: rejected. Case and spaces
    do not matter. An account's revenue in an unknown currency is unknown (null), the account
    is kept."""

    @staticmethod
    def inject(con: duckdb.DuckDBPyConnection) -> None:
        insert(con, "shop_orders", order_id="FLT-CUR-1", currency="XYZ")
        insert(con, "shop_orders", order_id="FLT-CUR-2", currency=None)
        insert(con, "shop_orders", order_id="FLT-CUR-3", currency=" eur ")
        insert(con, "crm_accounts", account_id="FLT-CUR-4", revenue_currency="XYZ")

    @staticmethod
    def check(db: Outcome) -> None:
        db.assert_rejected("shop_orders", "FLT-CUR-1", "unknown currency")
        db.assert_rejected("shop_orders", "FLT-CUR-2", "missing currency")
        order = db.kept("shop_orders", "FLT-CUR-3")
        (units_per_usd,) = db.rows(
            "select units_per_usd from reference.currencies where currency_code = 'EUR'")[0]
        assert order["currency_code"] == "EUR"
        assert order["gross_amount"] == round(Decimal("100") / units_per_usd, 2)
        account = db.kept("crm_accounts", "FLT-CUR-4")
        assert account["annual_revenue_local"] == Decimal("2000000.00")
        assert account["annual_revenue"] is None


@row_fault("unknown_country", "crm_contacts", "app_events")
class UnknownCountry:
    """A country in any known spelling becomes its ISO code; an unknown one becomes null and
    the row is kept (the customer's country is then unknown, never guessed)."""

    @staticmethod
    def inject(con: duckdb.DuckDBPyConnection) -> None:
        insert(con, "crm_contacts", contact_id="FLT-CTRY-1", country="Atlantis")
        insert(con, "crm_contacts", contact_id="FLT-CTRY-2", country=" Deutschland ")
        insert(con, "app_events", event_id="FLT-CTRY-3", ip_country="ZZ")

    @staticmethod
    def check(db: Outcome) -> None:
        assert db.kept("crm_contacts", "FLT-CTRY-1")["country_code"] is None
        assert db.kept("crm_contacts", "FLT-CTRY-2")["country_code"] == "DE"
        assert db.kept("app_events", "FLT-CTRY-3")["ip_country_code"] is None


@row_fault("malformed_json_properties", "app_events")
class MalformedJsonProperties:
    """Malformed JSON: the event is kept, properties null, has_malformed_properties set; empty
    properties are no properties; a JSON array is valid JSON."""

    @staticmethod
    def inject(con: duckdb.DuckDBPyConnection) -> None:
        insert(con, "app_events", event_id="FLT-JSON-1", event_name="order_completed",
               properties='{"order_id": "FLT-X", "revenue": ')
        insert(con, "app_events", event_id="FLT-JSON-2", properties="{'single': 'quotes'}")
        insert(con, "app_events", event_id="FLT-JSON-3", properties="")
        insert(con, "app_events", event_id="FLT-JSON-4", properties="[1, 2]")

    @staticmethod
    def check(db: Outcome) -> None:
        for key in ("FLT-JSON-1", "FLT-JSON-2"):
            event = db.kept("app_events", key)
            assert (event["properties"], event["has_malformed_properties"]) == (None, True), key
        event = db.kept("app_events", "FLT-JSON-3")
        assert (event["properties"], event["has_malformed_properties"]) == (None, False)
        assert db.kept("app_events", "FLT-JSON-4")["properties"] == "[1, 2]"


@row_fault("records_of_unknown_parents", "shop_orders", "shop_order_items", "crm_nps_responses",
           "app_events")
class RecordsOfUnknownParents:
    """An order of a contact the CRM does not know, a line of an unknown order, an NPS answer
    and events of an unknown user: kept in staging, unmatched in identity resolution and
    counted there, never dropped."""

    @staticmethod
    def inject(con: duckdb.DuckDBPyConnection) -> None:
        insert(con, "shop_orders", order_id="FLT-UNK-1", contact_id="FLT-NOBODY",
               customer_email="nobody@faults.invalid")
        insert(con, "shop_order_items", order_item_id="FLT-UNK-2", order_id="FLT-NO-SUCH-ORDER")
        insert(con, "crm_nps_responses", response_id="FLT-UNK-3", contact_id="FLT-NOBODY")
        insert(con, "app_events", event_id="FLT-UNK-4", anonymous_id=None, user_id="FLT-NOBODY")

    @staticmethod
    def check(db: Outcome) -> None:
        db.kept("shop_orders", "FLT-UNK-1")
        assert db.rows(
            "select customer_id, identity_match_method from intermediate.int_orders__attributed "
            "where order_id = 'FLT-UNK-1'") == [(None, "unmatched")]
        db.kept("shop_order_items", "FLT-UNK-2")
        assert db.rows(
            "select customer_id, identity_match_method "
            "from intermediate.int_order_items__attributed where order_item_id = 'FLT-UNK-2'"
        ) == [(None, "unknown_order")]
        assert db.rows(
            "select customer_id, identity_match_method "
            "from intermediate.int_nps_responses__attributed where response_id = 'FLT-UNK-3'"
        ) == [(None, "unknown_contact")]
        db.kept("app_events", "FLT-UNK-4")
        counted = dict(db.rows(
            "select record_type || '/' || identity_match_method, records "
            "from intermediate.int_identity__match_summary"))
        assert counted.get("orders/unmatched", 0) >= 1
        assert counted.get("order_items/unknown_order", 0) >= 1
        assert counted.get("events/unknown_user", 0) >= 1


@row_fault("events_out_of_order_and_late", "app_events")
class EventsOutOfOrderAndLate:
    """Events received days after they occurred, or in another order than they happened, are
    kept with their own time and flagged late; a resent copy is a duplicate."""

    @staticmethod
    def inject(con: duckdb.DuckDBPyConnection) -> None:
        insert(con, "app_events", event_id="FLT-LATE-1", session_id="sess-flt-ooo",
               occurred_at="2026-10-10 10:05:00", received_at="2026-10-10 10:05:01")
        insert(con, "app_events", event_id="FLT-LATE-2", session_id="sess-flt-ooo",
               occurred_at="2026-10-10 10:01:00", received_at="2026-10-15 08:00:00")
        insert(con, "app_events", event_id="FLT-LATE-1", session_id="sess-flt-ooo",
               occurred_at="2026-10-10 10:05:00", received_at="2026-10-16 00:00:00")

    @staticmethod
    def check(db: Outcome) -> None:
        first, late = db.kept("app_events", "FLT-LATE-1"), db.kept("app_events", "FLT-LATE-2")
        assert (first["is_late_arriving"], late["is_late_arriving"]) == (False, True)
        assert late["event_at"] == datetime(2026, 10, 10, 10, 1) < first["event_at"]
        assert first["received_at"] == datetime(2026, 10, 10, 10, 5, 1)
        assert db.fates("app_events", "event_id = 'FLT-LATE-1'") == [
            ("duplicate", ""), ("kept", "")]


@row_fault("crm_record_deleted_and_restored", "crm_contacts", "crm_accounts", "shop_orders")
class CrmRecordDeletedAndRestored:
    """A CRM record deleted and later restored is back (its latest version wins); one deleted
    and not restored is rejected 'deleted in source'; the restored contact's orders are its."""

    @staticmethod
    def inject(con: duckdb.DuckDBPyConnection) -> None:
        for table, key in (("crm_contacts", "contact_id"), ("crm_accounts", "account_id")):
            for suffix, versions in (("RES", (False, True, False)), ("DEL", (False, True))):
                for month, deleted in enumerate(versions, start=1):
                    insert(con, table, **{key: f"FLT-{suffix}-{table}"},
                           updated_at=f"2026-0{month}-01 00:00:00", is_deleted=deleted)
        insert(con, "shop_orders", order_id="FLT-RES-ORDER", contact_id="FLT-RES-crm_contacts")

    @staticmethod
    def check(db: Outcome) -> None:
        for table in ("crm_contacts", "crm_accounts"):
            restored, deleted = f"FLT-RES-{table}", f"FLT-DEL-{table}"
            assert db.kept(table, restored)["updated_at"].month == 3
            assert db.fates(table, f"{MODELS[table][2]} = ?", restored) == [
                ("duplicate", ""), ("duplicate", ""), ("kept", "")]
            db.assert_rejected(table, deleted, "deleted in source")
        assert db.rows(
            "select customer_id, identity_match_method from intermediate.int_orders__attributed "
            "where order_id = 'FLT-RES-ORDER'") == [("FLT-RES-crm_contacts", "contact_id")]


@row_fault("text_in_boolean_column", "crm_contacts", "crm_accounts")
class TextInBooleanColumn:
    """Flags loaded as text: true/false/yes/no in any case and with spaces parse, anything else
    is rejected 'unparseable <column>' instead of silently counting as false."""

    @staticmethod
    def inject(con: duckdb.DuckDBPyConnection) -> None:
        for table, column in (("crm_contacts", "is_deleted"),
                              ("crm_contacts", "marketing_opt_in"),
                              ("crm_accounts", "is_deleted")):
            as_text(con, table, column)
        insert(con, "crm_contacts", contact_id="FLT-BOOL-1", is_deleted="maybe")
        insert(con, "crm_contacts", contact_id="FLT-BOOL-2", is_deleted=" Yes ")
        insert(con, "crm_contacts", contact_id="FLT-BOOL-3", marketing_opt_in="sometimes")
        insert(con, "crm_contacts", contact_id="FLT-BOOL-4", marketing_opt_in=" TRUE ",
               is_deleted=" false ")
        insert(con, "crm_accounts", account_id="FLT-BOOL-5", is_deleted="deleted?")

    @staticmethod
    def check(db: Outcome) -> None:
        db.assert_rejected("crm_contacts", "FLT-BOOL-1", "unparseable is_deleted")
        db.assert_rejected("crm_contacts", "FLT-BOOL-2", "deleted in source")
        db.assert_rejected("crm_contacts", "FLT-BOOL-3", "unparseable marketing_opt_in")
        assert db.kept("crm_contacts", "FLT-BOOL-4")["has_marketing_opt_in"] is True
        db.assert_rejected("crm_accounts", "FLT-BOOL-5", "unparseable is_deleted")


@row_fault("unknown_order_status", "shop_orders")
class UnknownOrderStatus:
    """Status in any case with stray spaces is read; an unknown or missing one is rejected."""

    @staticmethod
    def inject(con: duckdb.DuckDBPyConnection) -> None:
        insert(con, "shop_orders", order_id="FLT-STATUS-1", status=" SHIPPED ")
        insert(con, "shop_orders", order_id="FLT-STATUS-2", status="on_hold")
        insert(con, "shop_orders", order_id="FLT-STATUS-3", status=None)

    @staticmethod
    def check(db: Outcome) -> None:
        assert db.kept("shop_orders", "FLT-STATUS-1")["order_status"] == "shipped"
        db.assert_rejected("shop_orders", "FLT-STATUS-2", "unknown order status")
        db.assert_rejected("shop_orders", "FLT-STATUS-3", "missing order status")


@row_fault("nps_score_out_of_range", "crm_nps_responses")
class NpsScoreOutOfRange:
    """NPS scores outside 0-10 are rejected; 0 and 10 are the edges of the scale."""

    @staticmethod
    def inject(con: duckdb.DuckDBPyConnection) -> None:
        for key, score in (("FLT-NPS-1", 11), ("FLT-NPS-2", -1), ("FLT-NPS-3", 0),
                           ("FLT-NPS-4", 10)):
            insert(con, "crm_nps_responses", response_id=key, score=score)

    @staticmethod
    def check(db: Outcome) -> None:
        db.assert_rejected("crm_nps_responses", "FLT-NPS-1", "score out of range 0-10")
        db.assert_rejected("crm_nps_responses", "FLT-NPS-2", "score out of range 0-10")
        assert db.kept("crm_nps_responses", "FLT-NPS-3")["nps_category"] == "detractor"
        assert db.kept("crm_nps_responses", "FLT-NPS-4")["nps_category"] == "promoter"


@row_fault("events_without_identity_or_from_bots", "app_events")
class EventsWithoutIdentityOrFromBots:
    """Events with neither anonymous nor user id, or from a bot's browser: rejected."""

    @staticmethod
    def inject(con: duckdb.DuckDBPyConnection) -> None:
        insert(con, "app_events", event_id="FLT-ID-1", anonymous_id=" ", user_id=None)
        insert(con, "app_events", event_id="FLT-ID-2", browser="HeadlessChrome 120")

    @staticmethod
    def check(db: Outcome) -> None:
        db.assert_rejected("app_events", "FLT-ID-1", "no anonymous_id or user_id")
        db.assert_rejected("app_events", "FLT-ID-2", "bot traffic")


@row_fault("merge_cycle", "crm_contacts", "shop_orders")
class MergeCycle:
    """Two contacts merged into each other (a CRM loop): both kept, each resolved to exactly one
    customer, the chain flagged as unresolved; their orders are not lost."""

    @staticmethod
    def inject(con: duckdb.DuckDBPyConnection) -> None:
        insert(con, "crm_contacts", contact_id="FLT-CYC-A", merged_into_contact_id="FLT-CYC-B")
        insert(con, "crm_contacts", contact_id="FLT-CYC-B", merged_into_contact_id="FLT-CYC-A")
        insert(con, "shop_orders", order_id="FLT-CYC-ORDER", contact_id="FLT-CYC-A")

    @staticmethod
    def check(db: Outcome) -> None:
        survivors = db.rows(
            "select contact_id, customer_id, is_merge_chain_unresolved "
            "from intermediate.int_contacts__survivors where contact_id like 'FLT-CYC-%' "
            "order by contact_id")
        assert [row[0] for row in survivors] == ["FLT-CYC-A", "FLT-CYC-B"]
        assert all(row[1] in ("FLT-CYC-A", "FLT-CYC-B") and row[2] for row in survivors)
        ((customer_id,),) = db.rows(
            "select customer_id from intermediate.int_orders__attributed "
            "where order_id = 'FLT-CYC-ORDER'")
        assert customer_id in ("FLT-CYC-A", "FLT-CYC-B")


def _inject_row_faults(con: duckdb.DuckDBPyConnection) -> None:
    for fault in ROW_FAULTS:
        fault.inject(con)


@pytest.fixture(scope="session")
def row_fault_build(raw_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Build:
    """Every row-level fault injected into one copy of the raw data, then a full build."""
    return build_with_fault(
        raw_warehouse, tmp_path_factory.mktemp("faults_rows"), _inject_row_faults, FULL_BUILD
    )


def test_row_faults_build_passes_and_reconciles(row_fault_build: Build) -> None:
    assert row_fault_build.result.returncode == 0, failure_summary(row_fault_build.result)
    assert row_fault_build.test_status("assert_raw_rows_reconcile") == "pass"
    with row_fault_build.outcome() as db:
        for table in RAW_TABLES:
            db.assert_reconciles(table)


@pytest.mark.parametrize("fault", ROW_FAULTS, ids=[fault.id for fault in ROW_FAULTS])
def test_row_fault(fault: RowFault, row_fault_build: Build) -> None:
    assert row_fault_build.result.returncode == 0, failure_summary(row_fault_build.result)
    with row_fault_build.outcome() as db:
        fault.check(db)
        for table in fault.tables:
            db.assert_reconciles(table)


def test_late_events_loaded_after_a_build_are_kept(row_fault_build: Build, scratch: Path) -> None:
    """Events that reach the warehouse after a build (received days after they happened, or a
    late batch received before the last build's newest event) are picked up by the next build:
    an incremental staging model must not filter them away."""
    assert row_fault_build.result.returncode == 0, failure_summary(row_fault_build.result)

    def inject(con: duckdb.DuckDBPyConnection) -> None:
        insert(con, "app_events", event_id="FLT-LATE-LOAD-1", occurred_at="2026-10-03 09:00:00",
               received_at="2026-11-01 02:00:00")
        insert(con, "app_events", event_id="FLT-LATE-LOAD-2", occurred_at="2026-10-20 09:00:00",
               received_at="2026-10-20 09:00:02")

    build = build_with_fault(row_fault_build.database, scratch, inject, STAGING_AND_RECONCILIATION)
    assert build.result.returncode == 0, failure_summary(build.result)
    with build.outcome() as db:
        assert db.kept("app_events", "FLT-LATE-LOAD-1")["is_late_arriving"]
        assert not db.kept("app_events", "FLT-LATE-LOAD-2")["is_late_arriving"]
        db.assert_reconciles("app_events")


# ================================================================ schema faults: refused early

@dataclass(frozen=True)
class SchemaFault:
    id: str
    sql: str
    expected: tuple[str, ...]  # fragments the error output must contain


SCHEMA_FAULTS = [
    SchemaFault(
        "missing_column",
        "alter table raw.shop_orders drop column currency",
        ("raw table raw.shop_orders", "column 'currency'",
         "models/staging/shop/_shop__sources.yml", "is missing"),
    ),
    SchemaFault(
        "renamed_column",
        "alter table raw.crm_contacts rename column email to email_address",
        ("raw table raw.crm_contacts", "column 'email'", "is missing", "email_address"),
    ),
    SchemaFault(
        "missing_raw_table",
        "drop table raw.crm_nps_responses",
        ("raw table raw.crm_nps_responses", "does not exist",
         "models/staging/crm/_crm__sources.yml"),
    ),
    SchemaFault(
        "non_utf8_bytes_column",
        # a loader that kept Latin-1 bytes undecoded ('M\xfcller'): a binary column
        "alter table raw.crm_contacts alter column last_name type blob using encode(last_name)",
        ("raw table raw.crm_contacts", "column 'last_name'", "binary type BLOB"),
    ),
]


def _staging_tables(database: Path) -> int:
    con = duckdb.connect(str(database), read_only=True)
    try:
        (count,) = con.execute(
            "select count(*) from information_schema.tables where table_schema = 'staging'"
        ).fetchone()
    finally:
        con.close()
    return int(count)


@pytest.mark.parametrize("fault", SCHEMA_FAULTS, ids=[fault.id for fault in SCHEMA_FAULTS])
def test_schema_fault_fails_before_any_model_naming_table_and_column(
    fault: SchemaFault, raw_warehouse: Path, scratch: Path
) -> None:
    build = build_with_fault(
        raw_warehouse, scratch, lambda con: con.execute(fault.sql), STAGING_AND_RECONCILIATION
    )
    assert build.result.returncode != 0, "the build passed on a broken raw table"
    for fragment in fault.expected:
        assert fragment in build.output, f"{fragment!r} not in:\n{failure_summary(build.result)}"
    assert _staging_tables(build.database) == 0, "models ran before the contract check"


def test_schema_check_reports_every_problem_at_once(raw_warehouse: Path, scratch: Path) -> None:
    def inject(con: duckdb.DuckDBPyConnection) -> None:
        for fault in SCHEMA_FAULTS:
            con.execute(fault.sql)

    build = build_with_fault(raw_warehouse, scratch, inject, STAGING_AND_RECONCILIATION)
    assert build.result.returncode != 0
    assert f"does not match the source contract ({len(SCHEMA_FAULTS)} problems)" in build.output
    for fault in SCHEMA_FAULTS:
        for fragment in fault.expected:
            assert fragment in build.output, fragment


# ================================================================ empty inputs: full builds

def _empty(*tables: str) -> Callable[[duckdb.DuckDBPyConnection], None]:
    def inject(con: duckdb.DuckDBPyConnection) -> None:
        for table in tables:
            con.execute(f"delete from {RAW_SCHEMA}.{table}")
    return inject


def test_empty_raw_table(raw_warehouse: Path, scratch: Path) -> None:
    """No NPS answers and no accounts delivered: everything builds, nothing to reconcile."""
    build = build_with_fault(
        raw_warehouse, scratch, _empty("crm_nps_responses", "crm_accounts"), FULL_BUILD
    )
    assert build.result.returncode == 0, failure_summary(build.result)
    with build.outcome() as db:
        for table in RAW_TABLES:
            db.assert_reconciles(table)
        assert db.rows(
            "select raw_rows from intermediate.int_data_quality__row_reconciliation "
            "where source_table in ('crm_nps_responses', 'crm_accounts')") == [(0,), (0,)]
        assert db.rows("select count(*) from marts.dim_accounts") == [(0,)]
        assert db.rows(
            "select count(*) from marts.dim_customers where latest_nps_score is not null"
        ) == [(0,)]
        assert db.rows("select count(*) from marts.dim_customers")[0][0] > 0


def test_first_run_with_no_events(raw_warehouse: Path, scratch: Path) -> None:
    """A first run before the app sent anything: customers and their RFM segments are built
    from orders alone, engagement is zero, and the as-of date comes from the orders."""
    build = build_with_fault(raw_warehouse, scratch, _empty("app_events"), FULL_BUILD)
    assert build.result.returncode == 0, failure_summary(build.result)
    with build.outcome() as db:
        for table in RAW_TABLES:
            db.assert_reconciles(table)
        assert db.rows(
            "select count(*) from marts.dim_customers where events_30d <> 0") == [(0,)]
        assert db.rows(
            "select count(*) from marts.fct_customer_segments where segment_family = 'rfm'"
        )[0][0] > 0
        ((as_of_date, last_order_date),) = db.rows(
            "select as_of.as_of_date, max(cast(orders.ordered_at as date)) "
            "from intermediate.int_reporting__as_of_date as as_of "
            "cross join staging.stg_shop__orders as orders group by as_of.as_of_date")
        assert as_of_date == last_order_date
