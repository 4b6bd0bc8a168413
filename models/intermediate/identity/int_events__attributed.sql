{#-
    One row per staged event with the customer it belongs to and how it was matched:
    - user_id:            signed in as a surviving CRM contact;
    - merged_user:        signed in as a contact that was merged into another: rolled up;
    - anonymous_stitched: not signed in, but its anonymous id was signed in at some point up to
                          the as-of date (int_identity__anonymous_matches);
    - unknown_user:       signed in as a user_id the CRM does not hold (e.g. a test account);
    - anonymous:          never identified.
    Unmatched events are kept with a null customer_id and counted, never dropped.
-#}
with

events as (

    select * from {{ ref('stg_app__events') }}

),

survivors as (

    select * from {{ ref('int_contacts__survivors') }}

),

anonymous_matches as (

    select * from {{ ref('int_identity__anonymous_matches') }}

),

final as (

    select
        events.event_id,
        events.anonymous_id,
        events.user_id,
        events.session_id,
        case
            when survivors.customer_id is not null then survivors.customer_id
            when events.user_id is null then anonymous_matches.customer_id
        end as customer_id,
        case
            when survivors.customer_id is not null and survivors.is_survivor then 'user_id'
            when survivors.customer_id is not null then 'merged_user'
            when events.user_id is not null then 'unknown_user'
            when anonymous_matches.customer_id is not null then 'anonymous_stitched'
            else 'anonymous'
        end as identity_match_method,
        events.event_name,
        events.page_url,
        events.utm_source,
        events.utm_medium,
        events.utm_campaign,
        events.device_type,
        events.browser,
        events.os,
        events.ip_country_code,
        {{ json_extract_text('events.properties', 'feature') }} as feature_name,
        lower({{ json_extract_text('events.properties', 'category') }}) as product_category,
        {{ to_reporting_date('events.event_at') }} as event_date,
        events.event_at

    from events
    left join survivors
        on events.user_id = survivors.contact_id
    left join anonymous_matches
        on events.anonymous_id = anonymous_matches.anonymous_id

)

select * from final
