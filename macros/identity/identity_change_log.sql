{#-
    The CRM identifiers of the identity map: every contact id (resolving to itself when it
    survives, else to the contact it was merged into: crm_merge) and every matched email, as
    one select of identifier_type, identifier, customer_id, resolution_method (and
    candidate_customers when asked). `survivors` and `email_matches` name relations holding
    int_contacts__survivors and int_identity__email_matches. One definition for
    int_identity__map and int_identity__crm_changes.
-#}
{% macro crm_identifiers(survivors, email_matches, with_candidate_customers=false) -%}
    select
        'contact_id' as identifier_type,
        {{ survivors }}.contact_id as identifier,
        {{ survivors }}.customer_id,
        case when {{ survivors }}.is_survivor then 'self' else 'crm_merge' end
            as resolution_method
        {%- if with_candidate_customers %},
        1 as candidate_customers
        {%- endif %}

    from {{ survivors }}

    union all

    select
        'email' as identifier_type,
        {{ email_matches }}.email as identifier,
        {{ email_matches }}.customer_id,
        'crm_email' as resolution_method
        {%- if with_candidate_customers %},
        {{ email_matches }}.candidate_customers
        {%- endif %}

    from {{ email_matches }}
{%- endmacro %}


{#-
    The body of an identity change log (int_identity__crm_changes, int_identity__device_changes):
    the CTEs after `with ... <current> as (...),`, ending in the final select. `current` names a
    CTE with one row per identifier: identifier_type, identifier, customer_id,
    resolution_method. A full refresh logs every identifier; an incremental run logs the
    identifiers that entered, resolve to another customer or method, or left (customer_id and
    resolution_method null) since their latest logged row. Every row is stamped `_changed_at`
    with the run's start.
-#}
{% macro identity_change_log(current) -%}
{% if is_incremental() %}
logged as (

    select
        identifier_type,
        identifier,
        customer_id,
        resolution_method,
        row_number() over (
            partition by identifier_type, identifier
            order by _changed_at desc
        ) as log_rank

    from {{ this }}

),

latest_logged as (

    select * from logged
    where log_rank = 1

),

entered_or_changed as (

    select {{ current }}.*

    from {{ current }}
    left join latest_logged
        on
            {{ current }}.identifier_type = latest_logged.identifier_type
            and {{ current }}.identifier = latest_logged.identifier
    where
        latest_logged.identifier is null
        or {{ current }}.customer_id is distinct from latest_logged.customer_id
        or {{ current }}.resolution_method is distinct from latest_logged.resolution_method

),

left_the_map as (

    select
        latest_logged.identifier_type,
        latest_logged.identifier,
        cast(null as {{ dbt.type_string() }}) as customer_id,
        cast(null as {{ dbt.type_string() }}) as resolution_method

    from latest_logged
    left join {{ current }}
        on
            latest_logged.identifier_type = {{ current }}.identifier_type
            and latest_logged.identifier = {{ current }}.identifier
    where
        {{ current }}.identifier is null
        -- already logged as gone
        and latest_logged.resolution_method is not null

),

changes as (

    select * from entered_or_changed
    union all
    select * from left_the_map

),
{% else %}
changes as (

    select * from {{ current }}

),
{% endif %}

final as (

    select
        identifier_type,
        identifier,
        customer_id,
        resolution_method,
        {{ run_started_timestamp() }} as _changed_at

    from changes

)

select * from final
{%- endmacro %}


{#-
    The identifiers of one type that a change log (`change_log`: a ref to
    int_identity__crm_changes or int_identity__device_changes) recorded after the newest
    `_written_at` of the calling incremental model: a select of one column, `identifier`, for
    an `in (...)` filter. The attribution models re-derive the rows of these identifiers.
-#}
{% macro identifiers_logged_since_last_write(change_log, identifier_type) -%}
    select logged.identifier
    from {{ change_log }} as logged
    where
        logged.identifier_type = '{{ identifier_type }}'
        and logged._changed_at > {{ newest_processed_stamp('_written_at') }}
{%- endmacro %}


{#-
    Every customer an entry of `change_log` gave to an identifier of one type that the log
    recorded after the newest `_written_at` of the calling incremental model: the identifiers'
    customers before the change as well as after. A model of per-customer counts re-counts them:
    rows re-attributed away from a customer leave nothing else that points at it.
-#}
{% macro customers_of_identifiers_logged_since_last_write(change_log, identifier_type) -%}
    select log_entries.customer_id
    from {{ change_log }} as log_entries
    where
        log_entries.identifier_type = '{{ identifier_type }}'
        and log_entries.identifier in (
            {{ identifiers_logged_since_last_write(change_log, identifier_type) }}
        )
{%- endmacro %}
