"""Segment rules are data, so a broken or malicious rule must stop the build with an error that
names the segment, before anything runs (compile-time checks of syntax, columns and the types
of compared literals)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.python.conftest import PROJECT_DIR, Warehouse


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
