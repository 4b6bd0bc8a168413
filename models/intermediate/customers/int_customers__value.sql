{#-
    Value per customer as of the as-of date: lifetime net revenue and purchases, average order
    value, first and last purchase, tenure, revenue of the last 12 months and its annual run
    rate, and a value tier by revenue rank among the customers with revenue: top 1 %, top 10 %,
    top 25 %, top 50 % (var('value_tiers')), bottom 50 %, or no_revenue.
-#}
{%- set tiers = var('value_tiers') -%}
{%- set tier_names = ['top_1_pct', 'top_10_pct', 'top_25_pct', 'top_50_pct'] -%}

with

customers as (

    select * from {{ ref('int_customers__base') }}

),

purchases as (

    select * from {{ ref('int_orders__purchases') }}

),

purchase_totals as (

    select
        customer_id,
        count(*) as lifetime_purchases,
        sum(net_amount) as lifetime_net_revenue,
        sum(case when days_before_as_of < 365 then net_amount else 0 end) as revenue_12m,
        max(days_before_as_of) as tenure_days,
        min(ordered_date) as first_purchase_date,
        max(ordered_date) as last_purchase_date

    from purchases
    group by customer_id

),

ranked as (

    select
        *,
        rank() over (order by lifetime_net_revenue desc) - 1 as customers_with_more_revenue,
        count(*) over () as customers_with_revenue

    from purchase_totals

),

final as (

    select
        customers.customer_id,
        case
            when ranked.customer_id is null then 'no_revenue'
            {%- for share in tiers %}
            {#- top X %: fewer than X % of the customers with revenue have more -#}
            when
                ranked.customers_with_more_revenue * 10000
                < {{ (share * 10000) | round | int }} * ranked.customers_with_revenue
                then '{{ tier_names[loop.index0] }}'
            {%- endfor %}
            else 'bottom_50_pct'
        end as value_tier,
        cast(coalesce(ranked.lifetime_purchases, 0) as {{ dbt.type_int() }})
            as lifetime_purchases,
        cast(coalesce(ranked.lifetime_net_revenue, 0) as {{ type_amount() }})
            as lifetime_net_revenue,
        cast(
            {{ round_divide('ranked.lifetime_net_revenue', 'ranked.lifetime_purchases', 2) }}
            as {{ type_amount() }}
        ) as average_order_value,
        cast(coalesce(ranked.revenue_12m, 0) as {{ type_amount() }}) as revenue_12m,
        {#- annualized for customers whose first purchase is less than a year old -#}
        {%- set run_rate_days -%}
            case
                when ranked.tenure_days is null or ranked.tenure_days >= 364 then 365
                else ranked.tenure_days + 1
            end
        {%- endset %}
        cast(
            {{ round_divide('coalesce(ranked.revenue_12m, 0) * 365', run_rate_days, 2) }}
            as {{ type_amount() }}
        ) as revenue_run_rate_12m,
        cast(ranked.tenure_days as {{ dbt.type_int() }}) as tenure_days,
        ranked.first_purchase_date,
        ranked.last_purchase_date,
        customers.as_of_date

    from customers
    left join ranked
        on customers.customer_id = ranked.customer_id

)

select * from final
