"""Load generated raw Parquet files into the DuckDB warehouse's `raw` schema (and the ground
truth into `ground_truth`, which no dbt model reads).

Every raw row gets a ``_loaded_at`` stamp, as a real loader (Fivetran, Airbyte, a collector)
writes one: the incremental staging models process the rows loaded after the newest stamp they
have seen, so a daily run costs what the new rows cost.

By default loading replaces the tables (loading the same files twice gives the same warehouse).
To simulate daily loads, ``part="before"`` loads only the rows that arrived before ``split_at``
(see :data:`custseg.contract.ARRIVAL_SQL`) and ``part="after"`` appends the rest.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from custseg.contract import (
    ARRIVAL_JOIN,
    ARRIVAL_SQL,
    LOADED_AT_COLUMN,
    RAW_SCHEMA,
    RAW_TABLES,
    TRUTH_SCHEMA,
    TRUTH_TABLES,
)

PARTS = ("all", "before", "after")


@dataclass(frozen=True)
class LoadPart:
    """Which rows a load writes: all (replace), those that arrived before `split_at` (replace) or
    at or after it (append); `loaded_at` is the stamp written (default: now)."""

    part: str = "all"
    split_at: dt.datetime | None = None
    loaded_at: dt.datetime | None = None


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def batch_select_sql(
    raw_dir: Path,
    table: str,
    part: str = "all",
    split_at: dt.datetime | None = None,
    loaded_at: dt.datetime | None = None,
) -> str:
    """DuckDB SQL selecting one raw table's Parquet rows of a load part, cast to the contract
    types, with the ``_loaded_at`` stamp as the last column."""
    if part not in PARTS:
        raise ValueError(f"part must be one of {PARTS}, not {part!r}")
    if part != "all" and split_at is None:
        raise ValueError("part 'before' or 'after' needs split_at")
    columns = RAW_TABLES[table]
    stamp = (
        f"cast('{loaded_at.isoformat(sep=' ')}' as timestamp)"
        if loaded_at
        else "cast(date_trunc('second', current_timestamp at time zone 'UTC') as timestamp)"
    )
    select_list = ", ".join(f"cast(raw.{name} as {type_}) as {name}" for name, type_ in columns)
    sql = (
        f"select {select_list}, {stamp} as {LOADED_AT_COLUMN} "
        f"from read_parquet({_quote(raw_dir / f'{table}.parquet')}) as raw"
    )
    if part == "all":
        return sql
    orders = f"read_parquet({_quote(raw_dir / 'shop_orders.parquet')})"
    arrival = ARRIVAL_SQL[table]
    sql += " " + ARRIVAL_JOIN.get(table, "").format(orders=orders)
    split = f"cast('{split_at.isoformat(sep=' ')}' as timestamp)"
    # A row without an arrival time (it will be rejected) belongs to the first load.
    condition = (
        f"coalesce({arrival} < {split}, true)" if part == "before" else f"{arrival} >= {split}"
    )
    return f"{sql} where {condition}"


def load_duckdb(
    raw_dir: Path,
    database: Path,
    progress: Callable[[str], None] | None = print,
    part: str = "all",
    split_at: dt.datetime | None = None,
    loaded_at: dt.datetime | None = None,
) -> dict[str, int]:
    """Load the Parquet files in `raw_dir` into `database`: replace every raw and ground-truth
    table (part 'all' or 'before'), or append the rows that arrived at or after `split_at` to the
    raw tables (part 'after'). Returns the rows written per table (schema.table)."""
    database.parent.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    con = duckdb.connect(str(database))
    try:
        con.execute(f"create schema if not exists {RAW_SCHEMA}")
        for table in RAW_TABLES:
            started = time.perf_counter()
            if not (raw_dir / f"{table}.parquet").exists():
                raise FileNotFoundError(f"raw file missing: {raw_dir / f'{table}.parquet'}")
            select = batch_select_sql(raw_dir, table, part, split_at, loaded_at)
            before = 0
            if part == "after":
                before = con.execute(f"select count(*) from {RAW_SCHEMA}.{table}").fetchone()[0]
                con.execute(f"insert into {RAW_SCHEMA}.{table} {select}")
            else:
                con.execute(f"create or replace table {RAW_SCHEMA}.{table} as {select}")
            total = con.execute(f"select count(*) from {RAW_SCHEMA}.{table}").fetchone()[0]
            counts[f"{RAW_SCHEMA}.{table}"] = int(total) - int(before)
            if progress:
                verb = "appended to" if part == "after" else "loaded"
                progress(f"  {verb} {RAW_SCHEMA}.{table}: {int(total) - int(before):,} rows "
                         f"in {time.perf_counter() - started:.1f}s")
        if part != "after":
            con.execute(f"create schema if not exists {TRUTH_SCHEMA}")
            for table, columns in TRUTH_TABLES.items():
                parquet = raw_dir / f"ground_truth__{table}.parquet"
                if not parquet.exists():
                    raise FileNotFoundError(f"raw file missing: {parquet}")
                select_list = ", ".join(f"cast({name} as {type_}) as {name}"
                                        for name, type_ in columns)
                con.execute(f"create or replace table {TRUTH_SCHEMA}.{table} as "
                            f"select {select_list} from read_parquet({_quote(parquet)})")
                counts[f"{TRUTH_SCHEMA}.{table}"] = int(
                    con.execute(f"select count(*) from {TRUTH_SCHEMA}.{table}").fetchone()[0])
    finally:
        con.close()
    return counts
