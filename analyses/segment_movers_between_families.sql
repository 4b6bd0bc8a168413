-- Customers per lifecycle stage and RFM segment: how the two families relate.
with

primary_segments as (

    select * from {{ ref('dim_customer_primary_segments') }}

)

select
    lifecycle_segment,
    rfm_segment,
    count(*) as customers

from primary_segments
group by lifecycle_segment, rfm_segment
order by customers desc
