{#-
    Incremental staging reads only the raw rows of loads it has not processed yet: rows whose
    loader stamp (var('loaded_at_column'), see the sources YAML) is newer than the newest stamp
    in the model. On a first run or a full refresh every row is read.
-#}
{#- A raw row without a stamp (inserted by hand) counts as loaded before every load. -#}
{% macro loaded_at_column(relation_alias) -%}
    coalesce(
        cast({{ relation_alias }}.{{ var('loaded_at_column') }} as {{ dbt.type_timestamp() }}),
        cast('1900-01-01' as {{ dbt.type_timestamp() }})
    )
{%- endmacro %}

{% macro where_not_yet_loaded(loaded_at_expression) -%}
    {%- if is_incremental() %}
    where {{ loaded_at_expression }} > {{ newest_processed_stamp('_loaded_at') }}
    {%- endif %}
{%- endmacro %}

{#-
    The newest value of a stamp column (`_loaded_at`, `_written_at`) in the model's stored
    table, as a scalar subquery: rows stamped later are the ones a run has not processed yet.
    1900-01-01 when the table is empty (a pre-hook may have emptied it). `among`: a condition
    on the stored rows (alias `processed`) for a table that holds several inputs' rows, e.g.
    int_data_quality__rejected_rows per raw table. Incremental runs only.
-#}
{% macro newest_processed_stamp(stamp_column, among=none) -%}
    (
        select coalesce(
            max(processed.{{ stamp_column }}), cast('1900-01-01' as {{ dbt.type_timestamp() }})
        )
        from {{ this }} as processed
        {%- if among %}
        where {{ among }}
        {%- endif %}
    )
{%- endmacro %}

{#-
    The keys the model already holds a kept row for, among the keys of `new_rows`: a new copy of
    such a key is a duplicate (the first copy loaded is kept). Empty on a full refresh.
    `new_rows` should be a materialized CTE of the new keys (rank_copies' `new_keys`), and the
    disposition is checked after the grouping, not in the scan: with the new rows read through
    the cleaning CTEs and `row_disposition = 'kept'` filtering the stored rows, DuckDB 2.0
    estimated the stored rows fewer than the new ones and built its hash table from every
    stored key (4.8 GiB and 7 CPU seconds for 56 M events at 1 M contacts, also with nothing
    new) instead of from the new load's (docs/decisions.md, "A daily duplicate check that
    hashes the new keys").
-#}
{% macro previously_kept_keys(key, new_rows) -%}
    {%- if is_incremental() %}
    select processed.{{ key }}
    from {{ this }} as processed
    where processed.{{ key }} in (select {{ key }} from {{ new_rows }})
    group by processed.{{ key }}
    having max(case when processed.row_disposition = 'kept' then 1 else 0 end) = 1
    {%- else %}
    select {{ key }}
    from {{ new_rows }}
    where 1 = 0
    {%- endif %}
{%- endmacro %}

{#-
    An incremental run is only right when the raw rows it processed before are still there
    unchanged: a raw table that was reloaded (new stamps for old rows), truncated or had rows
    deleted would leave old rows doubled or orphaned. Before reading new loads, compare the raw
    rows stamped at or before the newest processed stamp with the rows the model holds, and
    stop with a clear error when they differ. Runs only on incremental runs.
-#}
{% macro assert_processed_loads_unchanged(source_relation) -%}
    {#- not in unit tests: their `this` is a fixture, not a table to count -#}
    {%- if execute and is_incremental() and model.resource_type != 'unit_test' %}
        {%- set check -%}
            select
                (
                    select count(*) from {{ source_relation }} as raw_rows
                    where
                        {{ loaded_at_column('raw_rows') }} <= (
                            select max(processed._loaded_at) from {{ this }} as processed
                        )
                ) as raw_processed_rows,
                (select count(*) from {{ this }}) as model_rows
        {%- endset -%}
        {%- set row = run_query(check).rows[0] -%}
        {%- if row[0] != row[1] -%}
            {{ exceptions.raise_compiler_error(
                "Raw table " ~ source_relation ~ " changed since " ~ this ~ " last ran: it holds "
                ~ row[0] ~ " rows loaded up to the newest load processed, the model " ~ row[1]
                ~ ". A reload or a delete in the raw table needs `dbt build --full-refresh`"
                ~ " (`python -m custseg build` does that after it replaced the raw tables)."
            ) }}
        {%- endif -%}
    {%- endif %}
{%- endmacro %}

{#-
    An incremental model whose stored table predates a column (added in a later version of the
    project) cannot run incrementally: stop with a clear error that names the fix instead of the
    engine's "column not found" or dbt's schema-change message. Runs only on incremental runs.
-#}
{% macro assert_stored_columns(columns) -%}
    {%- if execute and is_incremental() and model.resource_type != 'unit_test' %}
        {%- set stored = adapter.get_columns_in_relation(this) | map(attribute='name')
            | map('lower') | list -%}
        {%- set missing = columns | reject('in', stored) | list -%}
        {%- if missing -%}
            {{ exceptions.raise_compiler_error(
                this ~ " was built by an earlier version of the project and lacks "
                ~ missing | join(', ') ~ ", added since. Rebuild it once with"
                ~ " `dbt build --full-refresh --select " ~ model.name ~ "+`"
                ~ " (the model and the models built from it)."
            ) }}
        {%- endif -%}
    {%- endif %}
{%- endmacro %}


{#-
    A post-hook for an incremental model with one row per key of another model (its entities,
    e.g. int_customers__base): delete the stored rows whose key that model no longer holds (a
    merged or deleted customer). delete+insert replaces the rows of the keys a run writes and
    leaves the others, so such rows would stay. Incremental runs only (a full refresh builds from
    the current keys; Spark builds these models as tables).
-#}
{% macro delete_rows_without_key(keys_relation, key) -%}
    {%- if is_incremental() %}
    delete from {{ this }} as stored_rows
    where not exists (
        select 1
        from {{ keys_relation }} as current_keys
        where current_keys.{{ key }} = stored_rows.{{ key }}
    )
    {%- endif %}
{%- endmacro %}
