{{
    config(
        materialized='incremental',
        unique_key='as_of_date',
        incremental_strategy=('insert_overwrite' if target.type == 'spark' else 'delete+insert'),
        partition_by=('as_of_date' if target.type == 'spark' else none),
        file_format=('parquet' if target.type == 'spark' else none),
        on_schema_change=('fail' if target.type == 'spark' else 'append_new_columns'),
        full_refresh=false
    )
}}
{#-
    Segment membership of customers at every as-of date that was built: one row per as-of date,
    customer and segment. Incremental keyed by as-of date (delete+insert; insert_overwrite of
    the date's partition on Spark): each build writes its own as-of date and replaces it when
    that date is built again, so building the same as-of date twice changes nothing. Chosen over
    a dbt snapshot because it records membership *as of* a business date (a backfill can write
    past dates), it works on DuckDB, PostgreSQL and Spark alike (dbt snapshots need merge, which
    Spark lacks here), and history intervals and transitions derive from it.
    A first install fills past dates with `python -m custseg backfill`. `--full-refresh` keeps
    the history (full_refresh=false): past memberships cannot be rebuilt from overwritten CRM rows.
    `_written_at` (the run's start) tells the history models which dates a run wrote, so they
    redo only those. The table cannot be rebuilt, so a table stored before that column existed
    gets it added (`append_new_columns`, null in the old rows: written before any history run).
-#}
with

customer_segments as (

    select * from {{ ref('fct_customer_segments') }}

),

final as (

    select
        as_of_date,
        customer_id,
        segment_key,
        segment_family,
        is_primary,
        is_holdout,
        {{ run_started_timestamp() }} as _written_at

    from customer_segments

)

select * from final
