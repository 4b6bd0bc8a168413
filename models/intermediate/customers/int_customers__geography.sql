{#-
    Where each customer is: the country from the CRM, or when the CRM has none the country
    their events up to the as-of date come from most often (`ip_country_code`; ties:
    alphabetical), with its name, sales region, continent and subregion from the countries
    seed; city and preferred language from the CRM.

    Incremental (delete+insert on customer_id), like int_customers__technographics: a daily run
    counts the event countries again only for the customers whose events can have changed since
    this model's last write, and carries the stored `ip_country_code` of every other customer
    over. Counted again:
    - the customers of rollup rows written since (new, late or re-attributed events);
    - the customers that held a contact id or an anonymous id the identity change logs logged
      since (events re-attributed away from them leave nothing that points at them);
    - the customers with a rollup row on a day that enters or leaves "up to the as-of date" as
      the as-of date moves;
    - the customers this table does not hold yet.
    Everything else (the CRM country, city and language, the seed's names and regions) is
    taken again for every customer. Customers that left int_customers__base are deleted by the
    post-hook. So the table equals a full refresh. Spark's Parquet tables cannot replace rows:
    there the model is a table.
-#}
{%- set counted_customers = 'counted_customers' if is_incremental() else 'customers' -%}
{{
    config(
        materialized=('table' if target.type == 'spark' else 'incremental'),
        incremental_strategy='delete+insert',
        unique_key='customer_id',
        on_schema_change='fail',
        post_hook="{{ delete_rows_without_key(ref('int_customers__base'), 'customer_id') }}"
    )
}}
-- depends_on: {{ ref('int_identity__crm_changes') }} (read by incremental runs only)
-- depends_on: {{ ref('int_identity__device_changes') }}
{{ assert_stored_columns(['ip_country_code', '_written_at']) }}

with

customers as (

    select * from {{ ref('int_customers__base') }}

),

{# Read twice in a daily run: inlined, or DuckDB buffers the rows for both readers. #}
daily_rollup as {{ cte_inlined() }} (

    select * from {{ ref('int_events__daily_rollup') }}

),

countries as (

    select * from {{ ref('countries') }}

),

{% if is_incremental() %}
as_of_dates as (

    {{ as_of_dates_since_last_write('customers') }}

),

customers_to_count as (

    select daily_rollup.customer_id
    from daily_rollup
    cross join as_of_dates
    where
        daily_rollup._written_at > {{ newest_processed_stamp('_written_at') }}
        or {{ on_a_moving_window_edge('daily_rollup.event_date', [0]) }}

    union

    {{ customers_of_logged_identifiers(['contact_id', 'anonymous_id']) }}

),

{{ carried_over_and_counted_customers('customers', 'customers_to_count') }},

{% endif %}
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
    inner join {{ counted_customers }} as customers
        on daily_rollup.customer_id = customers.customer_id
    where
        daily_rollup.ip_country_code is not null
        and daily_rollup.event_date <= customers.as_of_date
    group by daily_rollup.customer_id, daily_rollup.ip_country_code

),

event_countries as (

    {#- One row per customer with an event country; `located` joins every customer to it. -#}
    select
        customer_id,
        ip_country_code

    from ip_countries
    where country_rank = 1
    {%- if is_incremental() %}

    union all

    select
        customer_id,
        ip_country_code

    from carried_over
    {%- endif %}

),

located as (

    select
        customers.customer_id,
        coalesce(customers.country_code, event_countries.ip_country_code) as country_code,
        case
            when customers.country_code is not null then 'crm'
            when event_countries.ip_country_code is not null then 'ip_address'
            else 'unknown'
        end as country_source,
        event_countries.ip_country_code,
        customers.city,
        customers.preferred_language,
        customers.as_of_date

    from customers
    left join event_countries
        on customers.customer_id = event_countries.customer_id

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
        located.ip_country_code,
        located.as_of_date,
        {{ run_started_timestamp() }} as _written_at

    from located
    left join countries
        on located.country_code = countries.country_code

)

select * from final
