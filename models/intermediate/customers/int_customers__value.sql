{#-
    Value per customer as of the as-of date: lifetime net revenue and purchases, average order
    value, first and last purchase, tenure, revenue of the last 12 months and its annual run
    rate, and a value tier by revenue rank among the customers with revenue: top 1 %, top 10 %,
    top 25 %, top 50 % (var('value_tiers')), bottom 50 %, or no_revenue.

    Incremental (delete+insert on customer_id), like int_customers__lifecycle: a daily run
    counts the purchases again only for the customers whose purchases can have changed since
    this model's last write: the customers of orders int_orders__attributed wrote since (new
    orders and versions, re-attributed orders, a changed purchase flag), the old owners of the
    contact ids and emails the CRM change log logged since, the customers with a purchase on a
    day that enters or leaves "up to the as-of date" or the 365 days of revenue_12m as the
    as-of date moves, and customers not stored yet. Every other customer's purchases are the
    same, so its stored totals and purchase dates hold and its tenure moves by the days the
    as-of date moved. The tiers rank every customer again (a rank is relative to all of them),
    and the average and the run rate (which follows the tenure) are derived again on every row.
    Customers that left int_customers__base are deleted by the post-hook. So the table equals
    a full refresh. Spark's Parquet tables cannot replace rows: there it is a table.
-#}
{%- set tiers = var('value_tiers') -%}
{%- set tier_names = ['top_1_pct', 'top_10_pct', 'top_25_pct', 'top_50_pct'] -%}
{%- set counted_customers = 'counted_customers' if is_incremental() else 'customers' -%}
{{
    config(
        materialized=('table' if target.type == 'spark' else 'incremental'),
        incremental_strategy='delete+insert',
        unique_key='customer_id',
        on_schema_change='fail',
        post_hook="{{ delete_rows_without_key(ref('int_customers__base'), 'customer_id') }}"
    )
}}
-- depends_on: {{ ref('int_identity__crm_changes') }} (read by incremental runs only)
-- depends_on: {{ ref('int_orders__attributed') }}
{{ assert_stored_columns(['_written_at']) }}

with

customers as (

    select * from {{ ref('int_customers__base') }}

),

purchases as (

    select * from {{ ref('int_orders__purchases') }}

),

{% if is_incremental() %}
as_of_dates as (

    {{ as_of_dates_since_last_write('customers') }}

),

customers_to_count as (

    {#- An order written since counts whatever its purchase flag (it may have just lost it). -#}
    select orders.customer_id
    from {{ ref('int_orders__attributed') }} as orders
    cross join as_of_dates
    where
        orders._written_at > {{ newest_processed_stamp('_written_at') }}
        or (
            orders.is_purchase
            and {{ on_a_moving_window_edge('orders.ordered_date', [0, 365]) }}
        )

    union

    {{ customers_of_logged_identifiers(['contact_id', 'email']) }}

),

{{ carried_over_and_counted_customers('customers', 'customers_to_count') }},

{% endif %}
purchase_totals as (

    select
        purchases.customer_id,
        count(*) as lifetime_purchases,
        sum(purchases.net_amount) as lifetime_net_revenue,
        sum(
            case when purchases.days_before_as_of < 365 then purchases.net_amount else 0 end
        ) as revenue_12m,
        max(purchases.days_before_as_of) as tenure_days,
        min(purchases.ordered_date) as first_purchase_date,
        max(purchases.ordered_date) as last_purchase_date

    from purchases
    {%- if is_incremental() %}
    inner join counted_customers
        on purchases.customer_id = counted_customers.customer_id
    {%- endif %}
    group by purchases.customer_id

),

customer_totals as (

    {#- Null totals: a customer without purchases. -#}
    select
        customers.customer_id,
        purchase_totals.lifetime_purchases,
        purchase_totals.lifetime_net_revenue,
        purchase_totals.revenue_12m,
        purchase_totals.tenure_days,
        purchase_totals.first_purchase_date,
        purchase_totals.last_purchase_date,
        customers.as_of_date

    from {{ counted_customers }} as customers
    left join purchase_totals
        on customers.customer_id = purchase_totals.customer_id
    {%- if is_incremental() %}

    union all

    {#- The same purchases, seen from an as-of date that moved: the tenure moves with it. A
        stored customer without purchases has 0 of them (and 0 revenue): null, not ranked. #}
    select
        customer_id,
        nullif(lifetime_purchases, 0) as lifetime_purchases,
        lifetime_net_revenue,
        revenue_12m,
        tenure_days + {{ dbt.datediff('as_of_date', 'current_as_of_date', 'day') }}
            as tenure_days,
        first_purchase_date,
        last_purchase_date,
        current_as_of_date as as_of_date

    from carried_over
    {%- endif %}

),

ranked as (

    {#- Ranked among the customers with purchases, counted or carried alike; the others are a
        partition of their own (PostgreSQL sorts nulls first in a descending order). -#}
    select
        *,
        rank() over (
            partition by lifetime_purchases is null order by lifetime_net_revenue desc
        ) - 1 as customers_with_more_revenue,
        count(lifetime_purchases) over () as customers_with_revenue

    from customer_totals

),

final as (

    select
        customer_id,
        case
            when lifetime_purchases is null then 'no_revenue'
            {%- for share in tiers %}
            {#- top X %: fewer than X % of the customers with revenue have more -#}
            when
                customers_with_more_revenue * 10000
                < {{ (share * 10000) | round | int }} * customers_with_revenue
                then '{{ tier_names[loop.index0] }}'
            {%- endfor %}
            else 'bottom_50_pct'
        end as value_tier,
        cast(coalesce(lifetime_purchases, 0) as {{ dbt.type_int() }}) as lifetime_purchases,
        {#- computed sums and stored amounts: one type again after their union -#}
        cast(coalesce(lifetime_net_revenue, 0) as {{ type_amount() }}) as lifetime_net_revenue,
        cast(
            {{ round_divide('lifetime_net_revenue', 'lifetime_purchases', 2) }}
            as {{ type_amount() }}
        ) as average_order_value,
        cast(coalesce(revenue_12m, 0) as {{ type_amount() }}) as revenue_12m,
        {#- annualized for customers whose first purchase is less than a year old -#}
        {%- set run_rate_days -%}
            case
                when tenure_days is null or tenure_days >= 364 then 365
                else tenure_days + 1
            end
        {%- endset %}
        cast(
            {{ round_divide('coalesce(revenue_12m, 0) * 365', run_rate_days, 2) }}
            as {{ type_amount() }}
        ) as revenue_run_rate_12m,
        cast(tenure_days as {{ dbt.type_int() }}) as tenure_days,
        first_purchase_date,
        last_purchase_date,
        as_of_date,
        {{ run_started_timestamp() }} as _written_at

    from ranked

)

select * from final
