{#-
    Every customer with a purchase is in exactly one RFM segment, every customer (buyer or not)
    in exactly one lifecycle segment, and no customer without a purchase has an RFM segment.
    Returns the customers that break this.
-#}
with

customers as (

    select * from {{ ref('dim_customers') }}

),

memberships as (

    select * from {{ ref('fct_customer_segments') }}

),

counts as (

    select
        customers.customer_id,
        customers.has_purchased,
        sum(case when memberships.segment_family = 'rfm' then 1 else 0 end) as rfm_segments,
        sum(case when memberships.segment_family = 'lifecycle' then 1 else 0 end)
            as lifecycle_segments

    from customers
    left join memberships
        on customers.customer_id = memberships.customer_id
    group by customers.customer_id, customers.has_purchased

)

select *
from counts
where
    lifecycle_segments <> 1
    or (has_purchased and rfm_segments <> 1)
    or (not has_purchased and rfm_segments <> 0)
