{#-
    Exactly one lifecycle stage per customer as of the as-of date, the first that applies:
    lead (no purchase yet), inactive (last purchase more than var('lifecycle_inactive_days')
    ago), lapsing (more than var('lifecycle_lapsing_days') ago), new (first purchase at most
    var('lifecycle_new_days') ago), reactivated (the last purchase came after a gap longer than
    the inactive threshold), repeat (two or more purchases), active (one purchase, recent).
-#}
with

customers as (

    select * from {{ ref('int_customers__base') }}

),

purchases as (

    select * from {{ ref('int_orders__purchases') }}

),

purchase_history as (

    select
        customer_id,
        count(*) as lifetime_purchases,
        min(days_before_as_of) as days_since_last_purchase,
        max(days_before_as_of) as days_since_first_purchase,
        max(case when recency_rank = 2 then days_before_as_of end)
            as days_since_previous_purchase

    from purchases
    group by customer_id

),

staged as (

    select
        customers.customer_id,
        purchase_history.lifetime_purchases,
        purchase_history.days_since_last_purchase,
        purchase_history.days_since_first_purchase,
        purchase_history.days_since_previous_purchase
        - purchase_history.days_since_last_purchase as days_between_last_purchases,
        customers.as_of_date

    from customers
    left join purchase_history
        on customers.customer_id = purchase_history.customer_id

),

final as (

    select
        customer_id,
        case
            when lifetime_purchases is null then 'lead'
            when days_since_last_purchase > {{ var('lifecycle_inactive_days') }} then 'inactive'
            when days_since_last_purchase > {{ var('lifecycle_lapsing_days') }} then 'lapsing'
            when days_since_first_purchase <= {{ var('lifecycle_new_days') }} then 'new'
            when days_between_last_purchases > {{ var('lifecycle_inactive_days') }}
                then 'reactivated'
            when lifetime_purchases >= 2 then 'repeat'
            else 'active'
        end as lifecycle_stage,
        cast(coalesce(lifetime_purchases, 0) as {{ dbt.type_int() }}) as lifetime_purchases,
        cast(days_since_last_purchase as {{ dbt.type_int() }}) as days_since_last_purchase,
        cast(days_since_first_purchase as {{ dbt.type_int() }}) as days_since_first_purchase,
        cast(days_between_last_purchases as {{ dbt.type_int() }})
            as days_between_last_purchases,
        as_of_date

    from staged

)

select * from final
