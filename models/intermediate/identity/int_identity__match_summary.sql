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

    select 'orders' as record_type, identity_match_method, customer_id from orders
    union all
    select 'order_items' as record_type, identity_match_method, customer_id from order_items
    union all
    select 'events' as record_type, identity_match_method, customer_id from events
    union all
    select 'nps_responses' as record_type, identity_match_method, customer_id from nps_responses

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
