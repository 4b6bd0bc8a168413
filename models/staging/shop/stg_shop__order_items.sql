{#- Incremental: appends the kept lines of the loads it has not seen (base_shop__order_items). -#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail'
    )
}}

with

new_loads as (

    select * from {{ ref('base_shop__order_items') }}
    {{ where_not_yet_loaded('_loaded_at') }}

),

order_items as (

    select * from new_loads
    where row_disposition = 'kept'

),

final as (

    select
        order_item_id,
        order_id,
        sku,
        product_name,
        product_category,
        quantity,
        unit_price_local,
        cast(quantity * unit_price_local as {{ type_amount() }}) as line_amount_local,
        _loaded_at

    from order_items

)

select * from final
