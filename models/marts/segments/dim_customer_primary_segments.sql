{#-
    One row per customer with one column per customer segment family holding the customer's
    primary segment key in it (null when the customer is in no segment of the family), for BI
    tools that want one row per customer. A new family needs a new column in this model's YAML
    contract.
-#}
{%- set families = segment_families('customer') -%}

with

customers as (

    select * from {{ ref('dim_customers') }}

),

customer_segments as (

    select * from {{ ref('fct_customer_segments') }}

),

primary_segments as (

    select
        customer_id,
        {%- for family in families %}
        max(
            case when segment_family = '{{ family.family }}' then segment_key end
        ) as {{ family.family }}_segment,
        {%- endfor %}
        count(*) as segments

    from customer_segments
    where is_primary
    group by customer_id

),

final as (

    select
        customers.customer_id,
        {%- for family in families %}
        primary_segments.{{ family.family }}_segment,
        {%- endfor %}
        cast(coalesce(primary_segments.segments, 0) as {{ dbt.type_int() }})
            as primary_segments,
        customers.as_of_date

    from customers
    left join primary_segments
        on customers.customer_id = primary_segments.customer_id

)

select * from final
