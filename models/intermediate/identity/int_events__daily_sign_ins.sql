{#-
    The signed-in events of each device: one row per anonymous id, user id, reporting day and
    load, with how many events and the first one's time. int_identity__anonymous_matches counts
    a device's sign-ins per customer from these rows (a fifth of the events) instead of from
    every event.

    Incremental (append): a run rolls up the events of the loads it has not seen. A kept event
    never changes (base_app__events), and the rows are per load, so a later load's events of the
    same device and day make a row of their own and the table equals a full refresh. When
    var('reporting_timezone') changes, the pre-hook deletes the rows of the old zone: the table
    is then empty and the run rolls up every load again. On Spark (Parquet: no delete) it
    appends too, and a run that finds another time zone's rows stops with the command that
    rebuilds them (macro stop_if_another_timezone_is_stored).
    `_written_at` stamps the run that appended a row, so that the grain test groups only the
    rows of the days the newest run wrote (unique_combination_in_latest_write), not the whole
    table (2.5 s of the 1 M daily run in session 8).
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        file_format=('parquet' if target.type == 'spark' else none),
        on_schema_change='fail',
        pre_hook="{{ delete_rows_of_another_timezone() }}"
    )
}}
{{ assert_stored_columns(['_written_at']) }}

with

events as (

    select * from {{ ref('stg_app__events') }}
    {{ where_not_yet_loaded('_loaded_at') }}

),

signed_in_events as (

    select
        anonymous_id,
        user_id,
        {{ to_reporting_date('event_at') }} as event_date,
        event_at,
        _loaded_at

    from events
    where anonymous_id is not null and user_id is not null

),

final as (

    select
        anonymous_id,
        user_id,
        '{{ var("reporting_timezone") }}' as reporting_timezone,
        cast(count(*) as {{ dbt.type_int() }}) as signed_in_events,
        event_date,
        min(event_at) as first_signed_in_at,
        _loaded_at,
        {{ run_started_timestamp() }} as _written_at

    from signed_in_events
    group by anonymous_id, user_id, event_date, _loaded_at

)

select * from final
