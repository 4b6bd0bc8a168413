{#-
    One row per purchase (an order that counts: see int_orders__attributed.is_purchase) of a
    customer on or before the as-of date, with its rank from the latest. The RFM, value and
    lifecycle features all read their orders from here, so they agree on what a purchase is.
    A view over the int_orders__attributed table: each reader filters and aggregates it at once,
    and a reader that does not select recency_rank does not compute its window (DuckDB's plan).
-#}
{{ config(materialized='view') }}

with

orders as (

    select * from {{ ref('int_orders__attributed') }}

),

customers as (

    select * from {{ ref('int_customers__base') }}

),

final as (

    select
        orders.order_id,
        orders.customer_id,
        orders.net_amount,
        orders.ordered_date,
        orders.ordered_at,
        {{ dbt.datediff('orders.ordered_date', 'customers.as_of_date', 'day') }}
            as days_before_as_of,
        row_number() over (
            partition by orders.customer_id
            order by orders.ordered_at desc, orders.order_id desc
        ) as recency_rank

    from orders
    inner join customers
        on orders.customer_id = customers.customer_id
    where
        orders.is_purchase
        and orders.ordered_date <= customers.as_of_date

)

select * from final
