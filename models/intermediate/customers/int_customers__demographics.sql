{#-
    Demographics per customer as of the as-of date: age in whole years and an age band
    (var('age_bands')), gender as recorded (unknown stays unknown, never guessed) and, for B2B
    contacts, job function and seniority derived from the job title through the seed
    job_title_keywords (whole-word matches; the keyword with the lowest priority number wins).
-#}
{%- set bands = var('age_bands') -%}

with

customers as (

    select * from {{ ref('int_customers__base') }}

),

job_title_keywords as (

    select * from {{ ref('job_title_keywords') }}

),

titles as (

    select
        customer_id,
        {#- pad with spaces and turn punctuation into spaces for whole-word matching -#}
        {{ dbt.concat([
            "' '",
            regexp_replace_all("lower(job_title)", '[^a-z0-9]+', ' '),
            "' '",
        ]) }} as padded_title

    from customers
    where job_title is not null

),

keyword_matches as (

    select
        titles.customer_id,
        job_title_keywords.attribute,
        job_title_keywords.attribute_value,
        row_number() over (
            partition by titles.customer_id, job_title_keywords.attribute
            order by job_title_keywords.priority asc, job_title_keywords.keyword asc
        ) as match_rank

    from titles
    inner join job_title_keywords
        on {{ dbt.position(
            dbt.concat(["' '", "job_title_keywords.keyword", "' '"]), 'titles.padded_title'
        ) }} > 0

),

roles as (

    select
        customer_id,
        max(case when attribute = 'job_function' then attribute_value end) as job_function,
        max(case when attribute = 'seniority' then attribute_value end) as job_seniority

    from keyword_matches
    where match_rank = 1
    group by customer_id

),

ages as (

    select
        customer_id,
        {#- whole years: year difference, minus one before this year's birthday -#}
        {{ dbt.datediff('birth_date', 'as_of_date', 'year') }}
        - case
            when
                extract(month from as_of_date) < extract(month from birth_date)
                or (
                    extract(month from as_of_date) = extract(month from birth_date)
                    and extract(day from as_of_date) < extract(day from birth_date)
                )
                then 1
            else 0
        end as age

    from customers
    where birth_date is not null and birth_date <= as_of_date

),

final as (

    select
        customers.customer_id,
        case
            when ages.age is null then 'unknown'
            when ages.age < {{ bands[0] }} then 'under_{{ bands[0] }}'
            {%- for lower in bands[1:] %}
            when ages.age < {{ lower }} then '{{ bands[loop.index0] }}-{{ lower - 1 }}'
            {%- endfor %}
            else '{{ bands[-1] }}+'
        end as age_band,
        customers.gender,
        case
            when not customers.is_b2b then 'not_b2b'
            else coalesce(roles.job_function, 'unknown')
        end as job_function,
        case
            when not customers.is_b2b then 'not_b2b'
            else coalesce(roles.job_seniority, 'unknown')
        end as job_seniority,
        cast(ages.age as {{ dbt.type_int() }}) as age,
        customers.is_b2b,
        coalesce(roles.job_seniority in ('c_level', 'vp', 'head', 'director'), false)
            as is_decision_maker,
        customers.as_of_date

    from customers
    left join ages
        on customers.customer_id = ages.customer_id
    left join roles
        on customers.customer_id = roles.customer_id

)

select * from final
