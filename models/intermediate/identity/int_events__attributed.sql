{#-
    One row per staged event with the customer it belongs to and how it was matched:
    - user_id:            signed in as a surviving CRM contact;
    - merged_user:        signed in as a contact that was merged into another: rolled up;
    - anonymous_stitched: not signed in, but its anonymous id was signed in at some point up to
                          the as-of date (int_identity__anonymous_matches);
    - unknown_user:       signed in as a user_id the CRM does not hold (e.g. a test account);
    - anonymous:          never identified.
    Unmatched events are kept with a null customer_id and counted, never dropped.

    Incremental (delete+insert on event_id): a run attributes the events of the loads it has
    not seen, and re-attributes the stored events whose customer or match method the current
    identity maps may give differently (a device newly signed in or now counted for another
    customer, a contact merged, a user_id that reached the CRM), and every stored event when
    var('reporting_timezone') changed (event_date depends on it). The events re-derived are
    those of every contact id (as user id) int_identity__crm_changes and every anonymous id
    int_identity__device_changes logged since this model's newest write, so any change is
    caught and the table equals a full refresh. (Until session 7 the run compared the stored attribution of all
    events with the maps: 15.5 s of the 1 M daily run; docs/decisions.md.) Re-derived events
    are read from their stored rows, which hold every column the attribution reads (session
    11; before, their staged copies were looked up by id in every staged event).
    Spark's Parquet tables cannot replace rows, only partitions: there the table is partitioned
    by the event's month (event_month, Spark only) and a run replaces whole months
    (insert_overwrite): the months of the new events and of the stored events of the logged
    identifiers, every stored event of those months attributed again with the current maps
    (the same rows a full refresh gives them). After a change of time zone the run stops
    (macro stop_if_another_timezone_is_stored): a month could be left holding old rows.
-#}
{%- set replaces_months = target.type == 'spark' -%}
{{
    config(
        materialized='incremental',
        incremental_strategy=('insert_overwrite' if target.type == 'spark' else 'delete+insert'),
        unique_key=(none if target.type == 'spark' else 'event_id'),
        partition_by=('event_month' if target.type == 'spark' else none),
        file_format=('parquet' if target.type == 'spark' else none),
        on_schema_change='fail',
        pre_hook=('{{ stop_if_another_timezone_is_stored() }}' if target.type == 'spark' else [])
    )
}}
-- depends_on: {{ ref('int_identity__crm_changes') }} (read by incremental runs only)
-- depends_on: {{ ref('int_identity__device_changes') }}
{{ assert_stored_columns(['_written_at']) }}

with

new_events as (

    select
        event_id,
        anonymous_id,
        user_id,
        session_id,
        event_name,
        page_url,
        utm_source,
        utm_medium,
        utm_campaign,
        device_type,
        browser,
        os,
        ip_country_code,
        {{ json_extract_text('properties', 'feature') }} as feature_name,
        lower({{ json_extract_text('properties', 'category') }}) as product_category,
        event_at,
        _loaded_at

    from {{ ref('stg_app__events') }}
    {{ where_not_yet_loaded('_loaded_at') }}

),

survivors as (

    select * from {{ ref('int_contacts__survivors') }}

),

anonymous_matches as (

    select * from {{ ref('int_identity__anonymous_matches') }}

),

{% if is_incremental() %}
{%- set changed_identity -%}
    stored_events.user_id in (
        {{ identifiers_logged_since_last_write(ref('int_identity__crm_changes'), 'contact_id') }}
    )
    or stored_events.anonymous_id in (
        {{ identifiers_logged_since_last_write(
            ref('int_identity__device_changes'), 'anonymous_id'
        ) }}
    )
    or stored_events.reporting_timezone <> '{{ var("reporting_timezone") }}'
{%- endset %}
{%- if replaces_months %}
months_to_replace as (

    {#- Spark: the months the run replaces whole. -#}
    select {{ partition_month(to_reporting_date('new_events.event_at')) }} as event_month
    from new_events

    union

    select stored_events.event_month
    from {{ this }} as stored_events
    where {{ changed_identity }}

),

{%- endif %}
reattributed_events as (

    {#- A user id is a CRM contact id as sent. An event with a user id is attributed through
        it alone: re-deriving it when only its device changed is extra work, never a wrong
        row. The stored row holds every column the attribution reads (a kept event never
        changes in staging), so the events are taken from here, not looked up again in
        stg_app__events: that lookup scanned every staged event (docs/decisions.md, "Events
        re-attributed from their stored rows"). Only the matching rows are read whole
        (from_rows_matching: on DuckDB the condition's three columns are scanned first). -#}
    select
        stored_events.event_id,
        stored_events.anonymous_id,
        stored_events.user_id,
        stored_events.session_id,
        stored_events.event_name,
        stored_events.page_url,
        stored_events.utm_source,
        stored_events.utm_medium,
        stored_events.utm_campaign,
        stored_events.device_type,
        stored_events.browser,
        stored_events.os,
        stored_events.ip_country_code,
        stored_events.feature_name,
        stored_events.product_category,
        stored_events.event_at,
        stored_events._loaded_at

    {%- if replaces_months %}
    from {{ this }} as stored_events
    where stored_events.event_month in (
        select months_to_replace.event_month from months_to_replace
    )
    {%- else %}
    {{ from_rows_matching(this, 'stored_events', changed_identity) }}
    {%- endif %}

),

{% endif %}
events_to_attribute as (

    select * from new_events
    {%- if is_incremental() %}

    union all

    select * from reattributed_events
    {%- endif %}

),

final as (

    select
        events_to_attribute.event_id,
        events_to_attribute.anonymous_id,
        events_to_attribute.user_id,
        events_to_attribute.session_id,
        {{ event_customer_id('events_to_attribute', 'survivors', 'anonymous_matches') }}
            as customer_id,
        {{ event_identity_match_method('events_to_attribute', 'survivors', 'anonymous_matches') }}
            as identity_match_method,
        events_to_attribute.event_name,
        events_to_attribute.page_url,
        events_to_attribute.utm_source,
        events_to_attribute.utm_medium,
        events_to_attribute.utm_campaign,
        events_to_attribute.device_type,
        events_to_attribute.browser,
        events_to_attribute.os,
        events_to_attribute.ip_country_code,
        events_to_attribute.feature_name,
        events_to_attribute.product_category,
        {{ to_reporting_date('events_to_attribute.event_at') }} as event_date,
        '{{ var("reporting_timezone") }}' as reporting_timezone,
        events_to_attribute.event_at,
        events_to_attribute._loaded_at,
        {%- if replaces_months %}
        {{ partition_month(to_reporting_date('events_to_attribute.event_at')) }} as event_month,
        {%- endif %}
        {{ run_started_timestamp() }} as _written_at

    from events_to_attribute
    left join survivors
        on events_to_attribute.user_id = survivors.contact_id
    left join anonymous_matches
        on events_to_attribute.anonymous_id = anonymous_matches.anonymous_id

)

select * from final
