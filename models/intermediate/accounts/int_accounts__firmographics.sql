{#-
    Firmographics per B2B account: industry group (seed industry_groups; unmapped industries
    are 'Other'), employee band (var('employee_bands')), annual revenue band in the reporting
    currency (var('revenue_bands')), and country, sales region and continent.
-#}
{%- set employee_bands = var('employee_bands') -%}
{%- set revenue_bands = var('revenue_bands') -%}

with

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

industry_groups as (

    select * from {{ ref('industry_groups') }}

),

countries as (

    select * from {{ ref('countries') }}

),

final as (

    select
        accounts.account_id,
        accounts.account_name,
        accounts.website_domain,
        accounts.industry,
        case
            when accounts.industry is null then 'Unknown'
            else coalesce(industry_groups.industry_group, 'Other')
        end as industry_group,
        case
            when accounts.employee_count is null then 'unknown'
            when accounts.employee_count < {{ employee_bands[0] }} then 'unknown'
            {%- for lower in employee_bands[1:] %}
            when accounts.employee_count < {{ lower }}
                then '{{ employee_bands[loop.index0] }}-{{ lower - 1 }}'
            {%- endfor %}
            else '{{ employee_bands[-1] - 1 }}+'
        end as employee_band,
        case
            when accounts.annual_revenue is null then 'unknown'
            {%- for lower in revenue_bands[1:] %}
            when accounts.annual_revenue < {{ lower }}
                then '{{ revenue_label(revenue_bands[loop.index0]) }}-{{ revenue_label(lower) }}'
            {%- endfor %}
            else '{{ revenue_label(revenue_bands[-1]) }}+'
        end as revenue_band,
        accounts.country_code,
        countries.country_name,
        coalesce(countries.sales_region, 'unknown') as sales_region,
        coalesce(countries.continent, 'unknown') as continent,
        accounts.employee_count,
        accounts.annual_revenue,
        accounts.created_at

    from accounts
    left join industry_groups
        on lower(accounts.industry) = industry_groups.industry
    left join countries
        on accounts.country_code = countries.country_code

)

select * from final
