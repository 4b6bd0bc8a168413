{#-
    RFM per customer as of the as-of date. Recency: days from the last purchase to the as-of
    date. Frequency: purchases in the last var('rfm_lookback_days') days. Monetary: their net
    revenue in the reporting currency. Scores 1-5, 5 best, by var('rfm_scoring_method'):
    - quantile: recency quintiles over the customers with at least one purchase, frequency and
      monetary quintiles over those with a purchase in the lookback window (the others score 1
      on both); ties always share a score (rank based, see macro quintile_score). Scores are
      relative to the customer base.
    - fixed: the cut points in var('rfm_fixed_cutpoints'); a customer's score changes only
      when their own behaviour does.
    The named RFM segment comes from the R and F scores through the seed rfm_segments.
    Customers without a purchase have null scores and segment.

    Incremental (delete+insert on customer_id), like int_customers__lifecycle: a daily run
    counts the purchases again only for the customers whose purchases can have changed since
    this model's last write: the customers of orders int_orders__attributed wrote since (new
    orders and versions, re-attributed orders, a changed purchase flag), the old owners of the
    contact ids and emails the CRM change log logged since, the customers with a purchase on a
    day that enters or leaves "up to the as-of date" or the lookback window as the as-of date
    moves, the customers whose stored row was counted over another var('rfm_lookback_days'),
    and customers not stored yet. Every other customer's purchases are the same, so its stored
    frequency, monetary value and last purchase hold and its recency moves by the days the
    as-of date moved. The scores (quintiles are relative to every buyer) and the segment are
    derived again for every customer. Customers that left int_customers__base are deleted by
    the post-hook. So the table equals a full refresh. Spark's Parquet tables cannot replace
    rows: there it is a table.
-#}
{%- set method = var('rfm_scoring_method') -%}
{%- set cut_points = var('rfm_fixed_cutpoints') -%}
{%- set lookback_days = var('rfm_lookback_days') -%}
{%- if method not in ('quantile', 'fixed') -%}
    {{ exceptions.raise_compiler_error(
        "var rfm_scoring_method must be 'quantile' or 'fixed', got '" ~ method ~ "'"
    ) }}
{%- endif -%}
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
-- depends_on: {{ ref('int_orders__attributed') }}
{{ assert_stored_columns(['rfm_lookback_days', '_written_at']) }}

with

customers as (

    select * from {{ ref('int_customers__base') }}

),

purchases as (

    select * from {{ ref('int_orders__purchases') }}

),

rfm_segments as (

    select * from {{ ref('rfm_segments') }}

),

{% if is_incremental() %}
as_of_dates as (

    {{ as_of_dates_since_last_write('customers') }}

),

customers_to_count as (

    {#- An order written since counts whatever its purchase flag (it may have just lost it). -#}
    select orders.customer_id
    from {{ ref('int_orders__attributed') }} as orders
    cross join as_of_dates
    where
        orders._written_at > {{ newest_processed_stamp('_written_at') }}
        or (
            orders.is_purchase
            and {{ on_a_moving_window_edge('orders.ordered_date', [0, lookback_days]) }}
        )

    union

    select stored_rows.customer_id
    from {{ this }} as stored_rows
    where stored_rows.rfm_lookback_days <> {{ lookback_days }}

    union

    {{ customers_of_logged_identifiers(['contact_id', 'email']) }}

),

{{ carried_over_and_counted_customers('customers', 'customers_to_count') }},

{% endif %}
purchase_totals as (

    select
        purchases.customer_id,
        min(purchases.days_before_as_of) as recency_days,
        sum(
            case when purchases.days_before_as_of < {{ lookback_days }} then 1 else 0 end
        ) as frequency,
        sum(
            case
                when purchases.days_before_as_of < {{ lookback_days }}
                    then purchases.net_amount
                else 0
            end
        ) as monetary,
        max(purchases.ordered_date) as last_purchase_date

    from purchases
    {%- if is_incremental() %}
    inner join counted_customers
        on purchases.customer_id = counted_customers.customer_id
    {%- endif %}
    group by purchases.customer_id

),

customer_totals as (

    select
        customers.customer_id,
        purchase_totals.customer_id is not null as has_purchased,
        purchase_totals.recency_days,
        purchase_totals.frequency,
        purchase_totals.monetary,
        purchase_totals.last_purchase_date,
        customers.as_of_date

    from {{ counted_customers }} as customers
    left join purchase_totals
        on customers.customer_id = purchase_totals.customer_id
    {%- if is_incremental() %}

    union all

    {#- The same purchases, seen from an as-of date that moved: the recency moves with it (a
        stored customer without purchases has none). #}
    select
        customer_id,
        has_purchased,
        recency_days + {{ dbt.datediff('as_of_date', 'current_as_of_date', 'day') }}
            as recency_days,
        frequency,
        monetary,
        last_purchase_date,
        current_as_of_date as as_of_date

    from carried_over
    {%- endif %}

),

ranked as (

    {#- Recency is ranked over every buyer, counted or carried alike (the customers without a
        purchase are a partition of their own). Frequency and monetary are ranked over the
        buyers with a purchase in the lookback window; the others score 1 on them. -#}
    select
        *,
        rank() over (partition by has_purchased order by recency_days desc) as recency_rank,
        count(*) over (partition by has_purchased) as scored_customers,
        rank() over (partition by frequency > 0 order by frequency asc) as frequency_rank,
        count(*) over (partition by frequency > 0) as window_buyers,
        rank() over (partition by monetary > 0 order by monetary asc) as monetary_rank,
        count(*) over (partition by monetary > 0) as window_spenders

    from customer_totals

),

scored as (

    {#- Customers without a purchase get no scores. -#}
    select
        customer_id,
        has_purchased,
        recency_days,
        frequency,
        monetary,
        last_purchase_date,
        as_of_date,
        {%- if method == 'quantile' %}
        case
            when has_purchased then {{ quintile_score('recency_rank', 'scored_customers') }}
        end as r_score,
        case
            when not has_purchased then null
            when frequency > 0 then {{ quintile_score('frequency_rank', 'window_buyers') }}
            else 1
        end as f_score,
        case
            when not has_purchased then null
            when monetary > 0 then {{ quintile_score('monetary_rank', 'window_spenders') }}
            else 1
        end as m_score
        {%- else %}
        case
            when has_purchased
                then {{ threshold_score('recency_days', cut_points.recency_days, false) }}
        end as r_score,
        case
            when has_purchased then {{ threshold_score('frequency', cut_points.frequency) }}
        end as f_score,
        case
            when has_purchased then {{ threshold_score('monetary', cut_points.monetary) }}
        end as m_score
        {%- endif %}

    from ranked

),

final as (

    select
        scored.customer_id,
        {{ dbt.concat([
            "cast(scored.r_score as " ~ dbt.type_string() ~ ")",
            "cast(scored.f_score as " ~ dbt.type_string() ~ ")",
            "cast(scored.m_score as " ~ dbt.type_string() ~ ")",
        ]) }} as rfm_cell,
        rfm_segments.rfm_segment,
        '{{ method }}' as rfm_scoring_method,
        cast(scored.recency_days as {{ dbt.type_int() }}) as recency_days,
        cast(coalesce(scored.frequency, 0) as {{ dbt.type_int() }}) as frequency,
        {#- computed sums and stored amounts: one type again after their union -#}
        cast(coalesce(scored.monetary, 0) as {{ type_amount() }}) as monetary,
        cast(scored.r_score as {{ dbt.type_int() }}) as r_score,
        cast(scored.f_score as {{ dbt.type_int() }}) as f_score,
        cast(scored.m_score as {{ dbt.type_int() }}) as m_score,
        scored.has_purchased,
        scored.last_purchase_date,
        scored.as_of_date,
        cast({{ lookback_days }} as {{ dbt.type_int() }}) as rfm_lookback_days,
        {{ run_started_timestamp() }} as _written_at

    from scored
    left join rfm_segments
        on
            scored.r_score = rfm_segments.r_score
            and scored.f_score = rfm_segments.f_score

)

select * from final
