{#-
    Every raw order line with its disposition (kept, duplicate, rejected) and cleaned columns. Of
    several copies of a line the first loaded is kept, also when a copy arrives in a later load.
    Incremental: each run reads only the loads it has not seen and appends their rows.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail'
    )
}}
{{ assert_stored_columns(['_written_at']) }}
{{ assert_processed_loads_unchanged(source('shop', 'shop_order_items')) }}

with

source as {{ cte_inlined() }} (

    select
        *,
        {{ loaded_at_column('source_table') }} as loaded_at_stamp

    from {{ source('shop', 'shop_order_items') }} as source_table
    {{ where_not_yet_loaded(loaded_at_column('source_table')) }}

),

{# streamed through each branch of rank_copies on DuckDB; computed once on PostgreSQL, whose
    safe casts are PL/pgSQL calls (inlined, each branch cast every row again) -#}
cleaned as {{ cte_expressions_once(inlined_elsewhere=true) }} (

    select
        {{ clean_text('source.order_item_id') }} as order_item_id,
        {{ clean_text('source.order_id') }} as order_id,
        {{ clean_text('source.sku') }} as sku,
        {{ clean_text('source.product_name') }} as product_name,
        lower({{ clean_text('source.category') }}) as product_category,
        {{ dbt.safe_cast('source.quantity', dbt.type_int()) }} as quantity,
        {{ dbt.safe_cast('source.unit_price', type_amount()) }} as unit_price_local,
        source.quantity as quantity_raw,
        source.unit_price as unit_price_raw,
        source.loaded_at_stamp as _loaded_at

    from source

),

validated as {{ cte_inlined() }} (

    select
        *,
        case
            when order_item_id is null then 'missing order_item_id'
            when order_id is null then 'missing order_id'
            when {{ is_parse_failure('quantity_raw', 'quantity') }} then 'unparseable quantity'
            when {{ is_parse_failure('unit_price_raw', 'unit_price_local') }}
                then 'unparseable unit_price'
            when quantity is null then 'missing quantity'
            when quantity <= 0 then 'non-positive quantity'
            when unit_price_local is null then 'missing unit_price'
            when unit_price_local < 0 then 'negative unit_price'
            when
                quantity * cast(unit_price_local as decimal(38, 2))
                > {{ var('max_valid_amount') }}
                then 'line amount out of range'
        end as rejection_reason

    from cleaned

),

{#- The first copy loaded is kept; copies of one load are ordered by all their columns
    (cheaper than hashing every row: only ties are compared). -#}
{{ rank_copies('order_item_id', 'validated', [
    '_loaded_at', 'order_id', 'sku nulls last', 'product_name nulls last',
    'product_category nulls last', 'quantity', 'unit_price_local'
]) }},

final as (

    {#- The raw values of typed columns served only to tell unparseable from missing; the raw
        table keeps them. -#}
    select
        order_item_id,
        order_id,
        sku,
        product_name,
        product_category,
        quantity,
        unit_price_local,
        rejection_reason,
        version_rank,
        _loaded_at,
        {{ run_started_timestamp() }} as _written_at,
        {{ row_disposition('rejection_reason', 'version_rank') }} as row_disposition

    from ranked

)

select * from final
