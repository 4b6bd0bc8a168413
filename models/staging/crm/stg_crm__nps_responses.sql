with

responses as (

    select * from {{ ref('base_crm__nps_responses') }}
    where row_disposition = 'kept'

),

final as (

    select
        response_id,
        contact_id,
        comment_text,
        nps_score,
        case
            when nps_score >= 9 then 'promoter'
            when nps_score >= 7 then 'passive'
            else 'detractor'
        end as nps_category,
        responded_at

    from responses

)

select * from final
