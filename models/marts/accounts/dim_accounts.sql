{#-
    One row per B2B account with its firmographics, technographics and activity rolled up from
    its contacts, as of the as-of date. Account segment rules are conditions over these columns.
-#}
with

firmographics as (

    select * from {{ ref('int_accounts__firmographics') }}

),

technographics as (

    select * from {{ ref('int_accounts__technographics') }}

),

activity as (

    select * from {{ ref('int_accounts__activity') }}

),

as_of as (

    select * from {{ ref('int_reporting__as_of_date') }}

),

final as (

    select
        firmographics.account_id,
        firmographics.account_name,
        firmographics.website_domain,
        firmographics.industry,
        firmographics.industry_group,
        firmographics.employee_band,
        firmographics.revenue_band,
        firmographics.country_code,
        firmographics.country_name,
        firmographics.sales_region,
        firmographics.continent,
        technographics.crm_technology,
        technographics.technologies,
        firmographics.employee_count,
        firmographics.annual_revenue,
        technographics.known_technologies,
        technographics.unknown_technologies,
        activity.contacts,
        activity.buying_contacts,
        activity.active_users_7d,
        activity.active_users_30d,
        activity.events_30d,
        activity.lifetime_net_revenue,
        activity.revenue_12m,
        activity.adoption_rate_30d,
        technographics.uses_crm,
        technographics.uses_data_warehouse,
        technographics.uses_database,
        technographics.uses_bi,
        technographics.uses_collaboration,
        technographics.uses_customer_support,
        technographics.uses_ecommerce,
        technographics.uses_payments,
        technographics.uses_cloud,
        technographics.uses_customer_data_platform,
        technographics.uses_marketing_automation,
        activity.is_weekly_active,
        activity.last_seen_date,
        as_of.as_of_date,
        firmographics.created_at

    from firmographics
    inner join technographics
        on firmographics.account_id = technographics.account_id
    inner join activity
        on firmographics.account_id = activity.account_id
    cross join as_of

)

select * from final
