{#-
    The one date every time-relative feature is computed as of: var('as_of_date') when given,
    else the last day (in the reporting time zone) that has an order or an event. Nothing dated
    after it counts, so a build with the same data and as-of date is reproducible, and a past
    date shows the features as they were then. With var('as_of_date') set the model reads no
    table, so selecting a feature (`dbt run -s +int_customers__rfm`) does not build the events.
-#}
{%- if var('as_of_date') %}

with

final as (

    select
        cast('{{ var("as_of_date") }}' as date) as as_of_date,
        'var as_of_date' as as_of_date_source,
        '{{ var("reporting_timezone") }}' as reporting_timezone

)

{%- else %}

with

orders as (

    select * from {{ ref('stg_shop__orders') }}

),

events as (

    select * from {{ ref('stg_app__events') }}

),

last_order as (

    select max({{ to_reporting_date('ordered_at') }}) as last_date from orders

),

last_event as (

    select max({{ to_reporting_date('event_at') }}) as last_date from events

),

final as (

    select
        coalesce(
            case
                when last_order.last_date >= last_event.last_date then last_order.last_date
                else coalesce(last_event.last_date, last_order.last_date)
            end,
            {{ to_reporting_date(utc_now()) }}
        ) as as_of_date,
        'latest order or event' as as_of_date_source,
        '{{ var("reporting_timezone") }}' as reporting_timezone

    from last_order
    cross join last_event

)

{%- endif %}

select * from final
