{#-
    Every raw order row, cleaned, with its disposition: 'rejected' (with the reason) or 'valid'.
    The shop writes a row per status change; stg_shop__orders keeps the latest valid version of
    each order, the older ones count as duplicates (int_data_quality__row_reconciliation).
    A view: its one reader on the build path, stg_shop__orders, is incremental and reads through
    it only the versions of the orders that new loads touched (see docs/decisions.md, "Orders
    without a base table").
-#}
{{ config(materialized='view') }}

with

source as (

    select
        *,
        {{ loaded_at_column('source_table') }} as loaded_at_stamp

    from {{ source('shop', 'shop_orders') }} as source_table

),

currencies as (

    select * from {{ ref('currencies') }}

),

cleaned as (

    select
        {{ clean_text('source.order_id') }} as order_id,
        {{ clean_text('source.contact_id') }} as contact_id,
        {{ normalize_email('source.customer_email') }} as customer_email,
        lower({{ clean_text('source.status') }}) as order_status,
        lower({{ clean_text('source.channel') }}) as sales_channel,
        upper({{ clean_text('source.currency') }}) as currency_code,
        currencies.units_per_usd as local_units_per_usd,
        reporting_currency.units_per_usd as reporting_units_per_usd,
        {{ dbt.safe_cast('source.gross_amount', type_amount()) }} as gross_amount_local,
        {{ dbt.safe_cast('source.discount_amount', type_amount()) }} as discount_amount_local,
        {{ dbt.safe_cast('source.tax_amount', type_amount()) }} as tax_amount_local,
        {{ dbt.safe_cast('source.shipping_amount', type_amount()) }} as shipping_amount_local,
        {{ dbt.safe_cast('source.refunded_amount', type_amount()) }} as refunded_amount_local,
        {{ to_utc_timestamp('source.ordered_at') }} as ordered_at,
        {{ to_utc_timestamp('source.updated_at') }} as updated_at,
        source.gross_amount as gross_amount_raw,
        source.discount_amount as discount_amount_raw,
        source.tax_amount as tax_amount_raw,
        source.shipping_amount as shipping_amount_raw,
        source.refunded_amount as refunded_amount_raw,
        source.ordered_at as ordered_at_raw,
        source.updated_at as updated_at_raw,
        source.loaded_at_stamp as _loaded_at

    from source
    left join currencies
        on upper({{ clean_text('source.currency') }}) = currencies.currency_code
    left join currencies as reporting_currency
        on reporting_currency.currency_code = '{{ var("reporting_currency") }}'

),

validated as (

    select
        *,
        case
            when order_id is null then 'missing order_id'
            when {{ is_parse_failure('ordered_at_raw', 'ordered_at') }}
                then 'unparseable ordered_at'
            when ordered_at is null then 'missing ordered_at'
            when {{ is_timestamp_out_of_range('ordered_at') }} then 'ordered_at out of range'
            when {{ is_parse_failure('updated_at_raw', 'updated_at') }}
                then 'unparseable updated_at'
            when {{ is_parse_failure('gross_amount_raw', 'gross_amount_local') }}
                then 'unparseable gross_amount'
            when {{ is_parse_failure('discount_amount_raw', 'discount_amount_local') }}
                then 'unparseable discount_amount'
            when {{ is_parse_failure('tax_amount_raw', 'tax_amount_local') }}
                then 'unparseable tax_amount'
            when {{ is_parse_failure('shipping_amount_raw', 'shipping_amount_local') }}
                then 'unparseable shipping_amount'
            when {{ is_parse_failure('refunded_amount_raw', 'refunded_amount_local') }}
                then 'unparseable refunded_amount'
            when gross_amount_local is null then 'missing gross_amount'
            when gross_amount_local < 0 then 'negative gross_amount'
            when
                discount_amount_local < 0
                or tax_amount_local < 0
                or shipping_amount_local < 0
                or refunded_amount_local < 0
                then 'negative discount, tax, shipping or refund'
            when gross_amount_local > {{ var('max_valid_amount') }}
                then 'gross_amount out of range'
            when
                discount_amount_local > {{ var('max_valid_amount') }}
                or tax_amount_local > {{ var('max_valid_amount') }}
                or shipping_amount_local > {{ var('max_valid_amount') }}
                or refunded_amount_local > {{ var('max_valid_amount') }}
                then 'discount, tax, shipping or refund out of range'
            when currency_code is null then 'missing currency'
            when local_units_per_usd is null then 'unknown currency'
            when order_status is null then 'missing order status'
            when order_status not in ({{ sql_string_list(var('order_statuses')) }})
                then 'unknown order status'
        end as rejection_reason

    from cleaned

),

final as (

    {#- The raw values of typed columns served only to tell unparseable from missing; the raw
        table keeps them. -#}
    select
        order_id,
        contact_id,
        customer_email,
        order_status,
        sales_channel,
        currency_code,
        local_units_per_usd,
        reporting_units_per_usd,
        gross_amount_local,
        discount_amount_local,
        tax_amount_local,
        shipping_amount_local,
        refunded_amount_local,
        ordered_at,
        updated_at,
        rejection_reason,
        _loaded_at,
        case when rejection_reason is null then 'valid' else 'rejected' end as row_disposition

    from validated

)

select * from final
