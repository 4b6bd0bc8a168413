{#-
    One row per staged NPS answer with the customer it belongs to: the answering contact's
    survivor ('contact_id' or 'merged_contact'), or none ('unknown_contact', kept and counted).
-#}
with

responses as (

    select * from {{ ref('stg_crm__nps_responses') }}

),

survivors as (

    select * from {{ ref('int_contacts__survivors') }}

),

final as (

    select
        responses.response_id,
        responses.contact_id,
        survivors.customer_id,
        case
            when survivors.is_survivor then 'contact_id'
            when survivors.customer_id is not null then 'merged_contact'
            else 'unknown_contact'
        end as identity_match_method,
        responses.nps_score,
        responses.nps_category,
        {{ to_reporting_date('responses.responded_at') }} as responded_date,
        responses.responded_at

    from responses
    left join survivors
        on responses.contact_id = survivors.contact_id

)

select * from final
