{#-
    One row per order: its latest valid version. Incremental on DuckDB and PostgreSQL: a run
    re-ranks the versions of the orders that the new loads touched and replaces those orders
    (delete+insert); it cleans only those orders' raw versions (macro clean_shop_orders, the
    body of base_shop__orders). Spark's file tables cannot replace rows (no Delta here), only
    partitions: there the table is partitioned by the month of the order (order_month, Spark
    only) and a run replaces whole months (insert_overwrite): the months of the new raw
    versions and the stored months of the orders they touch (a new version may move an order
    to another month), re-ranking the touched orders and every stored order of those months.
    Most orders have one valid version; only the others are ranked with a window. A full
    refresh finds the order ids with several raw rows from the key column alone, then cleans
    each raw row once (macro clean_shop_orders) in the branch its id sends it to: cleaning all
    versions first and splitting them made DuckDB buffer the 10 M cleaned versions, the peak
    memory of the RFM path. An incremental run cleans the touched versions first (few) and
    splits them (docs/decisions.md, "Staging at scale").
-#}
{%- set replaces_months = target.type == 'spark' -%}
{{
    config(
        materialized='incremental',
        incremental_strategy=('insert_overwrite' if target.type == 'spark' else 'delete+insert'),
        unique_key=(none if target.type == 'spark' else 'order_id'),
        partition_by=('order_month' if target.type == 'spark' else none),
        file_format=('parquet' if target.type == 'spark' else none),
        on_schema_change='fail'
    )
}}
-- depends_on: {{ ref('currencies') }} {{ source('shop', 'shop_orders') }}
-- depends_on: {{ ref('base_shop__orders') }} (Spark's incremental runs)
{{ assert_stored_columns(['_written_at']) }}

with

{% if is_incremental() -%}
{%- if replaces_months %}
new_versions as (

    {#- Spark: the raw versions of the new loads (their ids and months). -#}
    select touched.order_id, {{ partition_month('touched.ordered_at') }} as order_month
    from {{ ref('base_shop__orders') }} as touched
    {{ where_not_yet_loaded('touched._loaded_at') }}

),

months_to_replace as (

    {#- Spark: the months of the new versions, and the stored months of their orders. -#}
    select new_versions.order_month from new_versions

    union

    select stored_orders.order_month
    from {{ this }} as stored_orders
    where stored_orders.order_id in (select new_versions.order_id from new_versions)

),

orders_to_rerank as (

    {#- Spark: the touched orders and every stored order of the months replaced. -#}
    select new_versions.order_id from new_versions

    union

    select stored_orders.order_id
    from {{ this }} as stored_orders
    where stored_orders.order_month in (
        select months_to_replace.order_month from months_to_replace
    )

),

{% endif -%}
versions as (

    {#- The raw versions of the touched orders, cleaned as base_shop__orders cleans them: read
        through the view, every raw version was cleaned before the filter on the (cleaned)
        key could apply. -#}
    {%- if replaces_months %}
    {%- set touched_raw_orders -%}
    (
        select * from {{ source('shop', 'shop_orders') }} as raw_orders
        where {{ clean_text('raw_orders.order_id') }} in (
            select orders_to_rerank.order_id from orders_to_rerank
        )
    )
    {%- endset %}
    {%- else %}
    {%- set touched_raw_orders -%}
    (
        {#- the touched ids from the raw table: the cleaned key of the rows of the new loads,
            the stamp compared as the base view computes its _loaded_at. Through the view,
            PostgreSQL would have to push the filter on the stamp into its cleaning, which
            then could not compute each cast once per row (macro cte_expressions_once). #}
        select * from {{ source('shop', 'shop_orders') }} as raw_orders
        where {{ clean_text('raw_orders.order_id') }} in (
            select {{ clean_text('new_raw_orders.order_id') }}
            from {{ source('shop', 'shop_orders') }} as new_raw_orders
            {{ where_not_yet_loaded(loaded_at_column('new_raw_orders')) }}
        )
    )
    {%- endset %}
    {%- endif %}
    select * from (
        {{ clean_shop_orders(touched_raw_orders) }}
    ) as touched_versions
    where row_disposition = 'valid'

),

repeated_order_ids as (

    select order_id
    from versions
    group by order_id
    having count(*) > 1

),

single_version_rows as (

    select versions.*
    from versions
    left join repeated_order_ids
        on versions.order_id = repeated_order_ids.order_id
    where repeated_order_ids.order_id is null

),

repeated_version_rows as (

    select versions.*
    from versions
    inner join repeated_order_ids
        on versions.order_id = repeated_order_ids.order_id

),

{%- else %}
repeated_order_ids as (

    {#- The keys with several raw rows, valid or not: a superset of the orders with several
        valid versions, found from the key column alone. Each raw row is then cleaned once, in
        the branch its key sends it to; cleaning all versions first and splitting them made
        the engine buffer 10 M cleaned rows (docs/decisions.md, "Staging at scale"). -#}
    select raw_keys.order_id
    from (
        select {{ clean_text('raw_orders.order_id') }} as order_id
        from {{ source('shop', 'shop_orders') }} as raw_orders
    ) as raw_keys
    where raw_keys.order_id is not null
    group by raw_keys.order_id
    having count(*) > 1

),

{%- for branch, join_type, unmatched_only in [
    ('single_version_rows', 'left', 'repeated_order_ids.order_id is null'),
    ('repeated_version_rows', 'inner', 'true')
] %}

{{ branch }} as (

    {#- A join, not `[not] in (subquery)`: PostgreSQL runs `not in` as a scan of the keys per
        row once they outgrow work_mem. -#}
    {%- set raw_rows -%}
    (
        select raw_orders.*
        from {{ source('shop', 'shop_orders') }} as raw_orders
        {{ join_type }} join repeated_order_ids
            on {{ clean_text('raw_orders.order_id') }} = repeated_order_ids.order_id
        where {{ unmatched_only }}
    )
    {%- endset %}
    select * from (
        {{ clean_shop_orders(raw_rows) }}
    ) as cleaned_versions
    where row_disposition = 'valid'

),
{%- endfor %}
{%- endif %}

single_versions as (

    select
        single_version_rows.*,
        1 as version_rank,
        single_version_rows._loaded_at as last_loaded_at

    from single_version_rows

),

ranked_versions as (

    select
        repeated_version_rows.*,
        row_number() over (
            partition by repeated_version_rows.order_id
            -- the latest version; versions written at the same instant are told apart by
            -- their content (an order by columns: cheaper than hashing every row)
            order by
                repeated_version_rows.updated_at desc nulls last,
                repeated_version_rows.order_status asc,
                repeated_version_rows.ordered_at asc,
                repeated_version_rows.currency_code asc,
                repeated_version_rows.gross_amount_local asc,
                repeated_version_rows.discount_amount_local asc nulls last,
                repeated_version_rows.tax_amount_local asc nulls last,
                repeated_version_rows.shipping_amount_local asc nulls last,
                repeated_version_rows.refunded_amount_local asc nulls last,
                repeated_version_rows.contact_id asc nulls last,
                repeated_version_rows.customer_email asc nulls last,
                repeated_version_rows.sales_channel asc nulls last
        ) as version_rank,
        max(repeated_version_rows._loaded_at) over (
            partition by repeated_version_rows.order_id
        ) as last_loaded_at

    from repeated_version_rows

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
        {%- if replaces_months %}
        {{ partition_month('ordered_at') }} as order_month,
        {%- endif %}
        {{ run_started_timestamp() }} as _written_at

    from amounts

)

select * from final
