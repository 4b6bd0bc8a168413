{#-
    The attributed events rolled up to one row per customer, reporting day, session, device
    (type, browser, OS) and IP country, with how many events the row holds and the last one's
    time: about a fifth of the events' rows. The customer features that count events, days,
    sessions, devices or countries over windows read this instead of every event.

    Incremental (delete+insert on event_date and session_key): a run re-derives the rows of the
    (day, session) pairs that the events written since its last run touch (new events and
    stored events re-attributed to another customer, int_events__attributed's `_written_at`),
    from all the events of those pairs, whichever customer holds them now. An event that moved
    to another customer so leaves its old row; the pre-hook deletes the pairs' stored rows
    first, so a pair whose events all lost their customer (a deleted contact) leaves none
    (macro delete_rows_of_touched_sessions), and the table equals a full refresh. When
    var('reporting_timezone') changes, every event's day changes: the pre-hook empties the
    table of the old time zone's rows and the run re-derives all of them.
    Spark's Parquet tables cannot replace rows, only partitions: there the table is partitioned
    by month (event_month, as int_events__attributed) and a run re-derives the whole months
    of the events written since (insert_overwrite), reading only those months of the events;
    after a change of time zone it stops (macro stop_if_another_timezone_is_stored).
-#}
{%- set replaces_months = target.type == 'spark' -%}
{{
    config(
        materialized='incremental',
        incremental_strategy=('insert_overwrite' if target.type == 'spark' else 'delete+insert'),
        unique_key=(none if target.type == 'spark' else ['event_date', 'session_key']),
        partition_by=('event_month' if target.type == 'spark' else none),
        file_format=('parquet' if target.type == 'spark' else none),
        on_schema_change='fail',
        pre_hook=[
            "{{ delete_rows_of_another_timezone() }}",
            "{{ delete_rows_of_touched_sessions() }}"
        ]
    )
}}

with

{# Read by two branches: inlined, or DuckDB buffers all the events to serve both. #}
events as {{ cte_inlined() }} (

    select * from {{ ref('int_events__attributed') }}

),

{% if is_incremental() %}
{#- The events written by runs after this model's last one: their (day, session) pairs are
    re-derived whole (on Spark their months). -#}
touched_sessions as (

    select distinct
        {%- if replaces_months %}
        event_month
        {%- else %}
        event_date,
        {{ session_key('session_id') }} as session_key
        {%- endif %}

    from events
    where _written_at > {{ newest_processed_stamp('_written_at') }}

),

{% endif %}
events_to_roll_up as (

    select
        events.customer_id,
        events.session_id,
        {{ session_key('events.session_id') }} as session_key,
        events.device_type,
        events.browser,
        events.os,
        events.ip_country_code,
        events.event_date,
        events.reporting_timezone,
        events.event_at

    from events
    {%- if is_incremental() and replaces_months %}
    inner join touched_sessions
        on events.event_month = touched_sessions.event_month
    {%- elif is_incremental() %}
    inner join touched_sessions
        on
            events.event_date = touched_sessions.event_date
            and {{ session_key('events.session_id') }} = touched_sessions.session_key
    {%- endif %}
    where events.customer_id is not null

),

final as (

    select
        customer_id,
        session_id,
        session_key,
        device_type,
        browser,
        os,
        ip_country_code,
        reporting_timezone,
        cast(count(*) as {{ dbt.type_int() }}) as event_count,
        event_date,
        max(event_at) as last_event_at,
        {%- if replaces_months %}
        {{ partition_month('event_date') }} as event_month,
        {%- endif %}
        {{ run_started_timestamp() }} as _written_at

    from events_to_roll_up
    group by
        customer_id,
        session_id,
        session_key,
        device_type,
        browser,
        os,
        ip_country_code,
        reporting_timezone,
        event_date

)

select * from final
