-- Why is a customer in a segment? The rule that matched and the values behind it.
-- Set the customer and segment with --vars '{customer_id: C00000010, segment_key: rfm_champions}'.
with

membership as (

    select * from {{ ref('fct_customer_segments') }}

)

select
    customer_id,
    segment_key,
    matched_rule,
    match_explanation,
    is_primary

from membership
where
    customer_id = '{{ var("customer_id", "C00000010") }}'
    and segment_key = '{{ var("segment_key", "rfm_champions") }}'
