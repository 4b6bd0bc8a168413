{#-
    The cleaning and validation of raw order rows: every row of `raw_orders` (a relation or a
    parenthesized select with the columns of the shop_orders source) cleaned, with its
    disposition ('valid' or 'rejected' with the reason). The body of the base_shop__orders view,
    and what the incremental runs of stg_shop__orders apply to the raw versions of the orders
    the new loads touched only (cleaning all 10.7 M versions through the view before keeping
    the touched ones took 4.8 s of every daily run at 1 M contacts: the key is a cleaned column,
    so DuckDB could not filter the raw rows first).
    The cleaned columns are computed once per row on PostgreSQL (macro cte_expressions_once:
    otherwise each safe cast ran once per column that reads it). That stops PostgreSQL from
    pushing a reader's filter into the cleaning, so every reader gives it the raw rows it wants
    (stg_shop__orders' daily run: the versions of the touched orders) or wants every row.
-#}
{% macro clean_shop_orders(raw_orders) -%}
with

source as (

    select
        *,
        {{ loaded_at_column('source_table') }} as loaded_at_stamp

    from {{ raw_orders }} as source_table

),

currencies as (

    select * from {{ ref('currencies') }}

),

cleaned as {{ cte_expressions_once() }} (

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
{%- endmacro %}
