{#- Every raw order line with its disposition (kept, duplicate, rejected) and cleaned columns. -#}
with

source as (

    select * from {{ source('shop', 'shop_order_items') }}

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
            when
                quantity * cast(unit_price_local as decimal(38, 2))
                > {{ var('max_valid_amount') }}
                then 'line amount out of range'
        end as rejection_reason

    from cleaned

),

ranked as (

    select
        *,
        row_number() over (
            partition by order_item_id, rejection_reason is null
            order by row_fingerprint
        ) as version_rank

    from validated

),

final as (

    select
        *,
        {{ row_disposition('rejection_reason', 'version_rank') }} as row_disposition

    from ranked

)

select * from final
