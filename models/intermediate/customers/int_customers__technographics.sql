{#-
    How each customer reaches us, from their events in the var('interest_lookback_days') days
    up to the as-of date: the device type, browser and OS they use most (ties: alphabetical),
    the share of their events on mobile and whether that makes them mobile-first
    (var('mobile_first_min_share')); and, over all their events up to the as-of date, the
    first touch: source, medium and campaign of their first event that carried UTM tags (read
    from int_events__utm_touches, the tagged events only).
-#}
with

customers as (

    select * from {{ ref('int_customers__base') }}

),

utm_touches as (

    select * from {{ ref('int_events__utm_touches') }}

),

daily_rollup as (

    select * from {{ ref('int_events__daily_rollup') }}

),

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
    inner join customers
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
    inner join customers
        on utm_touches.customer_id = customers.customer_id
    where utm_touches.event_date <= customers.as_of_date

),

final as (

    select
        customers.customer_id,
        device_type_ranked.device_type as primary_device_type,
        browser_ranked.browser as primary_browser,
        os_ranked.os as primary_os,
        first_touch.utm_source as first_touch_source,
        first_touch.utm_medium as first_touch_medium,
        first_touch.utm_campaign as first_touch_campaign,
        cast(
            {{ round_divide('device_shares.mobile_events', 'device_shares.recent_events', 6) }}
            as {{ dbt.type_numeric() }}
        ) as mobile_event_share,
        coalesce(
            device_shares.mobile_events
            >= {{ var('mobile_first_min_share') }} * device_shares.recent_events,
            false
        ) as is_mobile_first,
        customers.as_of_date

    from customers
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

)

select * from final
