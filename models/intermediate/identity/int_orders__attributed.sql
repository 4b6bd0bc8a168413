{#-
    One row per staged order with the customer it belongs to and how it was matched:
    - contact_id:            the order's contact is a surviving CRM contact;
    - merged_contact:        the order's contact was merged into another: rolled up to it;
    - guest_email:           a guest order whose email belongs to a CRM contact;
    - unknown_contact_email: the order's contact_id is not in the CRM but its email is;
    - unmatched:             none of these; kept with a null customer_id and counted in
                             int_identity__match_summary, never dropped.
    `is_purchase` marks the orders that count as purchases: a status in var('purchase_statuses')
    and a positive net amount (not fully refunded).
    A table, not a view: read through a view, the purchase filter of its readers reached the
    orders' scan, DuckDB guessed it kept a fifth of the orders (it keeps most) and built the
    identity joins' hash tables from the orders, which ran out of memory at 5 M contacts
    (docs/decisions.md, "Orders without a base table").
-#}

with

orders as (

    select * from {{ ref('stg_shop__orders') }}

),

survivors as (

    select * from {{ ref('int_contacts__survivors') }}

),

email_matches as (

    select * from {{ ref('int_identity__email_matches') }}

),

matched as (

    select
        orders.*,
        survivors.customer_id as contact_customer_id,
        survivors.is_survivor as is_contact_survivor,
        email_matches.customer_id as email_customer_id

    from orders
    left join survivors
        on orders.contact_id = survivors.contact_id
    left join email_matches
        on orders.customer_email = email_matches.email

),

final as (

    select
        order_id,
        contact_id,
        coalesce(contact_customer_id, email_customer_id) as customer_id,
        case
            when contact_customer_id is not null and is_contact_survivor then 'contact_id'
            when contact_customer_id is not null then 'merged_contact'
            when contact_id is null and email_customer_id is not null then 'guest_email'
            when email_customer_id is not null then 'unknown_contact_email'
            else 'unmatched'
        end as identity_match_method,
        order_status,
        sales_channel,
        currency_code,
        reporting_currency_rate,
        gross_amount,
        discount_amount,
        refunded_amount,
        net_amount,
        order_status in ({{ sql_string_list(var('purchase_statuses')) }})
        and net_amount > 0 as is_purchase,
        is_guest_order,
        {{ to_reporting_date('ordered_at') }} as ordered_date,
        ordered_at

    from matched

)

select * from final
