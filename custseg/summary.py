"""Row counts per warehouse layer after a build, and the raw-row reconciliation."""

from __future__ import annotations

from pathlib import Path

import duckdb

LAYERS = ("raw", "reference", "staging", "intermediate", "marts")


def layer_counts(database: Path) -> dict[str, dict[str, int]]:
    """{schema: {table: rows}} for the tables (not views) of every layer schema."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' and table_schema in ("
            + ", ".join(f"'{layer}'" for layer in LAYERS)
            + ") order by table_schema, table_name"
        ).fetchall()
        result: dict[str, dict[str, int]] = {layer: {} for layer in LAYERS}
        for schema, table in tables:
            row = con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()
            result[schema][table] = int(row[0]) if row else 0
        return result
    finally:
        con.close()


def reconciliation(database: Path) -> list[tuple[str, int, int, int, int]]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return [
            (str(r[0]), int(r[1]), int(r[2]), int(r[3]), int(r[4]))
            for r in con.execute(
                "select source_table, raw_rows, kept_rows, rejected_rows, duplicate_rows "
                "from intermediate.int_data_quality__row_reconciliation order by source_table"
            ).fetchall()
        ]
    finally:
        con.close()


def format_summary(database: Path, build_seconds: float | None = None) -> str:
    counts = layer_counts(database)
    lines = [f"Warehouse: {database}"]
    for layer in LAYERS:
        tables = counts.get(layer, {})
        total = sum(tables.values())
        lines.append(f"  {layer:<13} {len(tables):>3} tables {total:>14,} rows")
        for table, rows in tables.items():
            lines.append(f"      {table:<48} {rows:>14,}")
    try:
        rec = reconciliation(database)
    except duckdb.Error:
        rec = []
    if rec:
        lines.append("  raw rows accounted for (raw = kept + rejected + duplicate):")
        for table, raw, kept, rejected, duplicate in rec:
            ok = "ok" if raw == kept + rejected + duplicate else "MISMATCH"
            lines.append(
                f"      {table:<20} raw {raw:>11,}  kept {kept:>11,}  rejected {rejected:>9,}"
                f"  duplicate {duplicate:>9,}  {ok}"
            )
    if build_seconds is not None:
        lines.append(f"  dbt build time: {build_seconds:.1f}s")
    return "\n".join(lines)
