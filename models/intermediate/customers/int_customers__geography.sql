{#-
    Where each customer is: the country from the CRM, or when the CRM has none the country
    their events come from most often (ties: alphabetical), with its name, sales region,
    continent and subregion from the countries seed; city and preferred language from the CRM.
-#}
with

customers as (

    select * from {{ ref('int_customers__base') }}

),

daily_rollup as (

    select * from {{ ref('int_events__daily_rollup') }}

),

countries as (

    select * from {{ ref('countries') }}

),

{# Events counted per customer and country from int_events__daily_rollup. #}
ip_countries as (

    select
        daily_rollup.customer_id,
        daily_rollup.ip_country_code,
        row_number() over (
            partition by daily_rollup.customer_id
            order by sum(daily_rollup.event_count) desc, daily_rollup.ip_country_code asc
        ) as country_rank

    from daily_rollup
    inner join customers
        on daily_rollup.customer_id = customers.customer_id
    where
        daily_rollup.ip_country_code is not null
        and daily_rollup.event_date <= customers.as_of_date
    group by daily_rollup.customer_id, daily_rollup.ip_country_code

),

located as (

    select
        customers.customer_id,
        coalesce(customers.country_code, ip_countries.ip_country_code) as country_code,
        case
            when customers.country_code is not null then 'crm'
            when ip_countries.ip_country_code is not null then 'ip_address'
            else 'unknown'
        end as country_source,
        customers.city,
        customers.preferred_language,
        customers.as_of_date

    from customers
    left join ip_countries
        on
            customers.customer_id = ip_countries.customer_id
            and ip_countries.country_rank = 1

),

final as (

    select
        located.customer_id,
        located.country_code,
        located.country_source,
        countries.country_name,
        coalesce(countries.sales_region, 'unknown') as sales_region,
        coalesce(countries.continent, 'unknown') as continent,
        countries.subregion,
        located.city,
        located.preferred_language,
        located.as_of_date

    from located
    left join countries
        on located.country_code = countries.country_code

)

select * from final
