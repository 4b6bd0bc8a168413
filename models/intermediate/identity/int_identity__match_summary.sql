{#-
    How many orders, order lines, events and NPS answers were matched to a customer, per match
    method. Nothing unmatched is dropped: it is counted here (and kept with a null customer in
    the attributed models).
-#}
with

orders as (

    select * from {{ ref('int_orders__attributed') }}

),

order_items as (

    select * from {{ ref('int_order_items__attributed') }}

),

events as (

    select * from {{ ref('int_events__attributed') }}

),

nps_responses as (

    select * from {{ ref('int_nps_responses__attributed') }}

),

unioned as (

    {% for record_type in ['orders', 'order_items', 'events', 'nps_responses'] %}
    select
        '{{ record_type }}' as record_type,
        identity_match_method,
        customer_id

    from {{ record_type }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        record_type,
        identity_match_method,
        customer_id is not null as is_matched,
        count(*) as records

    from unioned
    group by record_type, identity_match_method, customer_id is not null

)

select * from final
