"""Content checksums of warehouse tables: the same rows give the same checksum, whatever order
they are stored in, whatever thread count built them and whichever DuckDB file holds them.

A table's checksum is the MD5 of its rows, each cast to text (DuckDB's text form of the row as a
struct: every column name and value), sorted and joined with newlines. Floating-point values
are printed in their shortest exact form, so a difference in the last bit shows.
"""

from __future__ import annotations

import duckdb

# Columns whose values differ between two builds of the same data on purpose: the audit trail
# of builds themselves. Checksums leave them out, so "same input, same output" holds for
# everything else. Keep this list short and documented (README, "Same input, same output").
RUN_DEPENDENT_COLUMNS: dict[str, tuple[str, ...]] = {
    # one row per build and segment: the dbt invocation id and the build's start time
    "fct_segment_size_snapshots": ("build_id", "built_at"),
    # the start of the run that wrote the row: an incremental run stamps what it appended or
    # rewrote, a full build stamps every row (`unique_in_latest_write` reads it)
    **{
        model: ("_written_at",)
        for model in (
            "base_app__events", "stg_app__events", "int_events__attributed",
            "int_events__daily_rollup", "int_events__daily_sign_ins", "int_events__utm_touches",
            "base_shop__order_items", "stg_shop__order_items", "int_order_items__attributed",
            "stg_shop__orders", "int_orders__attributed", "int_customers__engagement",
            "int_customers__lifecycle",
            "int_customers__interests", "int_customers__technographics",
            "int_customers__geography", "int_data_quality__rejected_rows",
            "fct_customer_segment_snapshots", "fct_customer_segment_history",
            "fct_customer_segment_transitions", "agg_segment_movement_matrix",
            "agg_segment_stability",
        )
    },
    # the identity change logs: the run that logged each change
    "int_identity__crm_changes": ("_changed_at",),
    "int_identity__device_changes": ("_changed_at",),
}


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_columns(con: duckdb.DuckDBPyConnection, catalog: str | None, schema: str,
                  table: str) -> list[str]:
    """The columns of a table in their declared order."""
    query = (
        "select column_name from duckdb_columns() "
        "where schema_name = ? and table_name = ?"
    )
    params: list[str] = [schema, table]
    if catalog is not None:
        query += " and database_name = ?"
        params.append(catalog)
    rows = con.execute(query + " order by column_index", params).fetchall()
    return [str(row[0]) for row in rows]


def table_checksum(
    con: duckdb.DuckDBPyConnection,
    schema: str,
    table: str,
    catalog: str | None = None,
    exclude: tuple[str, ...] | None = None,
) -> tuple[int, str]:
    """(rows, md5 hex) of a table's content. `exclude` names columns to leave out; by default
    the table's entry in RUN_DEPENDENT_COLUMNS."""
    skipped = RUN_DEPENDENT_COLUMNS.get(table, ()) if exclude is None else exclude
    columns = [name for name in table_columns(con, catalog, schema, table) if name not in skipped]
    if not columns:
        raise ValueError(f"{schema}.{table}: no columns to checksum")
    relation = ".".join(
        quote_identifier(part) for part in ((catalog,) if catalog else ()) + (schema, table)
    )
    select_list = ", ".join(quote_identifier(name) for name in columns)
    row = con.execute(
        "select count(*), md5(coalesce(string_agg(row_text, chr(10) order by row_text), '')) "
        f"from (select cast(t as varchar) as row_text from (select {select_list} from {relation}) as t)"
    ).fetchone()
    assert row is not None
    return int(row[0]), str(row[1])
