{#-
    The identity map: every identifier the sources use for a person (CRM contact id, email,
    anonymous device id) with the customer it resolves to and how. Activation and debugging
    start here: "which customer is this email / device / merged contact?".
-#}
with

survivors as (

    select * from {{ ref('int_contacts__survivors') }}

),

email_matches as (

    select * from {{ ref('int_identity__email_matches') }}

),

anonymous_matches as (

    select * from {{ ref('int_identity__anonymous_matches') }}

),

unioned as (

    {{ crm_identifiers('survivors', 'email_matches', with_candidate_customers=true) }}

    union all

    select
        'anonymous_id' as identifier_type,
        anonymous_id as identifier,
        customer_id,
        'signed_in_events' as resolution_method,
        candidate_customers

    from anonymous_matches

),

final as (

    select
        identifier_type,
        identifier,
        customer_id,
        resolution_method,
        cast(candidate_customers as {{ dbt.type_int() }}) as candidate_customers

    from unioned

)

select * from final
