{#-
    One row per order: its latest valid version. Incremental on DuckDB and PostgreSQL: a run
    re-ranks the versions of the orders that the new loads touched and replaces those orders
    (delete+insert); it cleans only those orders' raw versions (macro clean_shop_orders, the
    body of base_shop__orders). Spark's file tables cannot replace rows (no Delta here), so on
    Spark it is rebuilt (see docs/engines.md).
    The versions CTE is read twice and left to the engine to materialize: for 10 M order
    versions, buffering the cleaned rows once took a fifth less CPU than cleaning them twice
    (`cte_inlined()`, which the 57 M events need; docs/decisions.md, "Staging at scale").
-#}
{{
    config(
        materialized=('table' if target.type == 'spark' else 'incremental'),
        incremental_strategy='delete+insert',
        unique_key='order_id',
        on_schema_change='fail'
    )
}}
-- depends_on: {{ ref('currencies') }} {{ source('shop', 'shop_orders') }} (incremental runs)
{{ assert_stored_columns(['_written_at']) }}

with

versions as (

    {%- if is_incremental() %}
    {#- The raw versions of the touched orders, cleaned as base_shop__orders cleans them: read
        through the view, every raw version was cleaned before the filter on the (cleaned)
        key could apply. -#}
    {%- set touched_raw_orders -%}
    (
        select * from {{ source('shop', 'shop_orders') }} as raw_orders
        where {{ clean_text('raw_orders.order_id') }} in (
            select touched.order_id from {{ ref('base_shop__orders') }} as touched
            {{ where_not_yet_loaded('touched._loaded_at') }}
        )
    )
    {%- endset %}
    select * from (
        {{ clean_shop_orders(touched_raw_orders) }}
    ) as touched_versions
    where row_disposition = 'valid'
    {%- else %}
    select * from {{ ref('base_shop__orders') }}
    where row_disposition = 'valid'
    {%- endif %}

),

repeated_order_ids as (

    {#- Most orders have one valid version: only the others need their versions ranked (a
        window over all versions would sort every row with all its columns). -#}
    select order_id
    from versions
    group by order_id
    having count(*) > 1

),

single_versions as (

    select
        versions.*,
        1 as version_rank,
        versions._loaded_at as last_loaded_at

    from versions
    left join repeated_order_ids
        on versions.order_id = repeated_order_ids.order_id
    where repeated_order_ids.order_id is null

),

ranked_versions as (

    select
        versions.*,
        row_number() over (
            partition by versions.order_id
            -- the latest version; versions written at the same instant are told apart by
            -- their content (an order by columns: cheaper than hashing every row)
            order by
                versions.updated_at desc nulls last,
                versions.order_status asc,
                versions.ordered_at asc,
                versions.currency_code asc,
                versions.gross_amount_local asc,
                versions.discount_amount_local asc nulls last,
                versions.tax_amount_local asc nulls last,
                versions.shipping_amount_local asc nulls last,
                versions.refunded_amount_local asc nulls last,
                versions.contact_id asc nulls last,
                versions.customer_email asc nulls last,
                versions.sales_channel asc nulls last
        ) as version_rank,
        max(versions._loaded_at) over (partition by versions.order_id) as last_loaded_at

    from versions
    inner join repeated_order_ids
        on versions.order_id = repeated_order_ids.order_id

),

orders as (

    select * from single_versions
    union all
    select * from ranked_versions
    where version_rank = 1

),

amounts as (

    select
        *,
        coalesce(discount_amount_local, 0) as discount_local,
        coalesce(tax_amount_local, 0) as tax_local,
        coalesce(shipping_amount_local, 0) as shipping_local,
        coalesce(refunded_amount_local, 0) as refunded_local,
        {{ reporting_currency_rate('local_units_per_usd', 'reporting_units_per_usd') }}
            as reporting_currency_rate

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
        {{ convert_at_rate('gross_amount_local', 'reporting_currency_rate') }} as gross_amount,
        {{ convert_at_rate('discount_local', 'reporting_currency_rate') }} as discount_amount,
        {{ convert_at_rate('tax_local', 'reporting_currency_rate') }} as tax_amount,
        {{ convert_at_rate('shipping_local', 'reporting_currency_rate') }} as shipping_amount,
        {{ convert_at_rate('refunded_local', 'reporting_currency_rate') }} as refunded_amount,
        {{ convert_at_rate(
            'gross_amount_local - discount_local - refunded_local', 'reporting_currency_rate'
        ) }} as net_amount,
        reporting_currency_rate,
        contact_id is null as is_guest_order,
        refunded_local > 0 as has_refund,
        ordered_at,
        updated_at,
        last_loaded_at as _loaded_at,
        {{ run_started_timestamp() }} as _written_at

    from amounts

)

select * from final
