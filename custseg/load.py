"""Load generated raw Parquet files into the DuckDB warehouse's `raw` schema (and the ground
truth into `ground_truth`, which no dbt model reads). Loading replaces the tables, so loading the
same files twice gives the same warehouse."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from custseg.contract import RAW_SCHEMA, RAW_TABLES, TRUTH_SCHEMA, TRUTH_TABLES


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def load_duckdb(
    raw_dir: Path,
    database: Path,
    progress: Callable[[str], None] | None = print,
) -> dict[str, int]:
    """Replace every raw and ground-truth table in `database` with the Parquet files in
    `raw_dir`. Returns the row count per loaded table (schema.table)."""
    database.parent.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    con = duckdb.connect(str(database))
    try:
        for schema, tables, prefix in (
            (RAW_SCHEMA, RAW_TABLES, ""),
            (TRUTH_SCHEMA, TRUTH_TABLES, "ground_truth__"),
        ):
            con.execute(f"create schema if not exists {schema}")
            for table, columns in tables.items():
                started = time.perf_counter()
                parquet = raw_dir / f"{prefix}{table}.parquet"
                if not parquet.exists():
                    raise FileNotFoundError(f"raw file missing: {parquet}")
                select_list = ", ".join(f"cast({name} as {type_}) as {name}" for name, type_ in columns)
                con.execute(
                    f"create or replace table {schema}.{table} as "
                    f"select {select_list} from read_parquet({_quote(parquet)})"
                )
                row = con.execute(f"select count(*) from {schema}.{table}").fetchone()
                counts[f"{schema}.{table}"] = int(row[0]) if row else 0
                if progress:
                    progress(
                        f"  loaded {schema}.{table}: {counts[f'{schema}.{table}']:,} rows "
                        f"in {time.perf_counter() - started:.1f}s"
                    )
    finally:
        con.close()
    return counts
