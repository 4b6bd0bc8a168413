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

with

source as (

    select
        *,
        {{ loaded_at_column('source_table') }} as loaded_at_stamp

    from {{ source('shop', 'shop_order_items') }} as source_table
    {{ where_not_yet_loaded(loaded_at_column('source_table')) }}

),

cleaned as (

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
        source.loaded_at_stamp as _loaded_at,
        {{ row_fingerprint([
            'source.order_item_id', 'source.order_id', 'source.sku', 'source.product_name',
            'source.category', 'source.quantity', 'source.unit_price'
        ]) }} as row_fingerprint

    from source

),

validated as (

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
        end as rejection_reason

    from cleaned

),

previously_kept as (

    {{ previously_kept_keys('order_item_id', 'validated') }}

),

ranked as (

    select
        validated.*,
        case
            when
                previously_kept.order_item_id is not null
                and validated.rejection_reason is null
                then 2
            else row_number() over (
                partition by validated.order_item_id, validated.rejection_reason is null
                order by validated._loaded_at, validated.row_fingerprint
            )
        end as version_rank

    from validated
    left join previously_kept
        on validated.order_item_id = previously_kept.order_item_id

),

final as (

    select
        *,
        {{ row_disposition('rejection_reason', 'version_rank') }} as row_disposition

    from ranked

)

select * from final
