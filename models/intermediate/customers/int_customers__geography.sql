{#-
    Where each customer is: the country from the CRM, or when the CRM has none the country
    their events come from most often (ties: alphabetical), with its name, sales region,
    continent and subregion from the countries seed; city and preferred language from the CRM.
-#}
with

customers as (

    select * from {{ ref('int_customers__base') }}

),

events as (

    select * from {{ ref('int_events__attributed') }}

),

countries as (

    select * from {{ ref('countries') }}

),

ip_countries as (

    select
        events.customer_id,
        events.ip_country_code,
        row_number() over (
            partition by events.customer_id
            order by count(*) desc, events.ip_country_code asc
        ) as country_rank

    from events
    inner join customers
        on events.customer_id = customers.customer_id
    where
        events.ip_country_code is not null
        and events.event_date <= customers.as_of_date
    group by events.customer_id, events.ip_country_code

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
