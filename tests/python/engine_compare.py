"""Compare the tables two engines built from the same raw data: every staging, intermediate and
mart table (except per-build metadata) must hold exactly the same rows. Used by the engine tests
(tests/python/test_engines.py) and runnable by hand."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

SKIPPED_TABLES = {"fct_segment_size_snapshots"}


def normalize(value: Any) -> Any:
    """Engines return the same value in different Python types (Decimal('1.50') vs 1.5 for
    floats, numpy ints, ...): bring them to one comparable form without loosening equality."""
    if isinstance(value, Decimal):
        return value.normalize() if value == value else value
    if isinstance(value, float):
        return Decimal(repr(value)).normalize()
    if hasattr(value, "item"):
        return normalize(value.item())
    return value


def compare_tables(
    tables: Iterable[tuple[str, str, list[str]]],
    fetch_a: Callable[[str], list[tuple]],
    fetch_b: Callable[[str], list[tuple]],
) -> list[str]:
    """Differences, as readable lines, between engine A and engine B for each (schema, table,
    columns)."""
    problems = []
    for schema, table, columns in tables:
        if table in SKIPPED_TABLES:
            continue
        sql = f"select {', '.join(columns)} from {schema}.{table}"
        rows_a = Counter(tuple(normalize(v) for v in row) for row in fetch_a(sql))
        rows_b = Counter(tuple(normalize(v) for v in row) for row in fetch_b(sql))
        if rows_a != rows_b:
            only_a = sorted(rows_a - rows_b, key=str)[:2]
            only_b = sorted(rows_b - rows_a, key=str)[:2]
            problems.append(
                f"{schema}.{table}: {sum(rows_a.values())} vs {sum(rows_b.values())} rows; "
                f"only in first {only_a}; only in second {only_b}"
            )
    return problems
