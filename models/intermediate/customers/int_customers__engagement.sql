{#-
    App engagement per customer as of the as-of date: events, sessions and active days in the
    last 7, 30 and 90 days (the as-of date and the days before it), distinct features and pages
    used in the last 90 days, last seen, the trend of the last 30 days against the 30 before with
    a declining flag, and an engagement tier (power, active, casual, dormant, never_active) by
    the thresholds in var('engagement_tiers'). Days are reporting-time-zone days.
-#}
{%- set tiers = var('engagement_tiers') -%}

with

customers as (

    select * from {{ ref('int_customers__base') }}

),

events as (

    select * from {{ ref('int_events__attributed') }}

),

customer_events as (

    select
        events.customer_id,
        events.session_id,
        events.page_url,
        events.feature_name,
        events.event_date,
        events.event_at,
        {{ dbt.datediff('events.event_date', 'customers.as_of_date', 'day') }}
            as days_ago

    from events
    inner join customers
        on events.customer_id = customers.customer_id
    where events.event_date <= customers.as_of_date

),

activity as (

    select
        customer_id,
        {%- for days in [7, 30, 90] %}
        sum(case when days_ago < {{ days }} then 1 else 0 end) as events_{{ days }}d,
        count(distinct case when days_ago < {{ days }} then session_id end)
            as sessions_{{ days }}d,
        count(distinct case when days_ago < {{ days }} then event_date end)
            as active_days_{{ days }}d,
        {%- endfor %}
        sum(case when days_ago >= 30 and days_ago < 60 then 1 else 0 end) as events_prior_30d,
        count(distinct case when days_ago < 90 then feature_name end) as features_used_90d,
        count(distinct case when days_ago < 90 then page_url end) as pages_viewed_90d,
        count(*) as lifetime_events,
        max(event_at) as last_seen_at,
        max(event_date) as last_seen_date

    from customer_events
    group by customer_id

),

final as (

    select
        customers.customer_id,
        case
            when activity.customer_id is null then 'never_active'
            when activity.active_days_30d >= {{ tiers.power_min_active_days_30d }} then 'power'
            when activity.active_days_30d >= {{ tiers.active_min_active_days_30d }} then 'active'
            when activity.active_days_90d >= {{ tiers.casual_min_active_days_90d }} then 'casual'
            else 'dormant'
        end as engagement_tier,
        {%- for days in [7, 30, 90] %}
        cast(coalesce(activity.events_{{ days }}d, 0) as {{ dbt.type_int() }})
            as events_{{ days }}d,
        cast(coalesce(activity.sessions_{{ days }}d, 0) as {{ dbt.type_int() }})
            as sessions_{{ days }}d,
        cast(coalesce(activity.active_days_{{ days }}d, 0) as {{ dbt.type_int() }})
            as active_days_{{ days }}d,
        {%- endfor %}
        cast(coalesce(activity.events_prior_30d, 0) as {{ dbt.type_int() }}) as events_prior_30d,
        cast(coalesce(activity.features_used_90d, 0) as {{ dbt.type_int() }})
            as features_used_90d,
        cast(coalesce(activity.pages_viewed_90d, 0) as {{ dbt.type_int() }}) as pages_viewed_90d,
        cast(coalesce(activity.lifetime_events, 0) as {{ dbt.type_int() }}) as lifetime_events,
        cast(
            {{ dbt.datediff('activity.last_seen_date', 'customers.as_of_date', 'day') }}
            as {{ dbt.type_int() }}
        ) as days_since_last_seen,
        cast(
            {{ round_divide('activity.events_30d', 'activity.events_prior_30d', 6) }}
            as {{ dbt.type_numeric() }}
        ) as engagement_trend_ratio,
        coalesce(
            activity.events_prior_30d >= {{ var('engagement_decline_min_events') }}
            and activity.events_30d
            < {{ var('engagement_decline_ratio') }} * activity.events_prior_30d,
            false
        ) as is_engagement_declining,
        activity.last_seen_date,
        activity.last_seen_at,
        customers.as_of_date

    from customers
    left join activity
        on customers.customer_id = activity.customer_id

)

select * from final
