"""Load the generated raw Parquet files into PostgreSQL (and, in load_spark, a local Spark
session's warehouse), the same tables and columns the DuckDB loader writes. Connection settings
come from the same environment variables as profiles.yml."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from custseg.contract import LOADED_AT_COLUMN, RAW_SCHEMA, RAW_TABLES, TRUTH_SCHEMA, TRUTH_TABLES
from custseg.load import LoadPart, batch_select_sql

POSTGRES_TYPES = {
    "varchar": "text",
    "integer": "integer",
    "decimal(18,2)": "numeric(18,2)",
    "timestamp": "timestamp",
    "boolean": "boolean",
    "date": "date",
}


def postgres_settings() -> dict[str, str | int]:
    return {
        "host": os.environ.get("SEGMENTATION_PG_HOST", "127.0.0.1"),
        "port": int(os.environ.get("SEGMENTATION_PG_PORT", "5432")),
        "user": os.environ.get("SEGMENTATION_PG_USER", "postgres"),
        "password": os.environ.get("SEGMENTATION_PG_PASSWORD", ""),
        "dbname": os.environ.get("SEGMENTATION_PG_DATABASE", "segmentation"),
    }


def _tables() -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    """(schema, table, parquet file prefix, columns) for every raw and ground-truth table; raw
    tables end with the loader's ``_loaded_at`` stamp."""
    result = [(RAW_SCHEMA, table, "", [*columns, (LOADED_AT_COLUMN, "timestamp")])
              for table, columns in RAW_TABLES.items()]
    result += [(TRUTH_SCHEMA, table, "ground_truth__", columns)
               for table, columns in TRUTH_TABLES.items()]
    return result


def ensure_postgres_database(settings: dict[str, str | int]) -> None:
    """Create the database if the server does not have it yet."""
    import psycopg2

    admin = dict(settings, dbname="postgres")
    con = psycopg2.connect(**admin)
    con.autocommit = True
    try:
        with con.cursor() as cur:
            cur.execute("select 1 from pg_database where datname = %s", [settings["dbname"]])
            if cur.fetchone() is None:
                cur.execute(f'create database "{settings["dbname"]}"')
    finally:
        con.close()


def _part_sql(raw_dir: Path, schema: str, table: str, prefix: str,
              columns: list[tuple[str, str]], load: LoadPart) -> str | None:
    """DuckDB SQL for the rows of one table in this load; None: the table is not loaded (the
    ground truth is not appended)."""
    if schema == RAW_SCHEMA:
        return batch_select_sql(raw_dir, table, load.part, load.split_at, load.loaded_at)
    if load.part == "after":
        return None
    parquet = raw_dir / f"{prefix}{table}.parquet"
    return f"select {', '.join(name for name, _ in columns)} from read_parquet('{parquet}')"


def load_postgres(
    raw_dir: Path, progress: Callable[[str], None] | None = print, load: LoadPart | None = None
) -> dict[str, int]:
    """Replace the raw and ground-truth tables in PostgreSQL with the Parquet files' rows (or,
    for part 'after', append the raw rows of the later load)."""
    import psycopg2

    load = load or LoadPart()
    settings = postgres_settings()
    ensure_postgres_database(settings)
    counts: dict[str, int] = {}
    reader = duckdb.connect()
    con = psycopg2.connect(**settings)
    try:
        with con, con.cursor() as cur, tempfile.TemporaryDirectory() as tmp:
            for schema, table, prefix, columns in _tables():
                started = time.perf_counter()
                select = _part_sql(raw_dir, schema, table, prefix, columns, load)
                if select is None:
                    continue
                csv_path = Path(tmp) / f"{table}.csv"
                reader.execute(f"copy ({select}) to '{csv_path}' (format csv, header true)")
                cur.execute(f"create schema if not exists {schema}")
                # Replace the rows, keep the table: staging views depend on it.
                cur.execute(
                    f"create table if not exists {schema}.{table} ("
                    + ", ".join(f"{name} {POSTGRES_TYPES[type_]}" for name, type_ in columns)
                    + ")"
                )
                if load.part != "after":
                    cur.execute(f"truncate table {schema}.{table}")
                with csv_path.open() as handle:
                    cur.copy_expert(
                        f"copy {schema}.{table} from stdin with (format csv, header true)", handle
                    )
                counts[f"{schema}.{table}"] = cur.rowcount
                if progress:
                    progress(f"  loaded {schema}.{table} into PostgreSQL: "
                             f"{counts[f'{schema}.{table}']:,} rows in "
                             f"{time.perf_counter() - started:.1f}s")
    finally:
        con.close()
        reader.close()
    return counts


def spark_session():  # type: ignore[no-untyped-def]
    """A local Spark session with the same warehouse, metastore and settings as the `spark`
    target of profiles.yml (dbt's session method reuses it in the same process)."""
    from pyspark.sql import SparkSession

    base = os.path.abspath(os.environ.get("SEGMENTATION_SPARK_DIR", ".build/spark"))
    os.makedirs(base, exist_ok=True)
    return (
        SparkSession.builder.master("local[2]")
        .appName("customer_segmentation")
        .config("spark.driver.memory", os.environ.get("SEGMENTATION_SPARK_DRIVER_MEMORY", "3g"))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.sources.partitionOverwriteMode", "dynamic")
        .config("hive.exec.dynamic.partition.mode", "nonstrict")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.warehouse.dir", f"{base}/warehouse")
        .config("spark.hadoop.javax.jdo.option.ConnectionURL",
                f"jdbc:derby:;databaseName={base}/metastore_db;create=true")
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={base}")
        .enableHiveSupport()
        .getOrCreate()
    )


def load_spark(
    raw_dir: Path, progress: Callable[[str], None] | None = print, load: LoadPart | None = None
) -> dict[str, int]:
    """Replace the raw and ground-truth tables in the local Spark warehouse (or, for part
    'after', append the raw rows of the later load). DuckDB selects the rows of the load into a
    temporary Parquet file that Spark reads."""
    load = load or LoadPart()
    spark = spark_session()
    counts: dict[str, int] = {}
    spark_types = {"varchar": "string", "decimal(18,2)": "decimal(18,2)", "integer": "int",
                   "timestamp": "timestamp", "boolean": "boolean", "date": "date"}
    reader = duckdb.connect()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for schema, table, prefix, columns in _tables():
                started = time.perf_counter()
                select = _part_sql(raw_dir, schema, table, prefix, columns, load)
                if select is None:
                    continue
                part_file = Path(tmp) / f"{schema}_{table}.parquet"
                reader.execute(f"copy ({select}) to '{part_file}' (format parquet)")
                spark.sql(f"create database if not exists {schema}")
                frame = spark.read.parquet(str(part_file)).selectExpr(*[
                    f"cast({name} as {spark_types[type_]}) as {name}" for name, type_ in columns
                ])
                mode = "append" if load.part == "after" else "overwrite"
                # Spark reads the file lazily: write before the temporary folder goes away.
                frame.write.mode(mode).format("parquet").saveAsTable(f"{schema}.{table}")
                counts[f"{schema}.{table}"] = frame.count()
                if progress:
                    progress(f"  loaded {schema}.{table} into Spark: "
                             f"{counts[f'{schema}.{table}']:,} rows in "
                             f"{time.perf_counter() - started:.1f}s")
    finally:
        reader.close()
        spark.stop()
    return counts
