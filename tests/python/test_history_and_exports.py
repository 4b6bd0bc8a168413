"""History, transitions, backfill and activation exports on a real DuckDB warehouse with
hand-made customers whose lifecycle we know at every as-of date:

- H1 buys once on 2026-06-01: new on 06-30, active on 07-31, lapsing on 08-31 and 09-30.
- H2 buys on 2026-01-10 and again on 2026-09-25: lapsing on 06-30, inactive on 07-31 and
  08-31, reactivated on 09-30.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from pathlib import Path

import duckdb
import pytest

from custseg.checksum import table_checksum
from tests.python.conftest import failure_summary, project_env, run_cli

DATES = ["2026-06-30", "2026-07-31", "2026-08-31", "2026-09-30"]
HAND_MADE_CONTACTS = [
    # contact_id, email, opt-in
    ("H0000001", "h1@handmade.test", True),
    ("H0000002", "H2@Handmade.test ", True),
    ("H0000003", "h3@handmade.test", False),
]
HAND_MADE_ORDERS = [
    ("HO0000001", "H0000001", "2026-06-01 10:00:00"),
    ("HO0000002", "H0000002", "2026-01-10 10:00:00"),
    ("HO0000003", "H0000002", "2026-09-25 10:00:00"),
    ("HO0000004", "H0000003", "2026-09-20 10:00:00"),
]


def _add_hand_made_customers(database: Path) -> None:
    con = duckdb.connect(str(database))
    try:
        for contact_id, email, opt_in in HAND_MADE_CONTACTS:
            con.execute(
                "insert into raw.crm_contacts (contact_id, email, first_name, country, "
                "marketing_opt_in, created_at, updated_at, is_deleted) values "
                "(?, ?, 'Hand', 'US', ?, timestamp '2025-01-01', timestamp '2025-01-01', false)",
                [contact_id, email, opt_in],
            )
        for order_id, contact_id, ordered_at in HAND_MADE_ORDERS:
            con.execute(
                "insert into raw.shop_orders (order_id, contact_id, ordered_at, status, currency, "
                "gross_amount, discount_amount, tax_amount, shipping_amount, refunded_amount, "
                "channel, updated_at) values (?, ?, cast(? as timestamp), 'completed', 'USD', "
                "5000, 0, 0, 0, 0, 'web', cast(? as timestamp))",
                [order_id, contact_id, ordered_at, ordered_at],
            )
    finally:
        con.close()


@pytest.fixture(scope="module")
def history_warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    tmp = tmp_path_factory.mktemp("history")
    env = project_env(tmp)
    prepared = run_cli(["prepare", "--contacts", "1500"], env)
    assert prepared.returncode == 0, failure_summary(prepared)
    database = tmp / "warehouse.duckdb"
    _add_hand_made_customers(database)
    built = run_cli(["dbt", "build"], env)
    assert built.returncode == 0, failure_summary(built)
    backfilled = run_cli(["backfill", "--dates", ",".join(DATES)], env)
    assert backfilled.returncode == 0, failure_summary(backfilled)
    return database, env


def _rows(database: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_backfill_gives_the_expected_lifecycle_transitions(history_warehouse) -> None:
    database, _ = history_warehouse
    transitions = _rows(
        database,
        "select customer_id, cast(transition_date as varchar), from_segment, to_segment, "
        "transition_type from marts.fct_customer_segment_transitions "
        "where segment_family = 'lifecycle' and customer_id in ('H0000001', 'H0000002') "
        "and transition_date <= date '2026-09-30' order by 1, 2",
    )
    assert transitions == [
        ("H0000001", "2026-07-31", "lifecycle_new", "lifecycle_active", "moved"),
        ("H0000001", "2026-08-31", "lifecycle_active", "lifecycle_lapsing", "moved"),
        ("H0000002", "2026-07-31", "lifecycle_lapsing", "lifecycle_inactive", "moved"),
        ("H0000002", "2026-09-30", "lifecycle_inactive", "lifecycle_reactivated", "moved"),
    ]
    history = _rows(
        database,
        "select segment_key, cast(valid_from as varchar), cast(valid_to as varchar) "
        "from marts.fct_customer_segment_history where customer_id = 'H0000002' "
        "and segment_family = 'lifecycle' order by valid_from",
    )
    assert history[:3] == [
        ("lifecycle_lapsing", "2026-06-30", "2026-07-31"),
        ("lifecycle_inactive", "2026-07-31", "2026-09-30"),
        ("lifecycle_reactivated", "2026-09-30", history[2][2]),
    ]


def test_movement_matrix_counts_the_moves(history_warehouse) -> None:
    database, _ = history_warehouse
    matrix = dict(
        ((row[0], row[1]), row[2])
        for row in _rows(
            database,
            "select from_segment, to_segment, customers from marts.agg_segment_movement_matrix "
            "where segment_family = 'lifecycle' and as_of_date = date '2026-07-31'",
        )
    )
    moved = _rows(
        database,
        "select count(*) from marts.fct_customer_segment_transitions "
        "where segment_family = 'lifecycle' and transition_date = date '2026-07-31' "
        "and from_segment = 'lifecycle_new' and to_segment = 'lifecycle_active'",
    )[0][0]
    assert matrix[("lifecycle_new", "lifecycle_active")] == moved >= 1


def test_rebuilding_the_same_as_of_dates_changes_nothing(history_warehouse) -> None:
    database, env = history_warehouse
    checksum = (
        "select count(*), sum(hash(as_of_date, customer_id, segment_key, is_primary, is_holdout)) "
        "from marts.fct_customer_segment_snapshots"
    )
    before = _rows(database, checksum)
    again = run_cli(["backfill", "--dates", ",".join(DATES[-2:])], env)
    assert again.returncode == 0, again.stdout[-3000:]
    assert _rows(database, checksum) == before
    dates = _rows(database, "select count(distinct as_of_date) from marts.fct_customer_segment_snapshots")
    current = _rows(database, "select as_of_date from intermediate.int_reporting__as_of_date")
    assert dates == [(len(DATES) + 1,)]  # the backfilled dates plus the current one
    assert current[0][0].isoformat() not in DATES


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_exports_diffs_consent_and_hashing(history_warehouse, tmp_path: Path) -> None:
    database, env = history_warehouse
    exports = tmp_path / "exports"
    first = run_cli(["export", "--out", str(exports)], env)
    assert first.returncode == 0, first.stdout[-3000:]
    manifest = json.loads((exports / "manifest.json").read_text())
    current = _rows(database, "select cast(as_of_date as varchar) "
                              "from intermediate.int_reporting__as_of_date")[0][0]
    assert manifest["as_of_date"] == current
    segment_dir = exports / "email_tool" / "win_back"
    members_1 = {row["customer_id"] for row in _read(segment_dir / "members.csv")}
    assert {row["customer_id"] for row in _read(segment_dir / "added.csv")} == members_1
    entry = manifest["destinations"]["email_tool"]["segments"]["win_back"]
    assert entry["members"]["rows"] == len(members_1)
    assert entry["members"]["sha256"] == hashlib.sha256(
        (segment_dir / "members.csv").read_bytes()).hexdigest()

    # Consent: nobody without opt-in in email or ads files; ads carry only hashed emails.
    opted_out = {cid for cid, _, opt_in in HAND_MADE_CONTACTS if not opt_in}
    for path in (exports / "email_tool").glob("*/members.csv"):
        assert not opted_out & {row["customer_id"] for row in _read(path)}
    con = duckdb.connect()
    ads = con.execute(
        f"select * from read_parquet('{exports}/ad_platform/*/members.parquet')"
    ).fetchall()
    columns = [d[0] for d in con.description]
    assert columns == ["email_sha256", "country_code"]
    assert ads and all(len(row[0]) == 64 and "@" not in row[0] for row in ads)
    con.close()
    # H2's email is ' H2@Handmade.test ' in the CRM: ads get the SHA-256 of the trimmed,
    # lower-cased form (H2 spent 10,000: a VIP, so in the ad platform's audience).
    hashes = _rows(database, "select distinct email_sha256 from marts.fct_activation_audiences "
                             "where customer_id = 'H0000002' and destination_type = 'ads'")
    assert hashes == [(hashlib.sha256(b"h2@handmade.test").hexdigest(),)]

    # Exporting again without a change writes empty diffs.
    second = run_cli(["export", "--out", str(exports)], env)
    assert second.returncode == 0
    for folder in (exports / "email_tool").iterdir():
        assert _read(folder / "added.csv") == [] and _read(folder / "removed.csv") == []

    # Membership changes (segments as of 2026-09-30): the diff is exactly the set difference.
    rebuilt = run_cli(["dbt", "run", "--select", "int_reporting__as_of_date+",
                       "--exclude", "fct_segment_size_snapshots",
                       "--vars", json.dumps({"as_of_date": "2026-09-30"})], env)
    assert rebuilt.returncode == 0, rebuilt.stdout[-3000:]
    third = run_cli(["export", "--out", str(exports)], env)
    assert third.returncode == 0
    members_3 = {row["customer_id"] for row in _read(segment_dir / "members.csv")}
    assert members_3 != members_1
    assert {row["customer_id"] for row in _read(segment_dir / "added.csv")} == members_3 - members_1
    assert {row["customer_id"] for row in _read(segment_dir / "removed.csv")} == members_1 - members_3


HISTORY_MODELS = ("fct_customer_segment_history", "fct_customer_segment_transitions",
                  "agg_segment_movement_matrix", "agg_segment_stability")


def _history_checksums(database: Path) -> dict[str, tuple[int, str]]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return {model: table_checksum(con, "marts", model) for model in HISTORY_MODELS}
    finally:
        con.close()


def _run_history_models(env: dict[str, str], *extra: str) -> dict[str, str]:
    """Run the models built from the snapshots (not the snapshots) and return their compiled
    SQL by model name."""
    ran = run_cli(["dbt", "run", "--select", "fct_customer_segment_snapshots+",
                   "--exclude", "fct_customer_segment_snapshots", "fct_segment_size_snapshots",
                   *extra], env)
    assert ran.returncode == 0, failure_summary(ran)
    results = json.loads((Path(env["DBT_TARGET_PATH"]) / "run_results.json").read_text())
    return {result["unique_id"].split(".")[-1]: result.get("compiled_code") or ""
            for result in results["results"]}


def test_history_models_redo_only_the_written_dates_and_equal_a_full_rebuild(
    history_warehouse,
) -> None:
    """The history models are incremental: a new later as-of date extends the stays from the
    current ones and redoes one pair of dates; a date written again with other members makes
    the stays be derived again and its two pairs be redone. Each time the result must equal
    a full rebuild of those models from all snapshots."""
    database, env = history_warehouse
    latest = _rows(database, "select max(as_of_date) from marts.fct_customer_segment_snapshots")
    later = (latest[0][0].replace(day=1) + dt.timedelta(days=40)).replace(day=1)
    built = run_cli(["dbt", "run", "--select", "int_reporting__as_of_date+",
                     "--exclude", "fct_segment_size_snapshots",
                     "--vars", json.dumps({"as_of_date": later.isoformat()})], env)
    assert built.returncode == 0, failure_summary(built)
    results = json.loads((Path(env["DBT_TARGET_PATH"]) / "run_results.json").read_text())
    compiled = {result["unique_id"].split(".")[-1]: result.get("compiled_code") or ""
                for result in results["results"]}
    # the daily case: the stays were extended from the current ones, not derived again
    assert "current_stays" in compiled["fct_customer_segment_history"]
    for model in HISTORY_MODELS[1:]:
        assert "_written_at" in compiled[model] and "earlier_date in (" in compiled[model], model
    extended = _history_checksums(database)

    # The transitions' grain test reads only the dates the newest run wrote: an old transition
    # copied with the newest stamp must still fail it.
    grain_test = ["dbt", "test", "--select", "fct_customer_segment_transitions,test_type:data"]
    assert run_cli(grain_test, env).returncode == 0
    con = duckdb.connect(str(database))
    try:
        con.execute(
            "insert into marts.fct_customer_segment_transitions "
            "select * replace ((select max(_written_at) "
            "from marts.fct_customer_segment_transitions) as _written_at) "
            "from marts.fct_customer_segment_transitions "
            "where transition_date = cast(? as date) limit 1", [DATES[1]])
    finally:
        con.close()
    failed = run_cli(grain_test, env)
    assert failed.returncode != 0 and "unique_combination_in_latest_write" in failed.stdout
    _run_history_models(env, "--full-refresh")
    assert _history_checksums(database) == extended

    # A middle date written again with fewer members (as the snapshot model's delete+insert
    # of that date would leave it): stays after it change, and both its pairs.
    middle = DATES[-2]
    con = duckdb.connect(str(database))
    try:
        removed = con.execute(
            "delete from marts.fct_customer_segment_snapshots "
            "where as_of_date = cast(? as date) and hash(customer_id) % 7 = 0", [middle]
        ).fetchone()[0]
        con.execute("update marts.fct_customer_segment_snapshots "
                    "set _written_at = cast(now() as timestamp) "
                    "where as_of_date = cast(? as date)", [middle])
    finally:
        con.close()
    assert removed > 0
    before = _history_checksums(database)
    compiled = _run_history_models(env)
    assert "current_stays" not in compiled["fct_customer_segment_history"]
    rewritten = _history_checksums(database)
    assert all(rewritten[model] != before[model] for model in HISTORY_MODELS)
    _run_history_models(env, "--full-refresh")
    assert _history_checksums(database) == rewritten
