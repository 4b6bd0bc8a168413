{#-
    Helpers of int_events__daily_rollup.

    session_key: the session id as a key that is never null ('' for an event without a session;
    staging turns blank ids into null, so '' is no real session). The incremental run replaces
    rows by (event_date, session_key), and a null would match no stored row.
-#}
{% macro session_key(session_id) -%}
    coalesce({{ session_id }}, '')
{%- endmacro %}

{#-
    A pre-hook: on an incremental run, delete the stored rows dated in another reporting time
    zone than var('reporting_timezone'). After the time zone changed, every event is
    re-attributed with its new day, and the rows under the old days would otherwise stay.
    On Spark (Parquet tables: no delete) the run stops instead, saying what to rebuild.
-#}
{% macro delete_rows_of_another_timezone() -%}
    {{ return(adapter.dispatch('delete_rows_of_another_timezone', 'customer_segmentation')()) }}
{%- endmacro %}

{% macro default__delete_rows_of_another_timezone() -%}
    {%- if is_incremental() %}
    delete from {{ this }}
    where reporting_timezone <> '{{ var("reporting_timezone") }}'
    {%- endif %}
{%- endmacro %}

{% macro spark__delete_rows_of_another_timezone() -%}
    {{ stop_if_another_timezone_is_stored() }}
{%- endmacro %}

{#-
    A pre-hook of the rollup's incremental run (DuckDB, PostgreSQL): delete the stored rows of
    the (day, session) pairs that the events written since the last run touch. The run derives
    those pairs again from all their events, but a pair whose events all lost their customer (a
    deleted contact) gives no row, and dbt's delete+insert deletes only the pairs the run
    returns: its old row, under the old customer, would stay. The run's own delete by key stays
    (should this delete lower the newest stored stamp, the run re-derives more pairs, and those
    are replaced by key). On Spark a run replaces whole months instead (no delete there).
-#}
{% macro delete_rows_of_touched_sessions() -%}
    {{ return(adapter.dispatch('delete_rows_of_touched_sessions', 'customer_segmentation')()) }}
{%- endmacro %}

{% macro default__delete_rows_of_touched_sessions() -%}
    {%- if is_incremental() %}
    delete from {{ this }}
    where (event_date, session_key) in (
        select written.event_date, {{ session_key('written.session_id') }}
        from {{ ref('int_events__attributed') }} as written
        where written._written_at > {{ newest_processed_stamp('_written_at') }}
    )
    {%- endif %}
{%- endmacro %}

{% macro spark__delete_rows_of_touched_sessions() -%}
{%- endmacro %}


{#-
    For the Spark tables that replace whole months (insert_overwrite) or append: when an
    incremental run finds stored rows dated in another reporting time zone, it stops with the
    command that rebuilds them. Their rows cannot be deleted, and a month that the new zone
    leaves empty would keep its old rows. Renders no SQL (an empty hook is skipped).
-#}
{% macro stop_if_another_timezone_is_stored() -%}
    {%- if execute and is_incremental() -%}
        {%- set other_zone = run_query(
            "select 1 from " ~ this ~ " where reporting_timezone <> '"
            ~ var('reporting_timezone') ~ "' limit 1"
        ) -%}
        {%- if other_zone.rows | length > 0 -%}
            {{ exceptions.raise_compiler_error(
                this ~ " holds rows dated in another reporting time zone than var("
                ~ "'reporting_timezone') = '" ~ var('reporting_timezone') ~ "'. Spark's "
                ~ "Parquet tables cannot delete them: rebuild with `dbt build --full-refresh "
                ~ "--select int_events__attributed+ int_events__daily_sign_ins+`."
            ) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
