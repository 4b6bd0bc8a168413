{#-
    Interests per customer from behaviour (a proxy for psychographics), over the
    var('interest_lookback_days') days up to the as-of date: the product category the customer
    spent most on and its share of their spend (category affinity), the category they viewed
    most and its share of their product views, and how many categories they bought. Ties go to
    the alphabetically first category.
-#}
with

customers as (

    select * from {{ ref('int_customers__base') }}

),

order_items as (

    select * from {{ ref('int_order_items__attributed') }}

),

events as (

    select * from {{ ref('int_events__attributed') }}

),

category_spend as (

    select
        order_items.customer_id,
        order_items.product_category,
        sum(order_items.line_amount) as spend

    from order_items
    inner join customers
        on order_items.customer_id = customers.customer_id
    where
        order_items.is_purchase
        and order_items.product_category is not null
        and order_items.ordered_date <= customers.as_of_date
        and {{ dbt.datediff('order_items.ordered_date', 'customers.as_of_date', 'day') }}
        < {{ var('interest_lookback_days') }}
    group by order_items.customer_id, order_items.product_category

),

category_views as (

    select
        events.customer_id,
        events.product_category,
        count(*) as product_views

    from events
    inner join customers
        on events.customer_id = customers.customer_id
    where
        events.event_name = 'product_viewed'
        and events.product_category is not null
        and events.event_date <= customers.as_of_date
        and {{ dbt.datediff('events.event_date', 'customers.as_of_date', 'day') }}
        < {{ var('interest_lookback_days') }}
    group by events.customer_id, events.product_category

),

spend_ranked as (

    select
        customer_id,
        product_category,
        spend,
        sum(spend) over (partition by customer_id) as total_spend,
        count(*) over (partition by customer_id) as categories_purchased,
        row_number() over (
            partition by customer_id order by spend desc, product_category asc
        ) as category_rank

    from category_spend

),

views_ranked as (

    select
        customer_id,
        product_category,
        product_views,
        sum(product_views) over (partition by customer_id) as total_views,
        row_number() over (
            partition by customer_id order by product_views desc, product_category asc
        ) as category_rank

    from category_views

),

final as (

    select
        customers.customer_id,
        spend_ranked.product_category as top_spend_category,
        views_ranked.product_category as top_viewed_category,
        cast(
            {{ round_divide('spend_ranked.spend', 'spend_ranked.total_spend', 6) }}
            as {{ dbt.type_numeric() }}
        ) as top_spend_category_share,
        cast(
            {{ round_divide('views_ranked.product_views', 'views_ranked.total_views', 6) }}
            as {{ dbt.type_numeric() }}
        ) as top_viewed_category_share,
        cast(coalesce(spend_ranked.categories_purchased, 0) as {{ dbt.type_int() }})
            as categories_purchased,
        customers.as_of_date

    from customers
    left join spend_ranked
        on
            customers.customer_id = spend_ranked.customer_id
            and spend_ranked.category_rank = 1
    left join views_ranked
        on
            customers.customer_id = views_ranked.customer_id
            and views_ranked.category_rank = 1

)

select * from final
