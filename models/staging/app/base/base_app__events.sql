{#-
    Every raw event row with its disposition (kept, duplicate, rejected) and cleaned columns.
    A client may resend an event: the first copy loaded (then the first received) is kept, also
    when the copy arrives in a later load. Bot traffic and events with no identity at all are
    rejected with their reason.
    Incremental: each run reads only the loads it has not seen and appends their rows; a row's
    disposition never changes afterwards, so a full refresh gives the same table.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail'
    )
}}
{{ assert_stored_columns(['_written_at']) }}
{{ assert_processed_loads_unchanged(source('app', 'app_events')) }}

with

source as {{ cte_inlined() }} (

    select
        *,
        {{ loaded_at_column('source_table') }} as loaded_at_stamp

    from {{ source('app', 'app_events') }} as source_table
    {{ where_not_yet_loaded(loaded_at_column('source_table')) }}

),

country_aliases as (

    select * from {{ ref('country_aliases') }}

),

{# streamed through each branch of rank_copies on DuckDB; computed once on PostgreSQL, whose
    safe casts are PL/pgSQL calls (inlined, each branch cast every row again) -#}
cleaned as {{ cte_expressions_once(inlined_elsewhere=true) }} (

    select
        {{ clean_text('source.event_id') }} as event_id,
        {{ clean_text('source.anonymous_id') }} as anonymous_id,
        {{ clean_text('source.user_id') }} as user_id,
        {{ clean_text('source.session_id') }} as session_id,
        lower({{ clean_text('source.event_name') }}) as event_name,
        {{ clean_text('source.page_url') }} as page_url,
        {{ clean_text('source.referrer') }} as referrer,
        lower({{ clean_text('source.utm_source') }}) as utm_source,
        lower({{ clean_text('source.utm_medium') }}) as utm_medium,
        lower({{ clean_text('source.utm_campaign') }}) as utm_campaign,
        lower({{ clean_text('source.device_type') }}) as device_type,
        {{ clean_text('source.browser') }} as browser,
        {{ clean_text('source.os') }} as os,
        country_aliases.country_code as ip_country_code,
        {{ clean_text('source.properties') }} as properties_raw,
        {{ to_utc_timestamp('source.occurred_at') }} as occurred_at,
        {{ to_utc_timestamp('source.received_at') }} as received_at,
        source.occurred_at as occurred_at_raw,
        source.received_at as received_at_raw,
        source.loaded_at_stamp as _loaded_at

    from source
    left join country_aliases
        on {{ normalize_lookup_key('source.ip_country') }} = country_aliases.country_alias

),

validated as {{ cte_inlined() }} (

    select
        *,
        case
            when event_id is null then 'missing event_id'
            when anonymous_id is null and user_id is null then 'no anonymous_id or user_id'
            when event_name is null then 'missing event_name'
            when {{ is_parse_failure('received_at_raw', 'received_at') }}
                then 'unparseable received_at'
            when received_at is null then 'missing received_at'
            when {{ is_timestamp_out_of_range('received_at') }} then 'received_at out of range'
            when {{ is_parse_failure('occurred_at_raw', 'occurred_at') }}
                then 'unparseable occurred_at'
            when {{ is_bot_browser('browser') }} then 'bot traffic'
        end as rejection_reason

    from cleaned

),

{#- The first copy loaded is kept; copies of one load are ordered by all their columns. -#}
{{ rank_copies('event_id', 'validated', [
    '_loaded_at', 'received_at', 'occurred_at nulls last', 'anonymous_id nulls last',
    'user_id nulls last', 'session_id nulls last', 'event_name', 'page_url nulls last',
    'referrer nulls last', 'utm_source nulls last', 'utm_medium nulls last',
    'utm_campaign nulls last', 'device_type nulls last', 'browser nulls last', 'os nulls last',
    'ip_country_code nulls last', 'properties_raw nulls last'
]) }},

final as (

    {#- The raw values of typed columns served only to tell unparseable from missing; the raw
        table keeps them. -#}
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
        properties_raw,
        occurred_at,
        received_at,
        _loaded_at,
        {{ run_started_timestamp() }} as _written_at,
        rejection_reason,
        version_rank,
        {{ row_disposition('rejection_reason', 'version_rank') }} as row_disposition

    from ranked

)

select * from final
