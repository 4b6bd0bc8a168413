with

contacts as (

    select * from {{ ref('base_crm__contacts') }}
    where row_disposition = 'kept'

),

final as (

    select
        contact_id,
        account_id,
        merged_into_contact_id,
        email,
        phone,
        first_name,
        last_name,
        job_title,
        case
            when gender_raw in ('female', 'f', 'woman') then 'female'
            when gender_raw in ('male', 'm', 'man') then 'male'
            when gender_raw in ('non-binary', 'nonbinary', 'non_binary', 'nb') then 'non_binary'
            else 'unknown'
        end as gender,
        country_code,
        city,
        preferred_language,
        crm_lifecycle_stage,
        lead_source,
        coalesce(marketing_opt_in, false) as has_marketing_opt_in,
        merged_into_contact_id is not null as is_merged,
        account_id is not null as is_b2b,
        birth_date,
        created_at,
        updated_at

    from contacts

)

select * from final
