{#-
    One row per staged order line with its order's customer, date and purchase flag, and the
    line amount in the reporting currency. Lines whose order staging does not hold are kept
    with a null order date and customer (identity_match_method 'unknown_order') and counted.

    Incremental (delete+insert on order_item_id): a run attributes the lines of the loads it has
    not seen, and re-attributes the stored lines whose order now gives another customer, match
    method, purchase flag, date or exchange rate (a new version of the order, a contact merged,
    an order that arrived after its lines, another reporting currency or time zone). An order
    changes only by int_orders__attributed writing it again (delete+insert stamps `_written_at`;
    a full refresh writes every order), so the lines re-derived are those of the orders written
    since this model's newest write, and the table equals a full refresh; a line itself never
    changes once kept (base_shop__order_items keeps the first copy). (Until session 7 the run
    compared the order columns stored with every line with the orders: 10.7 s of the 1 M daily
    run; docs/decisions.md.) Spark's Parquet tables cannot replace rows, only partitions: there
    a line is stored under its order's month (order_month; a line whose order has not arrived
    under the month of its load) and a run replaces whole months: those of the new lines, of
    the orders written since, and the stored months of those orders' lines (an order that moved
    or arrived takes its lines out of their old month), every line of those months attributed
    again.
-#}
{%- set replaces_months = target.type == 'spark' -%}
{{
    config(
        materialized='incremental',
        incremental_strategy=('insert_overwrite' if target.type == 'spark' else 'delete+insert'),
        unique_key=(none if target.type == 'spark' else 'order_item_id'),
        partition_by=('order_month' if target.type == 'spark' else none),
        file_format=('parquet' if target.type == 'spark' else none),
        on_schema_change='fail'
    )
}}
{{ assert_stored_columns(['_loaded_at', 'reporting_currency_rate', '_written_at']) }}

with

order_items as (

    select * from {{ ref('stg_shop__order_items') }}

),

orders as (

    select * from {{ ref('int_orders__attributed') }}

),

new_order_items as (

    select * from order_items
    {{ where_not_yet_loaded('_loaded_at') }}

),

{% if is_incremental() %}
reattributed_orders as (

    {#- From the table, not the orders CTE: a second reader makes DuckDB buffer the CTE. -#}
    select written_orders.order_id
    from {{ ref('int_orders__attributed') }} as written_orders
    where written_orders._written_at > {{ newest_processed_stamp('_written_at') }}

),

reattributed_order_items as (

    select * from order_items
    where order_id in (select reattributed_orders.order_id from reattributed_orders)

),

{%- if replaces_months %}
months_to_replace as (

    {#- Spark: the months of the new lines, of the orders written since, and the stored months
        of those orders' lines. -#}
    select {{ line_month('line_orders', 'new_order_items') }} as order_month
    from new_order_items
    left join {{ ref('int_orders__attributed') }} as line_orders
        on new_order_items.order_id = line_orders.order_id

    union

    select written_orders.order_month
    from {{ ref('int_orders__attributed') }} as written_orders
    where written_orders._written_at > {{ newest_processed_stamp('_written_at') }}

    union

    select stored_lines.order_month
    from {{ this }} as stored_lines
    where stored_lines.order_id in (select reattributed_orders.order_id from reattributed_orders)

),

{%- endif %}
{% endif %}
order_items_to_attribute as (

    {%- if is_incremental() and replaces_months %}
    select * from order_items
    {%- else %}
    select * from new_order_items
    {%- endif %}
    {%- if is_incremental() and not replaces_months %}

    union all

    -- a new line of a re-attributed order is already among the new lines: the others were
    -- loaded before this model's newest stamp (a filter, not `not in` the new lines, which
    -- PostgreSQL scans per row once they outgrow work_mem)
    select * from reattributed_order_items
    where _loaded_at <= {{ newest_processed_stamp('_loaded_at') }}
    {%- endif %}

),

final as (

    select
        order_items_to_attribute.order_item_id,
        order_items_to_attribute.order_id,
        orders.customer_id,
        coalesce(orders.identity_match_method, 'unknown_order') as identity_match_method,
        order_items_to_attribute.sku,
        order_items_to_attribute.product_category,
        order_items_to_attribute.quantity,
        {{ convert_at_rate(
            'order_items_to_attribute.line_amount_local', 'orders.reporting_currency_rate'
        ) }} as line_amount,
        orders.reporting_currency_rate,
        coalesce(orders.is_purchase, false) as is_purchase,
        orders.ordered_date,
        order_items_to_attribute._loaded_at,
        {%- if replaces_months %}
        {{ line_month('orders', 'order_items_to_attribute') }} as order_month,
        {%- endif %}
        {{ run_started_timestamp() }} as _written_at

    from order_items_to_attribute
    left join orders
        on order_items_to_attribute.order_id = orders.order_id
    {%- if is_incremental() and replaces_months %}
    where
        {{ line_month('orders', 'order_items_to_attribute') }}
        in (select months_to_replace.order_month from months_to_replace)
    {%- endif %}

)

select * from final
