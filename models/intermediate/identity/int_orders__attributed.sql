{#-
    One row per staged order with the customer it belongs to and how it was matched:
    - contact_id:            the order's contact is a surviving CRM contact;
    - merged_contact:        the order's contact was merged into another: rolled up to it;
    - guest_email:           a guest order whose email belongs to a CRM contact;
    - unknown_contact_email: the order's contact_id is not in the CRM but its email is;
    - unmatched:             none of these; kept with a null customer_id and counted in
                             int_identity__match_summary, never dropped.
    `is_purchase` marks the orders that count as purchases: a status in var('purchase_statuses')
    and a positive net amount (not fully refunded).
    A table, not a view: read through a view, the purchase filter of its readers reached the
    orders' scan, DuckDB guessed it kept a fifth of the orders (it keeps most) and built the
    identity joins' hash tables from the orders, which ran out of memory at 5 M contacts
    (docs/decisions.md, "Orders without a base table").

    Incremental (delete+insert on order_id): a run attributes the orders stg_shop__orders wrote
    since this model's last run (new orders and new versions, by `_written_at`) and re-derives
    the stored orders whose attribution may have changed: those whose contact id or email
    int_identity__crm_changes logged since this model's newest write (a merge, a contact that
    reached the CRM, an email that now belongs to another customer), and those whose purchase
    flag or time zone differs from the current vars. So the table equals a full refresh. The
    emails are looked up in stg_shop__orders (not stored here). Spark's Parquet tables cannot
    replace rows, only partitions: there the table is partitioned as stg_shop__orders
    (order_month) and a run replaces whole months: the staged months of the orders written
    since or to be re-derived, and the stored months of the orders written since (one that
    moved leaves its old month), every staged order of those months attributed again.
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
-- depends_on: {{ ref('int_identity__crm_changes') }} (read by incremental runs only)
{{ assert_stored_columns(['_written_at', 'reporting_timezone']) }}

with

staged_orders as (

    select * from {{ ref('stg_shop__orders') }}

),

survivors as (

    select * from {{ ref('int_contacts__survivors') }}

),

email_matches as (

    select * from {{ ref('int_identity__email_matches') }}

),

{% if is_incremental() %}
orders_to_rederive as (

    {#- An order of a surviving contact is attributed through its contact alone: re-deriving
        it when only its email changed is extra work, never a wrong row. Read from the table,
        not through the staged_orders CTE: a second reader makes DuckDB buffer the CTE. -#}
    select staged_order_keys.order_id

    from {{ ref('stg_shop__orders') }} as staged_order_keys
    where
        staged_order_keys.contact_id in (
            {{ identifiers_logged_since_last_write(ref('int_identity__crm_changes'), 'contact_id') }}
        )
        or staged_order_keys.customer_email in (
            {{ identifiers_logged_since_last_write(ref('int_identity__crm_changes'), 'email') }}
        )

    union all

    select stored_orders.order_id

    from {{ this }} as stored_orders
    where
        {{ is_purchase('stored_orders.order_status', 'stored_orders.net_amount') }}
        <> stored_orders.is_purchase
        or stored_orders.reporting_timezone <> '{{ var("reporting_timezone") }}'

),

{%- if replaces_months %}
months_to_replace as (

    {#- Spark: the months whose orders the run attributes again, whole. -#}
    select staged_order_keys.order_month
    from {{ ref('stg_shop__orders') }} as staged_order_keys
    where
        staged_order_keys._written_at > {{ newest_processed_stamp('_written_at') }}
        or staged_order_keys.order_id in (
            select orders_to_rederive.order_id from orders_to_rederive
        )

    union

    select stored_orders.order_month
    from {{ this }} as stored_orders
    where stored_orders.order_id in (
        select written_orders.order_id
        from {{ ref('stg_shop__orders') }} as written_orders
        where written_orders._written_at > {{ newest_processed_stamp('_written_at') }}
    )

),

{% endif %}
{% endif %}
orders as (

    select * from staged_orders
    {%- if is_incremental() and replaces_months %}
    where staged_orders.order_month in (
        select months_to_replace.order_month from months_to_replace
    )
    {%- elif is_incremental() %}
    where
        staged_orders._written_at > {{ newest_processed_stamp('_written_at') }}
        or staged_orders.order_id in (
            select orders_to_rederive.order_id from orders_to_rederive
        )
    {%- endif %}

),

matched as (

    select
        orders.*,
        survivors.customer_id as contact_customer_id,
        survivors.is_survivor as is_contact_survivor,
        email_matches.customer_id as email_customer_id

    from orders
    left join survivors
        on orders.contact_id = survivors.contact_id
    left join email_matches
        on orders.customer_email = email_matches.email

),

final as (

    select
        order_id,
        contact_id,
        coalesce(contact_customer_id, email_customer_id) as customer_id,
        case
            when contact_customer_id is not null and is_contact_survivor then 'contact_id'
            when contact_customer_id is not null then 'merged_contact'
            when contact_id is null and email_customer_id is not null then 'guest_email'
            when email_customer_id is not null then 'unknown_contact_email'
            else 'unmatched'
        end as identity_match_method,
        order_status,
        sales_channel,
        currency_code,
        reporting_currency_rate,
        gross_amount,
        discount_amount,
        refunded_amount,
        net_amount,
        {{ is_purchase('order_status', 'net_amount') }} as is_purchase,
        is_guest_order,
        '{{ var("reporting_timezone") }}' as reporting_timezone,
        {{ to_reporting_date('ordered_at') }} as ordered_date,
        ordered_at,
        {%- if replaces_months %}
        order_month,
        {%- endif %}
        {{ run_started_timestamp() }} as _written_at

    from matched

)

select * from final
