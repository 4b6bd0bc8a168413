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

candidate_counts as (

    select
        email,
        count(distinct customer_id) as candidate_customers

    from email_candidates
    group by email

),

ranked as (

    select
        email_candidates.email,
        email_candidates.customer_id,
        candidate_counts.candidate_customers,
        row_number() over (
            partition by email_candidates.email
            order by
                case when email_candidates.is_survivor then 0 else 1 end asc,
                email_candidates.created_at asc nulls last,
                email_candidates.customer_id asc
        ) as candidate_rank

    from email_candidates
    inner join candidate_counts
        on email_candidates.email = candidate_counts.email

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
