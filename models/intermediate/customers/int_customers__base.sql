{#-
    One row per customer: a surviving CRM contact (not merged into another, not deleted, not a
    test account) that existed on the as-of date. Every int_customers__* feature model has
    exactly these rows.
-#}
with

contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

survivors as (

    select * from {{ ref('int_contacts__survivors') }}

),

as_of as (

    select * from {{ ref('int_reporting__as_of_date') }}

),

merged_counts as (

    select
        customer_id,
        count(*) - 1 as merged_contacts

    from survivors
    group by customer_id

),

final as (

    select
        contacts.contact_id as customer_id,
        contacts.account_id,
        contacts.email,
        contacts.job_title,
        contacts.gender,
        contacts.country_code,
        contacts.city,
        contacts.preferred_language,
        contacts.crm_lifecycle_stage,
        contacts.lead_source,
        cast(merged_counts.merged_contacts as {{ dbt.type_int() }}) as merged_contacts,
        contacts.has_marketing_opt_in,
        contacts.is_b2b,
        contacts.birth_date,
        {{ to_reporting_date('contacts.created_at') }} as created_date,
        as_of.as_of_date

    from contacts
    inner join survivors
        on contacts.contact_id = survivors.contact_id
    inner join merged_counts
        on contacts.contact_id = merged_counts.customer_id
    cross join as_of
    where
        survivors.is_survivor
        and (
            contacts.created_at is null
            or {{ to_reporting_date('contacts.created_at') }} <= as_of.as_of_date
        )

)

select * from final
