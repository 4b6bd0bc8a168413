{#-
    App engagement per customer as of the as-of date: events, sessions and active days in the
    last 7, 30 and 90 days (the as-of date and the days before it), distinct features and pages
    used in the last 90 days, last seen, the trend of the last 30 days against the 30 before with
    a declining flag, and an engagement tier (power, active, casual, dormant, never_active) by
    the thresholds in var('engagement_tiers'). Days are reporting-time-zone days.

    Incremental (delete+insert on customer_id): a daily run counts the activity again only for
    the customers whose counts can have changed since this model's last write, and carries the
    stored counts of every other customer over (docs/decisions.md, "Engagement counted again
    only where it changed; history numbers only the new dates"). Counted again:
    - the customers of the rollup rows written since (new and late events, and events
      re-attributed to them);
    - the customers that held a contact id or an anonymous id the identity change logs logged
      since (events re-attributed away from them leave no rollup row to point at them);
    - the customers with activity on a day that enters or leaves a window (7, 30, 60 and 90
      days back, and the days up to the as-of date) as the as-of date moves, either way;
    - the customers this table does not hold yet.
    Every row is written again (the as-of date, days since last seen, tiers and the declining
    flag follow the as-of date and the current vars); customers that left int_customers__base
    are deleted by the post-hook. So the table equals a full refresh. Spark's Parquet tables
    cannot replace rows: there the model is a table.
-#}
{%- set tiers = var('engagement_tiers') -%}
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
{{ assert_stored_columns(['_written_at']) }}

with

customers as (

    select * from {{ ref('int_customers__base') }}

),

events as (

    select * from {{ ref('int_events__attributed') }}

),

{# Read by several branches in a daily run: inlined, or DuckDB buffers all the rollup rows. #}
daily_rollup as {{ cte_inlined() }} (

    select * from {{ ref('int_events__daily_rollup') }}

),

{% if is_incremental() %}
{#- The as-of dates of the last write and of this run; the windows' edges move between them. -#}
as_of_dates as (

    {{ as_of_dates_since_last_write('customers') }}

),

customers_to_count as (

    {# one scan of the rollup: rows written since, or on a day that enters or leaves a window #}
    select daily_rollup.customer_id
    from daily_rollup
    cross join as_of_dates
    where
        daily_rollup._written_at > {{ newest_processed_stamp('_written_at') }}
        or {{ on_a_moving_window_edge('daily_rollup.event_date', [0, 7, 30, 60, 90]) }}

    union

    {{ customers_of_logged_identifiers(['contact_id', 'anonymous_id']) }}

),

{#- The stored rows of the customers whose counts stay as they are, and the others. -#}
{{ carried_over_and_counted_customers('customers', 'customers_to_count') }},

{% endif %}
{#
    Every distinct count of a window ("sessions in the last 7 days") is a plain count over
    pre-aggregated rows: the rows of int_events__daily_rollup (about one per customer, day and
    session: a session rarely changes device or country within a day) summed to one per
    customer and day, and reduced to one per customer and session with the last day it was
    seen (smallest days_ago); and one per customer and page or feature of the last 90 days
    (from the events of those days). Counting distinct values per window directly would build
    one hash table per window over every event. Both groupings read the rollup rows directly
    (inlined, each streams its own scan): a first grouping to one row per customer, day and
    session hardly reduced them (10.8 M to 10.5 M rows at 1 M contacts) and, with the copy
    DuckDB buffered for its two readers, cost 15-30 % of the model's CPU (docs/decisions.md,
    "Fewer passes in the customer features and segments").
#}
customer_rollup_rows as {{ cte_inlined() }} (

    select
        daily_rollup.customer_id,
        daily_rollup.event_date,
        {{ dbt.datediff('daily_rollup.event_date', 'customers.as_of_date', 'day') }}
            as days_ago,
        daily_rollup.session_id,
        daily_rollup.event_count,
        daily_rollup.last_event_at

    from daily_rollup
    inner join {{ counted_customers }} as customers
        on daily_rollup.customer_id = customers.customer_id
    where daily_rollup.event_date <= customers.as_of_date

),

recent_events as (

    select
        events.customer_id,
        events.page_url,
        events.feature_name

    from events
    inner join {{ counted_customers }} as customers
        on events.customer_id = customers.customer_id
    where
        events.event_date <= customers.as_of_date
        and {{ dbt.datediff('events.event_date', 'customers.as_of_date', 'day') }}
        < 90

),

customer_days as (

    select
        customer_id,
        event_date,
        days_ago,
        sum(event_count) as day_events,
        max(last_event_at) as last_event_at

    from customer_rollup_rows
    group by customer_id, event_date, days_ago

),

customer_sessions as (

    select
        customer_id,
        session_id,
        min(days_ago) as days_ago

    from customer_rollup_rows
    where session_id is not null
    group by customer_id, session_id

),

customer_pages_90d as (

    select
        customer_id,
        page_url

    from recent_events
    where page_url is not null
    group by customer_id, page_url

),

customer_features_90d as (

    select
        customer_id,
        feature_name

    from recent_events
    where feature_name is not null
    group by customer_id, feature_name

),

day_activity as (

    select
        customer_id,
        {%- for days in [7, 30, 90] %}
        sum(case when days_ago < {{ days }} then day_events else 0 end) as events_{{ days }}d,
        sum(case when days_ago < {{ days }} then 1 else 0 end) as active_days_{{ days }}d,
        {%- endfor %}
        sum(case when days_ago >= 30 and days_ago < 60 then day_events else 0 end)
            as events_prior_30d,
        sum(day_events) as lifetime_events,
        max(last_event_at) as last_seen_at,
        max(event_date) as last_seen_date

    from customer_days
    group by customer_id

),

session_activity as (

    select
        customer_id,
        {%- for days in [7, 30, 90] %}
        sum(case when days_ago < {{ days }} then 1 else 0 end) as sessions_{{ days }}d
        {%- if not loop.last %},{% endif %}
        {%- endfor %}

    from customer_sessions
    group by customer_id

),

page_activity as (

    select
        customer_id,
        count(*) as pages_viewed_90d

    from customer_pages_90d
    group by customer_id

),

feature_activity as (

    select
        customer_id,
        count(*) as features_used_90d

    from customer_features_90d
    group by customer_id

),

activity as (

    select
        day_activity.customer_id,
        {%- for days in [7, 30, 90] %}
        day_activity.events_{{ days }}d,
        session_activity.sessions_{{ days }}d,
        day_activity.active_days_{{ days }}d,
        {%- endfor %}
        day_activity.events_prior_30d,
        feature_activity.features_used_90d,
        page_activity.pages_viewed_90d,
        day_activity.lifetime_events,
        day_activity.last_seen_at,
        day_activity.last_seen_date

    from day_activity
    left join session_activity
        on day_activity.customer_id = session_activity.customer_id
    left join page_activity
        on day_activity.customer_id = page_activity.customer_id
    left join feature_activity
        on day_activity.customer_id = feature_activity.customer_id
    {%- if is_incremental() %}

    union all

    {#- A customer with a last seen date had activity; the others were never active. #}
    select
        customer_id,
        {%- for days in [7, 30, 90] %}
        events_{{ days }}d,
        sessions_{{ days }}d,
        active_days_{{ days }}d,
        {%- endfor %}
        events_prior_30d,
        features_used_90d,
        pages_viewed_90d,
        lifetime_events,
        last_seen_at,
        last_seen_date

    from carried_over
    where last_seen_date is not null
    {%- endif %}

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
        customers.as_of_date,
        {{ run_started_timestamp() }} as _written_at

    from customers
    left join activity
        on customers.customer_id = activity.customer_id

)

select * from final
