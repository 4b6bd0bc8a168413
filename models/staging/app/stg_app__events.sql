{#-
    A view: the kept events of base_app__events (an incremental table that appends the new loads)
    with their derived columns. Writing them again as a table cost as much as the cleaning
    itself at scale; its readers select a few columns, or only the new loads (a filter on
    _loaded_at that reaches the base table's scan).
-#}
{{
    config(
        materialized='view'
    )
}}

with

events as (

    select * from {{ ref('base_app__events') }}

),

final as (

    select
        event_id,
        anonymous_id,
        user_id,
        session_id,
        event_name,
        page_url,
        referrer,
        utm_source,
        utm_medium,
        utm_campaign,
        device_type,
        browser,
        os,
        ip_country_code,
        case when {{ is_valid_json('properties_raw') }} then properties_raw end as properties,
        coalesce(not {{ is_valid_json('properties_raw') }}, false) as has_malformed_properties,
        {%- set late_after = dbt.dateadd(
            'hour', var('late_event_threshold_hours'), 'occurred_at'
        ) %}
        coalesce(received_at >= {{ late_after }}, false) as is_late_arriving,
        coalesce(occurred_at > received_at, false) as is_device_clock_ahead,
        occurred_at,
        received_at,
        {#- The device clock is trusted unless it is missing, ahead of the collector or
            before var('min_valid_timestamp'). -#}
        case
            when
                occurred_at is null
                or occurred_at > received_at
                or occurred_at < cast(
                    '{{ var("min_valid_timestamp") }}' as {{ dbt.type_timestamp() }}
                )
                then received_at
            else occurred_at
        end as event_at,
        _loaded_at,
        _written_at

    from events
    where row_disposition = 'kept'

)

select * from final
