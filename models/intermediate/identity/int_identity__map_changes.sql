{#-
    The change log of the identity map: one row each time an identifier (contact id, email,
    anonymous id) enters int_identity__map, resolves to another customer or by another method,
    or leaves the map (customer_id and resolution_method null), stamped with the run that saw
    it (`_changed_at`). The first build logs every identifier once.

    The incremental attribution models read it to find the stored rows a run must re-derive:
    the events of the devices and users, and the orders of the contacts and emails, logged
    since their own last write. Comparing the map (a few million identifiers at 1 M contacts)
    with its last logged state is far cheaper than comparing every stored event or order with
    the maps (docs/decisions.md, "Re-attribution from the identity map's change log").

    Incremental (append): a run appends the identifiers whose current resolution differs from
    their latest logged row. A full refresh logs every identifier again with the new stamp; the
    attribution models then re-derive every identified row once (correct, and as slow as a
    rebuild). On Spark the attribution models are tables and never read the log; it is a table
    there too.
-#}
{{
    config(
        materialized=('table' if target.type == 'spark' else 'incremental'),
        incremental_strategy='append',
        on_schema_change='fail'
    )
}}

with

identity_map as (

    select
        identifier_type,
        identifier,
        customer_id,
        resolution_method

    from {{ ref('int_identity__map') }}

),

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

    select identity_map.*

    from identity_map
    left join latest_logged
        on
            identity_map.identifier_type = latest_logged.identifier_type
            and identity_map.identifier = latest_logged.identifier
    where
        latest_logged.identifier is null
        or identity_map.customer_id is distinct from latest_logged.customer_id
        or identity_map.resolution_method is distinct from latest_logged.resolution_method

),

left_the_map as (

    select
        latest_logged.identifier_type,
        latest_logged.identifier,
        cast(null as {{ dbt.type_string() }}) as customer_id,
        cast(null as {{ dbt.type_string() }}) as resolution_method

    from latest_logged
    left join identity_map
        on
            latest_logged.identifier_type = identity_map.identifier_type
            and latest_logged.identifier = identity_map.identifier
    where
        identity_map.identifier is null
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

    select * from identity_map

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
