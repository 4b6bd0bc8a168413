{#-
    No opted-out (or unknown-consent) contact goes to an email or ads destination, and no ads
    destination row carries a plain email or name, only a 64-character SHA-256 hex digest.
    Returns the offending rows.
-#}
with

audiences as (

    select * from {{ ref('fct_activation_audiences') }}

),

customers as (

    select * from {{ ref('int_customers__base') }}

)

select
    audiences.destination_key,
    audiences.segment_key,
    audiences.customer_id,
    case
        when audiences.destination_type in ('email', 'ads') and not customers.has_marketing_opt_in
            then 'no marketing opt-in'
        when audiences.destination_type = 'ads' and audiences.email is not null
            then 'plain email sent to an ad platform'
        when audiences.destination_type = 'ads' and audiences.first_name is not null
            then 'name sent to an ad platform'
        when
            audiences.destination_type = 'ads'
            and (audiences.email_sha256 is null or {{ dbt.length('audiences.email_sha256') }} <> 64)
            then 'ads row without a SHA-256 email'
    end as problem

from audiences
inner join customers
    on audiences.customer_id = customers.customer_id
where
    (audiences.destination_type in ('email', 'ads') and not customers.has_marketing_opt_in)
    or (audiences.destination_type = 'ads' and audiences.email is not null)
    or (audiences.destination_type = 'ads' and audiences.first_name is not null)
    or (
        audiences.destination_type = 'ads'
        and (audiences.email_sha256 is null or {{ dbt.length('audiences.email_sha256') }} <> 64)
    )
