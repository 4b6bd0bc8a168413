"""The raw source contract in Python (custseg.contract) and in the sources YAML agree."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from custseg.contract import LOADED_AT_COLUMN, RAW_TABLES

PROJECT_DIR = Path(__file__).resolve().parents[2]


def _documented_columns() -> dict[str, list[str]]:
    documented: dict[str, list[str]] = {}
    for path in sorted((PROJECT_DIR / "models" / "staging").glob("*/_*__sources.yml")):
        for source in yaml.safe_load(path.read_text())["sources"]:
            for table in source["tables"]:
                documented[table["name"]] = [column["name"] for column in table["columns"]]
                for column in table["columns"]:
                    assert column.get("description"), f"{table['name']}.{column['name']} undocumented"
    return documented


def test_sources_yaml_documents_exactly_the_contract_columns() -> None:
    documented = _documented_columns()
    assert set(documented) == set(RAW_TABLES)
    for table, columns in RAW_TABLES.items():
        assert documented[table] == [name for name, _ in columns] + [LOADED_AT_COLUMN], table


def test_unit_test_fixtures_type_text_the_way_spark_accepts() -> None:
    """Spark rejects `varchar` without a length: a `format: sql` fixture that types a text
    column with `cast(... as varchar)` fails only in `make test-spark` (sessions 11 and 15).
    Fixtures type text columns with a string literal in the first row instead (docs/engines.md),
    caught here, in the DuckDB suite."""
    bare_varchar = re.compile(r"\bas\s+varchar\s*\)", re.IGNORECASE)
    offending = [
        (path.name, test["name"])
        for path in sorted((PROJECT_DIR / "models").rglob("_*__unit_tests.yml"))
        for test in yaml.safe_load(path.read_text())["unit_tests"]
        for given in test.get("given", [])
        if given.get("format") == "sql" and bare_varchar.search(str(given.get("rows", "")))
    ]
    assert not offending, offending


def test_unit_test_names_fit_postgres_identifiers() -> None:
    """dbt names a unit test's scratch relation after the test: on PostgreSQL an identifier
    longer than 63 characters fails the build (found by `make test-postgres`), so a long name
    is caught here, in the DuckDB suite."""
    too_long = [
        (path.name, test["name"])
        for path in sorted((PROJECT_DIR / "models").rglob("_*__unit_tests.yml"))
        for test in yaml.safe_load(path.read_text())["unit_tests"]
        if len(test["name"]) > 63
    ]
    assert not too_long, too_long
