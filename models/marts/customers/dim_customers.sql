{#-
    The customer 360: one row per customer with every feature of the intermediate layer, as of
    the as-of date. Segment rules (var segment_definitions in dbt_project.yml) are
    conditions over these columns. No email, name, phone or birth date: personal data stays in
    int_customers__base, where activation reads it.
-#}
with

customers as (

    select * from {{ ref('int_customers__base') }}

),

rfm as (

    select * from {{ ref('int_customers__rfm') }}

),

lifecycle as (

    select * from {{ ref('int_customers__lifecycle') }}

),

customer_value as (

    select * from {{ ref('int_customers__value') }}

),

engagement as (

    select * from {{ ref('int_customers__engagement') }}

),

demographics as (

    select * from {{ ref('int_customers__demographics') }}

),

interests as (

    select * from {{ ref('int_customers__interests') }}

),

technographics as (

    select * from {{ ref('int_customers__technographics') }}

),

geography as (

    select * from {{ ref('int_customers__geography') }}

),

nps as (

    select * from {{ ref('int_customers__nps') }}

),

final as (

    select
        customers.customer_id,
        customers.account_id,
        customers.crm_lifecycle_stage,
        customers.lead_source,
        geography.country_code,
        geography.country_name,
        geography.country_source,
        geography.sales_region,
        geography.continent,
        geography.subregion,
        geography.city,
        geography.preferred_language,
        demographics.gender,
        demographics.age_band,
        demographics.job_function,
        demographics.job_seniority,
        rfm.rfm_segment,
        rfm.rfm_cell,
        rfm.rfm_scoring_method,
        lifecycle.lifecycle_stage,
        customer_value.value_tier,
        engagement.engagement_tier,
        interests.top_spend_category,
        interests.top_viewed_category,
        technographics.primary_device_type,
        technographics.primary_browser,
        technographics.primary_os,
        technographics.first_touch_source,
        technographics.first_touch_medium,
        technographics.first_touch_campaign,
        nps.latest_nps_category,
        demographics.age,
        customers.merged_contacts,
        cast(
            {{ dbt.datediff('customers.created_date', 'customers.as_of_date', 'day') }}
            as {{ dbt.type_int() }}
        ) as days_since_created,
        rfm.recency_days,
        rfm.frequency,
        rfm.monetary,
        rfm.r_score,
        rfm.f_score,
        rfm.m_score,
        lifecycle.days_since_last_purchase,
        lifecycle.days_since_first_purchase,
        lifecycle.days_between_last_purchases,
        customer_value.lifetime_purchases,
        customer_value.lifetime_net_revenue,
        customer_value.average_order_value,
        customer_value.revenue_12m,
        customer_value.revenue_run_rate_12m,
        customer_value.tenure_days,
        engagement.events_7d,
        engagement.sessions_7d,
        engagement.active_days_7d,
        engagement.events_30d,
        engagement.sessions_30d,
        engagement.active_days_30d,
        engagement.events_90d,
        engagement.sessions_90d,
        engagement.active_days_90d,
        engagement.events_prior_30d,
        engagement.features_used_90d,
        engagement.pages_viewed_90d,
        engagement.lifetime_events,
        engagement.days_since_last_seen,
        engagement.engagement_trend_ratio,
        interests.top_spend_category_share,
        interests.top_viewed_category_share,
        interests.categories_purchased,
        technographics.mobile_event_share,
        nps.latest_nps_score,
        nps.nps_responses,
        nps.average_nps_score,
        customers.has_marketing_opt_in,
        customers.is_b2b,
        demographics.is_decision_maker,
        rfm.has_purchased,
        engagement.is_engagement_declining,
        technographics.is_mobile_first,
        customers.created_date,
        customer_value.first_purchase_date,
        customer_value.last_purchase_date,
        engagement.last_seen_date,
        nps.latest_responded_date,
        customers.as_of_date

    {# Every feature model holds one row per customer (tests/singular/
        assert_every_customer_has_every_feature.sql). Left joins from the customers: DuckDB
        keeps this order and builds each join's hash table from the narrow feature table;
        with inner joins of these equal-sized tables it chose build sides that carried the
        wide accumulated rows, about twice the time (docs/decisions.md, "dim_customers' nine
        joins"). A customer a feature model lost stays, with null features. #}
    from customers
    left join rfm
        on customers.customer_id = rfm.customer_id
    left join lifecycle
        on customers.customer_id = lifecycle.customer_id
    left join customer_value
        on customers.customer_id = customer_value.customer_id
    left join engagement
        on customers.customer_id = engagement.customer_id
    left join demographics
        on customers.customer_id = demographics.customer_id
    left join interests
        on customers.customer_id = interests.customer_id
    left join technographics
        on customers.customer_id = technographics.customer_id
    left join geography
        on customers.customer_id = geography.customer_id
    left join nps
        on customers.customer_id = nps.customer_id

)

select * from final
