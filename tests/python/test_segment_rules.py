"""Segment rules are data, so a broken or malicious rule must stop the build with an error that
names the segment, before anything runs (compile-time checks of syntax, columns and the types
of compared literals). The check is an allow-list: column names of the feature mart, literals,
operators, a few SQL words and coalesce(); the cases below are what it must refuse."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.python.conftest import PROJECT_DIR, Warehouse, project_env


def _definitions_with(extra: dict) -> str:
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())
    definitions = list(project["vars"]["segment_definitions"]) + [extra]
    return json.dumps({"segment_definitions": definitions})


def _dbt(args: list[str], env: dict[str, str], target: Path) -> subprocess.CompletedProcess[str]:
    env = dict(env, DBT_TARGET_PATH=str(target))
    return subprocess.run(
        [sys.executable, "-m", "custseg", "dbt", *args],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=600,
    )


def _segment(key: str, rule: str, **overrides: object) -> dict:
    segment = {
        "key": key, "family": "campaign", "name": "Broken", "owner": "tests",
        "priority": 99, "rule": rule, "description": "A rule the build must refuse.",
    }
    segment.update(overrides)
    return segment


@pytest.mark.parametrize(
    ("segment", "message"),
    [
        (_segment("typo_in_column", "lifetime_revnue > 100"), "unknown column 'lifetime_revnue'"),
        (_segment("statement_smuggled", "is_b2b; drop table marts.dim_customers"), "';' is not allowed"),
        (_segment("subquery_on_raw", "customer_id in (select contact_id from raw.crm_contacts)"),
         "'select' is not allowed"),
        (_segment("unbalanced", "(is_b2b and is_mobile_first"), "unbalanced '('"),
        (_segment("no_column", "1 = 1"), "uses no column"),
        (_segment("bad_family", "is_b2b", family="astrology"), "unknown family 'astrology'"),
        (_segment("same_priority", "is_b2b", priority=1), "priority 1 is already used"),
        (_segment("text_compared_to_number", "age_band > 5"), "holds text (varchar)"),
        (_segment("flag_compared_to_text", "is_b2b = 'yes'"), "holds boolean"),
        (_segment("number_in_text_list", "frequency in ('a', 'b')"), "holds number"),
    ],
    ids=lambda value: value["key"] if isinstance(value, dict) else "",
)
def test_a_broken_rule_fails_compilation_naming_the_segment(
    built_warehouse: Warehouse, tmp_path: Path, segment: dict, message: str
) -> None:
    result = _dbt(
        ["compile", "--select", "fct_customer_segments", "--vars", _definitions_with(segment)],
        built_warehouse.env, tmp_path / "target",
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-3000:]
    assert f"segment '{segment['key']}'" in output, output[-3000:]
    assert message in output, output[-3000:]


def test_a_valid_new_segment_needs_only_its_entry(
    built_warehouse: Warehouse, tmp_path: Path
) -> None:
    """The README's worked example: one new entry, a build, and it has members."""
    import duckdb

    segment = _segment(
        "big_spenders_on_mobile", "lifetime_net_revenue >= 500 and is_mobile_first",
        name="Big spenders on mobile", description="Spent 500+ and mostly use the app on a phone.",
    )
    result = _dbt(
        ["build", "--select", "fct_customer_segments", "dim_segments",
         "--vars", _definitions_with(segment)],
        built_warehouse.env, tmp_path / "target",
    )
    assert result.returncode == 0, result.stdout[-3000:]
    con = duckdb.connect(str(built_warehouse.database), read_only=True)
    try:
        members, expected = con.execute(
            """
            select
                (select count(*) from marts.fct_customer_segments
                 where segment_key = 'big_spenders_on_mobile'),
                (select count(*) from marts.dim_customers
                 where lifetime_net_revenue >= 500 and is_mobile_first)
            """
        ).fetchone()
        catalog = con.execute(
            "select members from marts.dim_segments where segment_key = 'big_spenders_on_mobile'"
        ).fetchone()
    finally:
        con.close()
    assert members == expected > 0
    assert catalog == (members,)
    # Put the shipped definitions back for the tests that follow.
    restore = _dbt(["build", "--select", "fct_customer_segments", "dim_segments"],
                   built_warehouse.env, tmp_path / "target2")
    assert restore.returncode == 0, restore.stdout[-3000:]


# ---- every kind of refusal, checked by the same macro a build uses (`dbt run-operation
# check_segment_rule`, in process: no warehouse needed, about half a second per rule) ----------

REFUSED_RULES = [
    # one statement only, no comments, no quoted identifiers
    ("semicolon", "is_b2b; drop table marts.dim_customers", "';' is not allowed"),
    ("line_comment", "is_b2b -- or everyone", "'--' is not allowed"),
    ("block_comment", "is_b2b /* or everyone */", "'/*' is not allowed"),
    ("quoted_identifier", '"is_b2b"', "'\"' is not allowed"),
    # statements and queries
    ("drop", "drop table marts.dim_customers", "'drop' is not allowed"),
    ("insert", "insert into marts.dim_segments values (1)", "'insert' is not allowed"),
    ("update", "update marts.dim_customers set is_b2b = true", "'update' is not allowed"),
    ("delete", "delete from marts.dim_customers", "'delete' is not allowed"),
    ("create", "create table leak as select 1", "'create' is not allowed"),
    ("alter", "alter role bi_reader superuser", "'alter' is not allowed"),
    ("grant", "grant select on raw.crm_contacts to public", "'grant' is not allowed"),
    ("copy", "copy marts.dim_customers to '/tmp/customers.csv'", "'copy' is not allowed"),
    ("attach", "attach '/tmp/other.duckdb' as other", "'attach' is not allowed"),
    ("pragma", "pragma database_list", "'pragma' is not allowed"),
    ("install", "install httpfs", "'install' is not allowed"),
    ("load", "load httpfs", "'load' is not allowed"),
    ("call", "call pragma_version()", "'call' is not allowed"),
    ("set", "set search_path = raw", "'set' is not allowed"),
    ("subquery", "customer_id in (select contact_id from raw.crm_contacts)",
     "'select' is not allowed"),
    ("exists", "exists (select 1 from raw.crm_contacts)", "'exists' is not allowed"),
    ("union", "is_b2b union select true", "'union' is not allowed"),
    # functions, above all those that read files or server settings; only coalesce is allowed
    ("read_csv", "read_csv('/etc/passwd') is not null", "function 'read_csv(...)'"),
    ("read_parquet", "read_parquet ('s3://bucket/x.parquet') is not null",
     "function 'read_parquet(...)'"),
    ("read_text", "is_b2b or read_text('/etc/hostname') <> ''", "function 'read_text(...)'"),
    ("pg_read_file", "pg_read_file('/etc/passwd') <> ''", "function 'pg_read_file(...)'"),
    ("current_setting", "current_setting('data_directory') <> ''",
     "function 'current_setting(...)'"),
    ("harmless_function", "lower(age_band) = '18-24'", "function 'lower(...)'"),
    # other tables and unknown columns, personal data included (it is not in dim_customers)
    ("dotted_name", "is_b2b and raw.crm_contacts.email is null", "'raw.' is not allowed"),
    ("unknown_column", "lifetime_revnue > 100", "unknown column 'lifetime_revnue'"),
    ("email_column", "email like '%@example.com'", "unknown column 'email'"),
    ("cast_syntax", "is_b2b::int = 1", "cannot read the rule at '::int = 1'"),
]


@pytest.fixture(scope="module")
def check_rule(tmp_path_factory: pytest.TempPathFactory):
    """Runs `dbt run-operation check_segment_rule` in this process; returns (ok, output)."""
    from dbt.cli.main import dbtRunner

    tmp = tmp_path_factory.mktemp("rule_checks")
    messages: list[str] = []
    runner = dbtRunner(callbacks=[lambda event: messages.append(str(event.info.msg))])
    env = project_env(tmp)
    with pytest.MonkeyPatch.context() as patch:
        for name in ("SEGMENTATION_DUCKDB_PATH", "SEGMENTATION_DATA_DIR", "DBT_TARGET_PATH",
                     "DBT_LOG_PATH", "DBT_SEND_ANONYMOUS_USAGE_STATS"):
            patch.setenv(name, env[name])
        patch.delenv("SEGMENTATION_TARGET", raising=False)

        def check(key: str, rule: str, family: str = "campaign") -> tuple[bool, str]:
            messages.clear()
            result = runner.invoke([
                "run-operation", "check_segment_rule", "--project-dir", str(PROJECT_DIR),
                "--profiles-dir", str(PROJECT_DIR),
                "--args", json.dumps({"key": key, "family": family, "rule": rule}),
            ])
            return result.success, "\n".join(messages)

        yield check


@pytest.mark.parametrize(("key", "rule", "message"), REFUSED_RULES,
                         ids=[case[0] for case in REFUSED_RULES])
def test_a_rule_that_is_not_a_condition_over_known_columns_is_refused(
    check_rule, key: str, rule: str, message: str
) -> None:
    ok, output = check_rule(key, rule)
    assert not ok, output[-3000:]
    assert f"segment '{key}' (family campaign)" in output, output[-3000:]
    assert message in output, output[-3000:]


@pytest.mark.parametrize("rule", [
    "lifetime_net_revenue >= 500 and is_mobile_first",
    "coalesce(latest_nps_score, 0) >= 9 and not is_b2b",
    "case when is_b2b then revenue_12m else 0 end > 100",
    "age_band in ('18-24', '25-34') or (frequency between 2 and 5)",
    "first_touch_source like 'goo%' and last_seen_date >= '2026-01-01'",
])
def test_a_condition_over_known_columns_is_accepted(check_rule, rule: str) -> None:
    """The allow-list is not so tight that the shipped kinds of rule fail."""
    ok, output = check_rule("tried_rule", rule)
    assert ok, output[-3000:]
    assert "segment 'tried_rule' (family campaign): rule accepted" in output


def test_an_account_rule_is_checked_against_the_account_mart(check_rule) -> None:
    ok, output = check_rule("tried_rule", "employee_count > 50", family="account_size")
    assert ok and "of dim_accounts" in output, output[-3000:]
    ok, output = check_rule("tried_rule", "lifetime_net_revenue > 50 and is_b2b",
                            family="account_size")
    assert not ok and "unknown column 'is_b2b'" in output, output[-3000:]


@pytest.mark.parametrize(("rule", "message"), [
    ("is_b2b; select 1", "';' is not allowed"),            # refused while parsing
    ("lifetime_revnue > 100", "unknown column 'lifetime_revnue'"),  # needs the column list
])
def test_a_broken_rule_stops_a_build_before_anything_runs(
    tmp_path: Path, rule: str, message: str
) -> None:
    """`dbt build` on an empty warehouse: the rule is refused before the first seed or model
    runs (the on-run-start check), so the warehouse stays empty."""
    import duckdb

    env = project_env(tmp_path)
    env.pop("SEGMENTATION_TARGET", None)
    result = _dbt(["build", "--vars", _definitions_with(_segment("broken_rule", rule))],
                  env, tmp_path / "target")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-3000:]
    assert "segment 'broken_rule' (family campaign)" in output and message in output, \
        output[-3000:]
    database = tmp_path / "warehouse.duckdb"
    if not database.exists():
        return  # refused while parsing: dbt never opened the warehouse
    con = duckdb.connect(str(database), read_only=True)
    try:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall()
    finally:
        con.close()
    assert tables == []
