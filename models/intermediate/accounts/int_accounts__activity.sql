{#-
    Activity per B2B account rolled up from its customers (contacts) as of the as-of date:
    contacts, buying contacts, net revenue (lifetime and last 12 months), app users active in
    the last 7 and 30 days, adoption (share of contacts active in the last 30 days), and
    whether the account uses the product weekly (a user active in the last 7 days).
-#}
with

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

customers as (

    select * from {{ ref('int_customers__base') }}

),

customer_value as (

    select * from {{ ref('int_customers__value') }}

),

customer_engagement as (

    select * from {{ ref('int_customers__engagement') }}

),

account_rollup as (

    select
        customers.account_id,
        count(*) as contacts,
        sum(case when customer_value.lifetime_purchases > 0 then 1 else 0 end)
            as buying_contacts,
        sum(customer_value.lifetime_net_revenue) as lifetime_net_revenue,
        sum(customer_value.revenue_12m) as revenue_12m,
        sum(case when customer_engagement.active_days_7d > 0 then 1 else 0 end)
            as active_users_7d,
        sum(case when customer_engagement.active_days_30d > 0 then 1 else 0 end)
            as active_users_30d,
        sum(customer_engagement.events_30d) as events_30d,
        max(customer_engagement.last_seen_date) as last_seen_date

    from customers
    inner join customer_value
        on customers.customer_id = customer_value.customer_id
    inner join customer_engagement
        on customers.customer_id = customer_engagement.customer_id
    where customers.account_id is not null
    group by customers.account_id

),

final as (

    select
        accounts.account_id,
        cast(coalesce(account_rollup.contacts, 0) as {{ dbt.type_int() }}) as contacts,
        cast(coalesce(account_rollup.buying_contacts, 0) as {{ dbt.type_int() }})
            as buying_contacts,
        cast(coalesce(account_rollup.active_users_7d, 0) as {{ dbt.type_int() }})
            as active_users_7d,
        cast(coalesce(account_rollup.active_users_30d, 0) as {{ dbt.type_int() }})
            as active_users_30d,
        cast(coalesce(account_rollup.events_30d, 0) as {{ dbt.type_int() }})
            as events_30d,
        cast(coalesce(account_rollup.lifetime_net_revenue, 0) as {{ type_amount() }})
            as lifetime_net_revenue,
        cast(coalesce(account_rollup.revenue_12m, 0) as {{ type_amount() }}) as revenue_12m,
        cast(
            coalesce(
                {{ round_divide('account_rollup.active_users_30d', 'account_rollup.contacts', 6) }},
                0
            ) as {{ dbt.type_numeric() }}
        ) as adoption_rate_30d,
        coalesce(account_rollup.active_users_7d, 0) > 0 as is_weekly_active,
        account_rollup.last_seen_date

    from accounts
    left join account_rollup
        on accounts.account_id = account_rollup.account_id

)

select * from final
