{#-
    A view: the kept lines of base_shop__order_items (an incremental table that appends the new
    loads) with their line amount, like stg_app__events. Writing 25 M lines a second time cost
    more than deriving the one column in each reader.
-#}
{{ config(materialized='view') }}

with

order_items as (

    select * from {{ ref('base_shop__order_items') }}
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
        _loaded_at,
        _written_at

    from order_items

)

select * from final
