{#-
    Exactly one lifecycle stage per customer as of the as-of date, the first that applies:
    lead (no purchase yet), inactive (last purchase more than var('lifecycle_inactive_days')
    ago), lapsing (more than var('lifecycle_lapsing_days') ago), new (first purchase at most
    var('lifecycle_new_days') ago), reactivated (the last purchase came after a gap longer than
    the inactive threshold), repeat (two or more purchases), active (one purchase, recent).

    Incremental (delete+insert on customer_id), like int_customers__engagement: a daily run
    counts the purchases again only for the customers whose purchases can have changed since
    this model's last write: the customers of orders int_orders__attributed wrote since (new
    orders and versions, re-attributed orders, a changed purchase flag), the old owners of the
    contact ids and emails the CRM change log logged since, the customers with a purchase on a
    day that enters or leaves "up to the as-of date" as it moves, and customers not stored
    yet. Every other customer's stored days move by the days the as-of date moved (its
    purchases are the same), and every stage is derived again from the days and the current
    vars. Customers that left int_customers__base are deleted by the post-hook. So the table
    equals a full refresh. Spark's Parquet tables cannot replace rows: there it is a table.
-#}
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
            and {{ on_a_moving_window_edge('orders.ordered_date', [0]) }}
        )

    union

    {{ customers_of_logged_identifiers(['contact_id', 'email']) }}

),

{{ carried_over_and_counted_customers('customers', 'customers_to_count') }},

{% endif %}
purchase_history as (

    select
        purchases.customer_id,
        count(*) as lifetime_purchases,
        min(purchases.days_before_as_of) as days_since_last_purchase,
        max(purchases.days_before_as_of) as days_since_first_purchase,
        max(case when purchases.recency_rank = 2 then purchases.days_before_as_of end)
            as days_since_previous_purchase

    from purchases
    {%- if is_incremental() %}
    inner join counted_customers
        on purchases.customer_id = counted_customers.customer_id
    {%- endif %}
    group by purchases.customer_id

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

    from {{ counted_customers }} as customers
    left join purchase_history
        on customers.customer_id = purchase_history.customer_id
    {%- if is_incremental() %}

    union all

    {#- The same purchases, seen from an as-of date that moved: every day count moves with it
        (a lead has none; a stored lead has 0 purchases). -#}
    {%- set moved_days = dbt.datediff('as_of_date', 'current_as_of_date', 'day') %}
    select
        customer_id,
        nullif(lifetime_purchases, 0) as lifetime_purchases,
        days_since_last_purchase + {{ moved_days }} as days_since_last_purchase,
        days_since_first_purchase + {{ moved_days }} as days_since_first_purchase,
        days_between_last_purchases,
        current_as_of_date as as_of_date

    from carried_over
    {%- endif %}

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
        as_of_date,
        {{ run_started_timestamp() }} as _written_at

    from staged

)

select * from final
