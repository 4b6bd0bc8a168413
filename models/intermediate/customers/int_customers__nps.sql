{#-
    Net Promoter Score per customer as of the as-of date: the latest answer (score and
    promoter / passive / detractor), how many answers and their average. Answers of merged
    duplicates count for the surviving customer.
-#}
with

customers as (

    select * from {{ ref('int_customers__base') }}

),

responses as (

    select * from {{ ref('int_nps_responses__attributed') }}

),

customer_responses as (

    select
        responses.customer_id,
        responses.nps_score,
        responses.nps_category,
        responses.responded_date,
        row_number() over (
            partition by responses.customer_id
            order by responses.responded_at desc, responses.response_id desc
        ) as response_rank,
        count(*) over (partition by responses.customer_id) as nps_responses,
        sum(responses.nps_score) over (partition by responses.customer_id) as nps_score_total

    from responses
    inner join customers
        on responses.customer_id = customers.customer_id
    where responses.responded_date <= customers.as_of_date

),

final as (

    select
        customers.customer_id,
        coalesce(customer_responses.nps_category, 'no_response') as latest_nps_category,
        cast(customer_responses.nps_score as {{ dbt.type_int() }}) as latest_nps_score,
        cast(coalesce(customer_responses.nps_responses, 0) as {{ dbt.type_int() }})
            as nps_responses,
        {%- set average_score = round_divide(
            'customer_responses.nps_score_total', 'customer_responses.nps_responses', 6
        ) %}
        cast({{ average_score }} as {{ dbt.type_numeric() }}) as average_nps_score,
        customer_responses.responded_date as latest_responded_date,
        customers.as_of_date

    from customers
    left join customer_responses
        on
            customers.customer_id = customer_responses.customer_id
            and customer_responses.response_rank = 1

)

select * from final
