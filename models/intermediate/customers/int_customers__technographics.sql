{#-
    How each customer reaches us, from their events in the var('interest_lookback_days') days
    up to the as-of date: the device type, browser and OS they use most (ties: alphabetical),
    the share of their events on mobile and whether that makes them mobile-first
    (var('mobile_first_min_share')); and, over all their events up to the as-of date, the
    first touch: source, medium and campaign of their first event that carried UTM tags (read
    from int_events__utm_touches, the tagged events only).

    Incremental (delete+insert on customer_id), like int_customers__engagement: a daily run
    counts again only the customers whose values can have changed since this model's last
    write, and carries the stored values of every other customer over. Counted again:
    - the customers of rollup rows or tagged events written since (new, late or re-attributed
      events);
    - the customers that held a contact id or an anonymous id the identity change logs logged
      since (events re-attributed away from them leave nothing that points at them);
    - the customers with a rollup row on a day that enters or leaves the window, or a tagged
      event on a day that enters or leaves "up to the as-of date", as the as-of date moves;
    - the customers whose stored row was counted over another var('interest_lookback_days');
    - the customers this table does not hold yet.
    The event counts behind the mobile share are stored, so mobile-first follows
    var('mobile_first_min_share') on every row. Customers that left int_customers__base are
    deleted by the post-hook. So the table equals a full refresh. Spark's Parquet tables cannot
    replace rows: there the model is a table.
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
{{ assert_stored_columns(['recent_events', 'interest_lookback_days', '_written_at']) }}

with

customers as (

    select * from {{ ref('int_customers__base') }}

),

{# Read twice in a daily run: inlined, or DuckDB buffers the rows for both readers. #}
utm_touches as {{ cte_inlined() }} (

    select * from {{ ref('int_events__utm_touches') }}

),

daily_rollup as {{ cte_inlined() }} (

    select * from {{ ref('int_events__daily_rollup') }}

),

{% if is_incremental() %}
as_of_dates as (

    {{ as_of_dates_since_last_write('customers') }}

),

customers_to_count as (

    select daily_rollup.customer_id
    from daily_rollup
    cross join as_of_dates
    where
        daily_rollup._written_at > {{ newest_processed_stamp('_written_at') }}
        or {{ on_a_moving_window_edge('daily_rollup.event_date', [0, lookback_days]) }}

    union

    select utm_touches.customer_id
    from utm_touches
    cross join as_of_dates
    where
        utm_touches._written_at > {{ newest_processed_stamp('_written_at') }}
        or {{ on_a_moving_window_edge('utm_touches.event_date', [0]) }}

    union

    select stored_rows.customer_id
    from {{ this }} as stored_rows
    where stored_rows.interest_lookback_days <> {{ lookback_days }}

    union

    {{ customers_of_logged_identifiers(['contact_id', 'anonymous_id']) }}

),

{{ carried_over_and_counted_customers('customers', 'customers_to_count') }},

{% endif %}

{# The recent events counted once per customer and device, browser and OS combination (a few
    rows per customer, summed from int_events__daily_rollup); usage ranks and device shares add
    these counts up. #}
recent_usage as (

    select
        daily_rollup.customer_id,
        daily_rollup.device_type,
        daily_rollup.browser,
        daily_rollup.os,
        sum(daily_rollup.event_count) as recent_events

    from daily_rollup
    inner join {{ counted_customers }} as customers
        on daily_rollup.customer_id = customers.customer_id
    where
        daily_rollup.event_date <= customers.as_of_date
        and {{ dbt.datediff('daily_rollup.event_date', 'customers.as_of_date', 'day') }}
        < {{ var('interest_lookback_days') }}
    group by
        daily_rollup.customer_id,
        daily_rollup.device_type,
        daily_rollup.browser,
        daily_rollup.os

),

{% for attribute in ['device_type', 'browser', 'os'] %}
{{ attribute }}_ranked as (

    select
        customer_id,
        {{ attribute }},
        row_number() over (
            partition by customer_id order by sum(recent_events) desc, {{ attribute }} asc
        ) as usage_rank

    from recent_usage
    where {{ attribute }} is not null
    group by customer_id, {{ attribute }}

),

{% endfor %}
device_shares as (

    select
        customer_id,
        sum(recent_events) as recent_events,
        sum(case when device_type = 'mobile' then recent_events else 0 end) as mobile_events

    from recent_usage
    group by customer_id

),

first_touch as (

    select
        utm_touches.customer_id,
        utm_touches.utm_source,
        utm_touches.utm_medium,
        utm_touches.utm_campaign,
        row_number() over (
            partition by utm_touches.customer_id
            order by utm_touches.event_at asc, utm_touches.event_id asc
        ) as touch_rank

    from utm_touches
    inner join {{ counted_customers }} as customers
        on utm_touches.customer_id = customers.customer_id
    where utm_touches.event_date <= customers.as_of_date

),

counted as (

    select
        customers.customer_id,
        device_type_ranked.device_type as primary_device_type,
        browser_ranked.browser as primary_browser,
        os_ranked.os as primary_os,
        first_touch.utm_source as first_touch_source,
        first_touch.utm_medium as first_touch_medium,
        first_touch.utm_campaign as first_touch_campaign,
        device_shares.recent_events,
        device_shares.mobile_events as recent_mobile_events,
        customers.as_of_date

    from {{ counted_customers }} as customers
    left join device_type_ranked
        on
            customers.customer_id = device_type_ranked.customer_id
            and device_type_ranked.usage_rank = 1
    left join browser_ranked
        on
            customers.customer_id = browser_ranked.customer_id
            and browser_ranked.usage_rank = 1
    left join os_ranked
        on
            customers.customer_id = os_ranked.customer_id
            and os_ranked.usage_rank = 1
    left join device_shares
        on customers.customer_id = device_shares.customer_id
    left join first_touch
        on
            customers.customer_id = first_touch.customer_id
            and first_touch.touch_rank = 1

),

technographics as (

    select * from counted
    {%- if is_incremental() %}

    union all

    select
        customer_id,
        primary_device_type,
        primary_browser,
        primary_os,
        first_touch_source,
        first_touch_medium,
        first_touch_campaign,
        recent_events,
        recent_mobile_events,
        current_as_of_date as as_of_date

    from carried_over
    {%- endif %}

),

final as (

    select
        customer_id,
        primary_device_type,
        primary_browser,
        primary_os,
        first_touch_source,
        first_touch_medium,
        first_touch_campaign,
        cast(
            {{ round_divide('recent_mobile_events', 'recent_events', 6) }}
            as {{ dbt.type_numeric() }}
        ) as mobile_event_share,
        coalesce(
            recent_mobile_events >= {{ var('mobile_first_min_share') }} * recent_events,
            false
        ) as is_mobile_first,
        cast(recent_events as {{ dbt.type_bigint() }}) as recent_events,
        cast(recent_mobile_events as {{ dbt.type_bigint() }}) as recent_mobile_events,
        as_of_date,
        cast({{ lookback_days }} as {{ dbt.type_int() }}) as interest_lookback_days,
        {{ run_started_timestamp() }} as _written_at

    from technographics

)

select * from final
