{#-
    One row per anonymous id (a device or browser) that was ever signed in, with the customer
    it belongs to. An anonymous id seen with several customers (a shared device) goes to the one
    with the most signed-in events on it, then the lowest id. Events before sign-in carry only
    the anonymous id; this map stitches them to the customer, also after the fact. Counted
    from the signed-in events rolled up per device, user, day and load
    (int_events__daily_sign_ins).
-#}
with

sign_ins as (

    select * from {{ ref('int_events__daily_sign_ins') }}

),

survivors as (

    select * from {{ ref('int_contacts__survivors') }}

),

as_of as (

    select * from {{ ref('int_reporting__as_of_date') }}

),

signed_in_events as (

    select
        sign_ins.anonymous_id,
        survivors.customer_id,
        sum(sign_ins.signed_in_events) as signed_in_events,
        min(sign_ins.first_signed_in_at) as first_signed_in_at

    from sign_ins
    inner join survivors
        on sign_ins.user_id = survivors.contact_id
    cross join as_of
    where sign_ins.event_date <= as_of.as_of_date
    group by sign_ins.anonymous_id, survivors.customer_id

),

ranked as (

    select
        anonymous_id,
        customer_id,
        first_signed_in_at,
        row_number() over (
            partition by anonymous_id
            order by signed_in_events desc, customer_id asc
        ) as candidate_rank,
        count(*) over (partition by anonymous_id) as candidate_customers

    from signed_in_events

),

final as (

    select
        anonymous_id,
        customer_id,
        candidate_customers,
        first_signed_in_at

    from ranked
    where candidate_rank = 1

)

select * from final
