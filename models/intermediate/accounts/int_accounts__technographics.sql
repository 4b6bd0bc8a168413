{#-
    Technographics per B2B account, parsed from the account's technologies list: one flag per
    technology category of the seed technology_categories (uses a CRM, a data warehouse, ...),
    the CRM product it uses (alphabetically first if several), and how many known and unknown
    tools it lists.
-#}
{%- set categories = [
    'crm', 'data_warehouse', 'database', 'bi', 'collaboration', 'customer_support',
    'ecommerce', 'payments', 'cloud', 'customer_data_platform', 'marketing_automation'
] -%}

with

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

technology_categories as (

    select * from {{ ref('technology_categories') }}

),

account_technologies as (

    {#- a technology is listed when ',<name>,' occurs in ',<list>,' -#}
    select
        accounts.account_id,
        technology_categories.technology,
        technology_categories.technology_category

    from accounts
    inner join technology_categories
        on {{ dbt.position(
            dbt.concat(["','", "technology_categories.technology", "','"]),
            dbt.concat(["','", "accounts.technologies", "','"])
        ) }} > 0

),

flags as (

    select
        account_id,
        {%- for category in categories %}
        max(case when technology_category = '{{ category }}' then 1 else 0 end) = 1
            as uses_{{ category }},
        {%- endfor %}
        min(case when technology_category = 'crm' then technology end) as crm_technology,
        count(*) as known_technologies

    from account_technologies
    group by account_id

),

listed as (

    select
        account_id,
        technologies,
        updated_at,
        case
            when technologies is null then 0
            else
                {{ dbt.length('technologies') }}
                - {{ dbt.length(dbt.replace('technologies', "','", "''")) }}
                + 1
        end as listed_technologies

    from accounts

),

final as (

    select
        listed.account_id,
        flags.crm_technology,
        listed.technologies,
        cast(coalesce(flags.known_technologies, 0) as {{ dbt.type_int() }})
            as known_technologies,
        cast(
            listed.listed_technologies - coalesce(flags.known_technologies, 0)
            as {{ dbt.type_int() }}
        ) as unknown_technologies,
        {%- for category in categories %}
        coalesce(flags.uses_{{ category }}, false) as uses_{{ category }},
        {%- endfor %}
        listed.updated_at

    from listed
    left join flags
        on listed.account_id = flags.account_id

)

select * from final
