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
-#}
{%- set method = var('rfm_scoring_method') -%}
{%- set cut_points = var('rfm_fixed_cutpoints') -%}
{%- if method not in ('quantile', 'fixed') -%}
    {{ exceptions.raise_compiler_error(
        "var rfm_scoring_method must be 'quantile' or 'fixed', got '" ~ method ~ "'"
    ) }}
{%- endif -%}

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

purchase_totals as (

    select
        customer_id,
        min(days_before_as_of) as recency_days,
        sum(
            case when days_before_as_of < {{ var('rfm_lookback_days') }} then 1 else 0 end
        ) as frequency,
        sum(
            case
                when days_before_as_of < {{ var('rfm_lookback_days') }} then net_amount
                else 0
            end
        ) as monetary,
        max(ordered_date) as last_purchase_date

    from purchases
    group by customer_id

),

ranked as (

    {#- Recency is ranked over every buyer. Frequency and monetary are ranked over the buyers
        with a purchase in the lookback window; the others score 1 on them. -#}
    select
        *,
        rank() over (order by recency_days desc) as recency_rank,
        count(*) over () as scored_customers,
        rank() over (partition by frequency > 0 order by frequency asc) as frequency_rank,
        count(*) over (partition by frequency > 0) as window_buyers,
        rank() over (partition by monetary > 0 order by monetary asc) as monetary_rank,
        count(*) over (partition by monetary > 0) as window_spenders

    from purchase_totals

),

scored as (

    select
        customer_id,
        recency_days,
        frequency,
        monetary,
        last_purchase_date,
        {%- if method == 'quantile' %}
        {{ quintile_score('recency_rank', 'scored_customers') }} as r_score,
        case
            when frequency > 0 then {{ quintile_score('frequency_rank', 'window_buyers') }}
            else 1
        end as f_score,
        case
            when monetary > 0 then {{ quintile_score('monetary_rank', 'window_spenders') }}
            else 1
        end as m_score
        {%- else %}
        {{ threshold_score('recency_days', cut_points.recency_days, false) }} as r_score,
        {{ threshold_score('frequency', cut_points.frequency) }} as f_score,
        {{ threshold_score('monetary', cut_points.monetary) }} as m_score
        {%- endif %}

    from ranked

),

final as (

    select
        customers.customer_id,
        {{ dbt.concat([
            "cast(scored.r_score as " ~ dbt.type_string() ~ ")",
            "cast(scored.f_score as " ~ dbt.type_string() ~ ")",
            "cast(scored.m_score as " ~ dbt.type_string() ~ ")",
        ]) }} as rfm_cell,
        rfm_segments.rfm_segment,
        '{{ method }}' as rfm_scoring_method,
        cast(scored.recency_days as {{ dbt.type_int() }}) as recency_days,
        cast(coalesce(scored.frequency, 0) as {{ dbt.type_int() }}) as frequency,
        cast(coalesce(scored.monetary, 0) as {{ type_amount() }}) as monetary,
        cast(scored.r_score as {{ dbt.type_int() }}) as r_score,
        cast(scored.f_score as {{ dbt.type_int() }}) as f_score,
        cast(scored.m_score as {{ dbt.type_int() }}) as m_score,
        scored.customer_id is not null as has_purchased,
        scored.last_purchase_date,
        customers.as_of_date

    from customers
    left join scored
        on customers.customer_id = scored.customer_id
    left join rfm_segments
        on
            scored.r_score = rfm_segments.r_score
            and scored.f_score = rfm_segments.f_score

)

select * from final
