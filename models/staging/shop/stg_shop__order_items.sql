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
        cast(quantity * unit_price_local as {{ type_amount() }}) as line_amount_local

    from order_items

)

select * from final
