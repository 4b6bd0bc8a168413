{#-
    Every raw contact row with its disposition: kept (the current version of a live contact),
    duplicate (an older version or an exact copy) or rejected (with the reason). The stg model
    keeps the kept rows; int_data_quality__rejected_rows lists the rejected ones.
-#}
with

source as (

    select * from {{ source('crm', 'crm_contacts') }}

),

country_aliases as (

    select * from {{ ref('country_aliases') }}

),

cleaned as {{ cte_expressions_once() }} (

    select
        {{ clean_text('source.contact_id') }} as contact_id,
        {{ clean_text('source.account_id') }} as account_id,
        {{ clean_text('source.merged_into_contact_id') }} as merged_into_contact_id,
        {{ normalize_email('source.email') }} as email,
        {{ clean_text('source.phone') }} as phone,
        {{ clean_text('source.first_name') }} as first_name,
        {{ clean_text('source.last_name') }} as last_name,
        {{ clean_text('source.job_title') }} as job_title,
        lower({{ clean_text('source.gender') }}) as gender_raw,
        country_aliases.country_code,
        {{ clean_text('source.city') }} as city,
        lower({{ clean_text('source.preferred_language') }}) as preferred_language,
        lower({{ clean_text('source.lifecycle_stage') }}) as crm_lifecycle_stage,
        lower({{ clean_text('source.lead_source') }}) as lead_source,
        {{ dbt.safe_cast(clean_text('source.marketing_opt_in'), dbt.type_boolean()) }}
            as marketing_opt_in,
        {{ dbt.safe_cast(clean_text('source.is_deleted'), dbt.type_boolean()) }} as is_deleted,
        {{ dbt.safe_cast('source.birth_date', 'date') }} as birth_date,
        {{ to_utc_timestamp('source.created_at') }} as created_at,
        {{ to_utc_timestamp('source.updated_at') }} as updated_at,
        source.birth_date as birth_date_raw,
        source.marketing_opt_in as marketing_opt_in_raw,
        source.is_deleted as is_deleted_raw,
        source.created_at as created_at_raw,
        source.updated_at as updated_at_raw,
        {{ row_fingerprint([
            'source.contact_id', 'source.account_id', 'source.email', 'source.phone',
            'source.first_name', 'source.last_name', 'source.job_title', 'source.birth_date',
            'source.gender', 'source.country', 'source.city', 'source.preferred_language',
            'source.lifecycle_stage', 'source.lead_source', 'source.marketing_opt_in',
            'source.merged_into_contact_id', 'source.created_at', 'source.updated_at',
            'source.is_deleted'
        ]) }} as row_fingerprint

    from source
    left join country_aliases
        on {{ normalize_lookup_key('source.country') }} = country_aliases.country_alias

),

validated as (

    select
        *,
        case
            when contact_id is null then 'missing contact_id'
            when {{ is_parse_failure('updated_at_raw', 'updated_at') }}
                then 'unparseable updated_at'
            when {{ is_parse_failure('created_at_raw', 'created_at') }}
                then 'unparseable created_at'
            when {{ is_parse_failure('birth_date_raw', 'birth_date') }}
                then 'unparseable birth_date'
            when {{ is_parse_failure('marketing_opt_in_raw', 'marketing_opt_in') }}
                then 'unparseable marketing_opt_in'
            when {{ is_parse_failure('is_deleted_raw', 'is_deleted') }}
                then 'unparseable is_deleted'
            when updated_at is null then 'missing updated_at'
            when {{ is_timestamp_out_of_range('updated_at') }} then 'updated_at out of range'
        end as row_rejection_reason

    from cleaned

),

ranked as (

    select
        *,
        row_number() over (
            partition by contact_id, row_rejection_reason is null
            order by updated_at desc, row_fingerprint asc
        ) as version_rank

    from validated

),

with_reason as (

    select
        *,
        case
            when row_rejection_reason is not null then row_rejection_reason
            when version_rank = 1 and coalesce(is_deleted, false) then 'deleted in source'
            when version_rank = 1 and {{ is_test_email('email') }} then 'test account'
        end as rejection_reason

    from ranked

),

final as (

    select
        *,
        {{ row_disposition('rejection_reason', 'version_rank') }} as row_disposition

    from with_reason

)

select * from final
