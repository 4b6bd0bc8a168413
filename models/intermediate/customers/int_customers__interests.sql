{#-
    Interests per customer from behaviour (a proxy for psychographics), over the
    var('interest_lookback_days') days up to the as-of date: the product category the customer
    spent most on and its share of their spend (category affinity), the category they viewed
    most and its share of their product views, and how many categories they bought. Ties go to
    the alphabetically first category.

    Incremental (delete+insert on customer_id), like int_customers__engagement: a daily run
    counts again only the customers whose interests can have changed since this model's last
    write, and carries the stored values of every other customer over. Counted again:
    - the customers of order lines or product views written since (new, late or re-attributed
      rows; a line whose order stopped or started counting as a purchase is written again);
    - the customers that held a contact id, an email or an anonymous id the identity change
      logs logged since (rows re-attributed away from them leave nothing that points at them);
    - the customers with a purchase or a product view on a day that enters or leaves the
      window as the as-of date moves, either way;
    - the customers whose stored row was counted over another var('interest_lookback_days');
    - the customers this table does not hold yet.
    Customers that left int_customers__base are deleted by the post-hook. So the table equals
    a full refresh. Spark's Parquet tables cannot replace rows: there the model is a table.
-#}
{%- set lookback_days = var('interest_lookback_days') -%}
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
-- depends_on: {{ ref('int_identity__device_changes') }}
{{ assert_stored_columns(['interest_lookback_days', '_written_at']) }}

with

customers as (

    select * from {{ ref('int_customers__base') }}

),

{# Read twice in a daily run: inlined, or DuckDB buffers every order line and event. #}
order_items as {{ cte_inlined() }} (

    select * from {{ ref('int_order_items__attributed') }}

),

events as {{ cte_inlined() }} (

    select * from {{ ref('int_events__attributed') }}

),

{% if is_incremental() %}
as_of_dates as (

    {{ as_of_dates_since_last_write('customers') }}

),

customers_to_count as (

    {#- A line written since counts whatever its purchase flag (it may have just lost it). -#}
    select order_items.customer_id
    from order_items
    cross join as_of_dates
    where
        order_items._written_at > {{ newest_processed_stamp('_written_at') }}
        or (
            order_items.is_purchase
            and order_items.product_category is not null
            and {{ on_a_moving_window_edge('order_items.ordered_date', [0, lookback_days]) }}
        )

    union

    select events.customer_id
    from events
    cross join as_of_dates
    where
        events.event_name = 'product_viewed'
        and events.product_category is not null
        and (
            events._written_at > {{ newest_processed_stamp('_written_at') }}
            or {{ on_a_moving_window_edge('events.event_date', [0, lookback_days]) }}
        )

    union

    select stored_rows.customer_id
    from {{ this }} as stored_rows
    where stored_rows.interest_lookback_days <> {{ lookback_days }}

    union

    {{ customers_of_logged_identifiers(['contact_id', 'email', 'anonymous_id']) }}

),

{{ carried_over_and_counted_customers('customers', 'customers_to_count') }},

{% endif %}

category_spend as (

    select
        order_items.customer_id,
        order_items.product_category,
        sum(order_items.line_amount) as spend

    from order_items
    inner join {{ counted_customers }} as customers
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
    inner join {{ counted_customers }} as customers
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

counted as (

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

    from {{ counted_customers }} as customers
    left join spend_ranked
        on
            customers.customer_id = spend_ranked.customer_id
            and spend_ranked.category_rank = 1
    left join views_ranked
        on
            customers.customer_id = views_ranked.customer_id
            and views_ranked.category_rank = 1

),

interests as (

    select * from counted
    {%- if is_incremental() %}

    union all

    select
        customer_id,
        top_spend_category,
        top_viewed_category,
        top_spend_category_share,
        top_viewed_category_share,
        categories_purchased,
        current_as_of_date as as_of_date

    from carried_over
    {%- endif %}

),

final as (

    select
        customer_id,
        top_spend_category,
        top_viewed_category,
        {#- one type for computed and carried values: stored rows of another precision
            make PostgreSQL type the union unconstrained numeric -#}
        cast(top_spend_category_share as {{ dbt.type_numeric() }}) as top_spend_category_share,
        cast(top_viewed_category_share as {{ dbt.type_numeric() }}) as top_viewed_category_share,
        categories_purchased,
        as_of_date,
        cast({{ lookback_days }} as {{ dbt.type_int() }}) as interest_lookback_days,
        {{ run_started_timestamp() }} as _written_at

    from interests

)

select * from final
