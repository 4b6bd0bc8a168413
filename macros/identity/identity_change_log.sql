{#-
    How a CRM contact id resolves: to itself (a surviving contact) or to the contact it was
    merged into. One definition for the identity map and the CRM change log.
-#}
{% macro contact_resolution_method(is_survivor) -%}
    case when {{ is_survivor }} then 'self' else 'crm_merge' end
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
