{#-
    Every raw row the staging layer could not use, from every raw table, with its key and the
    reason. Nothing is dropped silently: see int_data_quality__row_reconciliation.

    Incremental (append, then a post-hook deletes the CRM rows it listed again; a table on
    Spark). A raw order version, order line or event is rejected or not when its load is first
    processed, and that never changes afterwards (the base models append, and stg_shop__orders
    only re-ranks the orders new loads touch), so a run lists the rejected rows of the loads
    newer than the newest load it holds a row of, per table: reading every event's disposition
    and cleaning every raw order again each day was the slowest part of the model. The CRM
    tables are current-state tables whose rows the CRM overwrites, ranked again at every build,
    so their rejected rows are listed again at every build. A table without any rejected row
    stored is read whole (nothing tells which of its loads were seen); once a load brings one,
    the next run starts after it.
    A changed mapping seed or var turns earlier rows of the load-by-load tables valid or
    rejected only with a full refresh of the staging models and this one, which `dbt build
    --full-refresh` (or `--select base_shop__orders+ base_app__events+ ...`) does.
-#}
{{
    config(
        materialized=('table' if target.type == 'spark' else 'incremental'),
        incremental_strategy='append',
        on_schema_change='fail',
        post_hook="{{ delete_relisted_rejected_rows() }}"
    )
}}
-- depends_on: {{ ref('currencies') }} (incremental runs clean the new raw orders)
{{ assert_stored_columns(['_loaded_at', '_written_at']) }}

with

{% for raw in raw_tables() %}
{%- set newest_listed_load = newest_processed_stamp(
    '_loaded_at', "processed.source_table = '" ~ raw.table ~ "'") if is_incremental() %}
{{ raw.table }}_rejected as (

    select
        '{{ raw.table }}' as source_table,
        {{ raw.key }} as source_key,
        rejection_reason,
        {%- if raw.by_load %}
        _loaded_at
        {%- else %}
        cast(null as {{ dbt.type_timestamp() }}) as _loaded_at
        {%- endif %}

    {% if raw.by_load and is_incremental() and raw.cleaning -%}
    {#- a base view: its raw rows are filtered before they are cleaned (through the view,
        DuckDB cleaned every raw order version before the filter on the stamp applied) -#}
    {%- set new_raw_rows -%}
    (
        select * from {{ source(raw.source, raw.table) }} as raw_rows
        where {{ loaded_at_column('raw_rows') }} > {{ newest_listed_load }}
    )
    {%- endset %}
    from ({{ context[raw.cleaning](new_raw_rows) }}) as new_rows
    where row_disposition = 'rejected'
    {%- else %}
    from {{ ref(raw.base) }}
    where row_disposition = 'rejected'
    {%- if raw.by_load and is_incremental() %}
        and _loaded_at > {{ newest_listed_load }}
    {%- endif %}
    {%- endif %}

),

{% endfor %}
unioned as (

    {% for raw in raw_tables() %}
    select * from {{ raw.table }}_rejected
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        source_table,
        source_key,
        rejection_reason,
        _loaded_at,
        {{ run_started_timestamp() }} as _written_at

    from unioned

)

select * from final
