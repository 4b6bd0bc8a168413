{#- Every raw NPS answer with its disposition (kept, duplicate, rejected) and cleaned columns. -#}
with

source as (

    select * from {{ source('crm', 'crm_nps_responses') }}

),

cleaned as {{ cte_expressions_once() }} (

    select
        {{ clean_text('source.response_id') }} as response_id,
        {{ clean_text('source.contact_id') }} as contact_id,
        {{ clean_text('source.comment') }} as comment_text,
        {{ dbt.safe_cast('source.score', dbt.type_int()) }} as nps_score,
        {{ to_utc_timestamp('source.responded_at') }} as responded_at,
        source.score as score_raw,
        source.responded_at as responded_at_raw,
        {{ row_fingerprint([
            'source.response_id', 'source.contact_id', 'source.score',
            'source.responded_at', 'source.comment'
        ]) }} as row_fingerprint

    from source

),

validated as (

    select
        *,
        case
            when response_id is null then 'missing response_id'
            when contact_id is null then 'missing contact_id'
            when {{ is_parse_failure('score_raw', 'nps_score') }} then 'unparseable score'
            when nps_score is null then 'missing score'
            when nps_score < 0 or nps_score > 10 then 'score out of range 0-10'
            when {{ is_parse_failure('responded_at_raw', 'responded_at') }}
                then 'unparseable responded_at'
            when responded_at is null then 'missing responded_at'
            when {{ is_timestamp_out_of_range('responded_at') }} then 'responded_at out of range'
        end as rejection_reason

    from cleaned

),

ranked as (

    select
        *,
        row_number() over (
            partition by response_id, rejection_reason is null
            order by responded_at desc, row_fingerprint asc
        ) as version_rank

    from validated

),

final as (

    select
        *,
        {{ row_disposition('rejection_reason', 'version_rank') }} as row_disposition

    from ranked

)

select * from final
