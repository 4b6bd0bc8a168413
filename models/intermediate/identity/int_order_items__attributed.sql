{#-
    One row per staged order line with its order's customer, date and purchase flag, and the
    line amount in the reporting currency. Lines whose order staging does not hold are kept
    with a null order date and customer (identity_match_method 'unknown_order') and counted.
-#}
with

order_items as (

    select * from {{ ref('stg_shop__order_items') }}

),

orders as (

    select * from {{ ref('int_orders__attributed') }}

),

final as (

    select
        order_items.order_item_id,
        order_items.order_id,
        orders.customer_id,
        coalesce(orders.identity_match_method, 'unknown_order') as identity_match_method,
        order_items.sku,
        order_items.product_category,
        order_items.quantity,
        cast(
            round(order_items.line_amount_local * orders.reporting_currency_rate, 2)
            as {{ type_amount() }}
        ) as line_amount,
        coalesce(orders.is_purchase, false) as is_purchase,
        orders.ordered_date

    from order_items
    left join orders
        on order_items.order_id = orders.order_id

)

select * from final
