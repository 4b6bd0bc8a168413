{#-
    What each activation destination receives: one row per destination, segment and customer,
    from the destinations configured in var('activation_destinations'). Consent and privacy are
    applied here, in the warehouse, so every reader gets the same guarantees:
    - email and ads destinations get only customers with marketing opt-in;
    - ads destinations get email_sha256 (SHA-256 of the trimmed, lower-cased email) and never
      the email, first name or any other contact detail;
    - with one_segment_per_customer a customer goes only to the first listed segment they are in.
    Holdout members stay in the table with is_holdout so exports can keep them out of campaigns
    and still report them.
-#}
{%- set destinations = var('activation_destinations', []) -%}

with

memberships as (

    select * from {{ ref('fct_customer_segments') }}

),

customers as (

    select * from {{ ref('int_customers__base') }}

),

contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

destinations as (

    {%- for destination in destinations %}
    {%- for segment_key in destination.segments %}
    select
        '{{ destination.key }}' as destination_key,
        '{{ destination.type }}' as destination_type,
        '{{ segment_key }}' as segment_key,
        {{ loop.index }} as destination_priority,
        {{ 'true' if destination.get('one_segment_per_customer') else 'false' }}
            as is_one_segment_per_customer
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

eligible as (

    select
        destinations.destination_key,
        destinations.destination_type,
        destinations.segment_key,
        destinations.destination_priority,
        destinations.is_one_segment_per_customer,
        memberships.customer_id,
        memberships.is_holdout,
        memberships.as_of_date,
        customers.email,
        customers.account_id,
        customers.country_code,
        customers.preferred_language,
        contacts.first_name

    from destinations
    inner join memberships
        on destinations.segment_key = memberships.segment_key
    inner join customers
        on memberships.customer_id = customers.customer_id
    inner join contacts
        on customers.customer_id = contacts.contact_id
    where
        destinations.destination_type = 'crm'
        or (customers.has_marketing_opt_in and customers.email is not null)

),

prioritized as (

    select
        *,
        row_number() over (
            partition by destination_key, customer_id
            order by destination_priority asc
        ) as customer_rank_in_destination

    from eligible

),

final as (

    select
        destination_key,
        destination_type,
        segment_key,
        customer_id,
        account_id,
        case when destination_type <> 'ads' then email end as email,
        case
            when destination_type = 'ads' then {{ sha256_hex('lower(trim(email))') }}
        end as email_sha256,
        case when destination_type <> 'ads' then first_name end as first_name,
        preferred_language,
        country_code,
        is_holdout,
        as_of_date

    from prioritized
    where not is_one_segment_per_customer or customer_rank_in_destination = 1

)

select * from final
