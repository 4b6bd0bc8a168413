-- How many VIPs in EMEA declined in engagement this month (the 30 days up to the as-of date
-- against the 30 before)? Compile with `dbt compile -s vip_emea_declining_engagement`.
with

membership as (

    select * from {{ ref('fct_customer_segments') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

)

select count(*) as customers
from membership
inner join customers
    on membership.customer_id = customers.customer_id
where
    membership.segment_key = 'vip'
    and customers.sales_region = 'EMEA'
    and customers.is_engagement_declining
