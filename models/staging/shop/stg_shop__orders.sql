{#-
    One row per order: its latest valid version. Incremental on DuckDB and PostgreSQL: a run
    re-ranks the versions of the orders that the new loads touched and replaces those orders
    (delete+insert). Spark's file tables cannot replace rows (no Delta here), so on Spark it
    is rebuilt (see docs/engines.md).
-#}
{{
    config(
        materialized=('table' if target.type == 'spark' else 'incremental'),
        incremental_strategy='delete+insert',
        unique_key='order_id',
        on_schema_change='fail'
    )
}}

with

versions as (

    select * from {{ ref('base_shop__orders') }}
    where row_disposition = 'valid'{{ and_key_in_new_loads('order_id', ref('base_shop__orders')) }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by order_id
            -- the latest version; versions written at the same instant are told apart by
            -- their content (an order by columns: cheaper than hashing every row)
            order by
                updated_at desc nulls last,
                order_status asc,
                ordered_at asc,
                currency_code asc,
                gross_amount_local asc,
                discount_amount_local asc nulls last,
                tax_amount_local asc nulls last,
                shipping_amount_local asc nulls last,
                refunded_amount_local asc nulls last,
                contact_id asc nulls last,
                customer_email asc nulls last,
                sales_channel asc nulls last
        ) as version_rank,
        max(_loaded_at) over (partition by order_id) as last_loaded_at

    from versions

),

orders as (

    select * from ranked
    where version_rank = 1

),

amounts as (

    select
        *,
        coalesce(discount_amount_local, 0) as discount_local,
        coalesce(tax_amount_local, 0) as tax_local,
        coalesce(shipping_amount_local, 0) as shipping_local,
        coalesce(refunded_amount_local, 0) as refunded_local

    from orders

),

final as (

    select
        order_id,
        contact_id,
        customer_email,
        order_status,
        sales_channel,
        currency_code,
        gross_amount_local,
        discount_local as discount_amount_local,
        tax_local as tax_amount_local,
        shipping_local as shipping_amount_local,
        refunded_local as refunded_amount_local,
        cast(gross_amount_local - discount_local - refunded_local as {{ type_amount() }})
            as net_amount_local,
        {{ to_reporting_currency(
            'gross_amount_local', 'local_units_per_usd', 'reporting_units_per_usd'
        ) }} as gross_amount,
        {{ to_reporting_currency(
            'discount_local', 'local_units_per_usd', 'reporting_units_per_usd'
        ) }} as discount_amount,
        {{ to_reporting_currency(
            'tax_local', 'local_units_per_usd', 'reporting_units_per_usd'
        ) }} as tax_amount,
        {{ to_reporting_currency(
            'shipping_local', 'local_units_per_usd', 'reporting_units_per_usd'
        ) }} as shipping_amount,
        {{ to_reporting_currency(
            'refunded_local', 'local_units_per_usd', 'reporting_units_per_usd'
        ) }} as refunded_amount,
        {{ to_reporting_currency(
            'gross_amount_local - discount_local - refunded_local',
            'local_units_per_usd',
            'reporting_units_per_usd'
        ) }} as net_amount,
        {{ reporting_currency_rate('local_units_per_usd', 'reporting_units_per_usd') }}
            as reporting_currency_rate,
        contact_id is null as is_guest_order,
        refunded_local > 0 as has_refund,
        ordered_at,
        updated_at,
        last_loaded_at as _loaded_at

    from amounts

)

select * from final
