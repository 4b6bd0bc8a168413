{#-
    One row per normalized email known to the CRM, with the customer it identifies. Guest
    orders carry only an email. When several customers share an email the customer whose own
    record holds it wins over merged duplicates, then the earliest created, then the lowest id;
    `candidate_customers` shows how ambiguous the email was.
-#}
with

contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

survivors as (

    select * from {{ ref('int_contacts__survivors') }}

),

email_candidates as (

    select
        contacts.email,
        survivors.customer_id,
        survivors.is_survivor,
        contacts.created_at

    from contacts
    inner join survivors
        on contacts.contact_id = survivors.contact_id
    where contacts.email is not null

),

ranked as (

    select
        email,
        customer_id,
        row_number() over (
            partition by email
            order by
                case when is_survivor then 0 else 1 end asc,
                created_at asc nulls last,
                customer_id asc
        ) as candidate_rank,
        count(distinct customer_id) over (partition by email) as candidate_customers

    from email_candidates

),

final as (

    select
        email,
        customer_id,
        candidate_customers

    from ranked
    where candidate_rank = 1

)

select * from final
