{#-
    Per customer segment, as of the as-of date: size and share of customers, net revenue
    (lifetime and last 12 months) and share of revenue, average order value, average recency,
    engagement (active days, share declining) and NPS (average latest score and the segment's
    NPS: % promoters - % detractors among those who answered). No personal data: BI tools read
    this table directly.
-#}
with

customer_segments as (

    select * from {{ ref('fct_customer_segments') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

segments as (

    select * from {{ ref('dim_segments') }}
    where entity_type = 'customer'

),

totals as (

    select
        count(*) as all_customers,
        sum(lifetime_net_revenue) as all_revenue

    from customers

),

member_features as (

    select
        customer_segments.segment_key,
        customers.lifetime_net_revenue,
        customers.revenue_12m,
        customers.lifetime_purchases,
        customers.recency_days,
        customers.active_days_30d,
        customers.latest_nps_score,
        customers.latest_nps_category,
        customers.is_engagement_declining

    from customer_segments
    inner join customers
        on customer_segments.customer_id = customers.customer_id

),

aggregated as (

    select
        segment_key,
        count(*) as members,
        sum(lifetime_net_revenue) as lifetime_net_revenue,
        sum(revenue_12m) as revenue_12m,
        sum(lifetime_purchases) as purchases,
        sum(recency_days) as recency_days_total,
        count(recency_days) as buyers,
        sum(active_days_30d) as active_days_30d_total,
        sum(case when is_engagement_declining then 1 else 0 end) as declining_members,
        sum(latest_nps_score) as nps_score_total,
        sum(case when latest_nps_category = 'promoter' then 1 else 0 end) as promoters,
        sum(case when latest_nps_category = 'detractor' then 1 else 0 end) as detractors,
        sum(case when latest_nps_score is not null then 1 else 0 end) as nps_respondents

    from member_features
    group by segment_key

),

final as (

    select
        segments.segment_key,
        segments.segment_family,
        segments.segment_name,
        cast(coalesce(aggregated.members, 0) as {{ dbt.type_bigint() }}) as members,
        cast(
            coalesce({{ round_divide('aggregated.members', 'totals.all_customers', 6) }}, 0)
            as {{ dbt.type_numeric() }}
        ) as share_of_customers,
        cast(coalesce(aggregated.lifetime_net_revenue, 0) as {{ type_amount() }})
            as lifetime_net_revenue,
        cast(
            coalesce(
                {{ round_divide('aggregated.lifetime_net_revenue', 'totals.all_revenue', 6) }}, 0
            ) as {{ dbt.type_numeric() }}
        ) as share_of_revenue,
        cast(coalesce(aggregated.revenue_12m, 0) as {{ type_amount() }}) as revenue_12m,
        cast(
            {{ round_divide('aggregated.lifetime_net_revenue', 'aggregated.purchases', 2) }}
            as {{ type_amount() }}
        ) as average_order_value,
        cast(
            {{ round_divide('aggregated.recency_days_total', 'aggregated.buyers', 6) }}
            as {{ dbt.type_numeric() }}
        ) as average_recency_days,
        cast(
            {{ round_divide('aggregated.active_days_30d_total', 'aggregated.members', 6) }}
            as {{ dbt.type_numeric() }}
        ) as average_active_days_30d,
        cast(
            {{ round_divide('aggregated.declining_members', 'aggregated.members', 6) }}
            as {{ dbt.type_numeric() }}
        ) as engagement_declining_share,
        cast(
            {{ round_divide('aggregated.nps_score_total', 'aggregated.nps_respondents', 6) }}
            as {{ dbt.type_numeric() }}
        ) as average_nps_score,
        cast(
            {{ round_divide(
                '100 * (aggregated.promoters - aggregated.detractors)',
                'aggregated.nps_respondents',
                6
            ) }}
            as {{ dbt.type_numeric() }}
        ) as net_promoter_score,
        segments.as_of_date

    from segments
    left join aggregated
        on segments.segment_key = aggregated.segment_key
    cross join totals

)

select * from final
