with

accounts as (

    select * from {{ ref('base_crm__accounts') }}
    where row_disposition = 'kept'

),

final as (

    select
        account_id,
        account_name,
        website_domain,
        industry,
        country_code,
        region,
        city,
        technologies,
        revenue_currency_code,
        employee_count,
        annual_revenue_local,
        {{ to_reporting_currency(
            'annual_revenue_local', 'revenue_currency_units_per_usd', 'reporting_units_per_usd'
        ) }} as annual_revenue,
        created_at,
        updated_at

    from accounts

)

select * from final
