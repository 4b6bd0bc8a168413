{#-
    The segment catalog: every segment definition (active and retired) with its family, owner,
    priority, rule and current size as of the as-of date: members, primary members, and the
    share of all customers (or accounts) it holds. The definitions themselves are data, in this
    project's vars (segment_definitions in dbt_project.yml).
-#}
{%- set definitions = segment_definitions() -%}

with

definitions as (

    {{ segment_definitions_sql(definitions) }}

),

customer_segments as (

    select * from {{ ref('fct_customer_segments') }}

),

account_segments as (

    select * from {{ ref('fct_account_segments') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

accounts as (

    select * from {{ ref('dim_accounts') }}

),

as_of as (

    select * from {{ ref('int_reporting__as_of_date') }}

),

sizes as (

    select
        segment_key,
        count(*) as members,
        sum(case when is_primary then 1 else 0 end) as primary_members,
        sum(case when is_holdout then 1 else 0 end) as holdout_members

    from customer_segments
    group by segment_key

    union all

    select
        segment_key,
        count(*) as members,
        sum(case when is_primary then 1 else 0 end) as primary_members,
        sum(case when is_holdout then 1 else 0 end) as holdout_members

    from account_segments
    group by segment_key

),

populations as (

    select
        'customer' as entity_type,
        count(*) as population

    from customers

    union all

    select
        'account' as entity_type,
        count(*) as population

    from accounts

),

final as (

    select
        definitions.segment_key,
        definitions.segment_family,
        definitions.segment_name,
        definitions.segment_description,
        definitions.segment_owner,
        definitions.entity_type,
        definitions.segment_rule,
        definitions.segment_status,
        definitions.segment_priority,
        definitions.holdout_share,
        cast(coalesce(sizes.members, 0) as {{ dbt.type_bigint() }}) as members,
        cast(coalesce(sizes.primary_members, 0) as {{ dbt.type_bigint() }}) as primary_members,
        cast(coalesce(sizes.holdout_members, 0) as {{ dbt.type_bigint() }}) as holdout_members,
        cast(
            coalesce(
                {{ round_divide('coalesce(sizes.members, 0)', 'populations.population', 6) }}, 0
            ) as {{ dbt.type_numeric() }}
        ) as share_of_population,
        definitions.is_family_exclusive,
        as_of.as_of_date

    from definitions
    left join sizes
        on definitions.segment_key = sizes.segment_key
    left join populations
        on definitions.entity_type = populations.entity_type
    cross join as_of

)

select * from final
