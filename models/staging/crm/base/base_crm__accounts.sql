{#-
    Every raw account row with its disposition (kept, duplicate, rejected) and cleaned columns.
    The CRM writes a row per change: the latest valid version of an account is its state; a
    deleted latest version takes the account out, a later restoring version brings it back.
-#}
with

source as (

    select * from {{ source('crm', 'crm_accounts') }}

),

country_aliases as (

    select * from {{ ref('country_aliases') }}

),

currencies as (

    select * from {{ ref('currencies') }}

),

cleaned as {{ cte_expressions_once() }} (

    select
        {{ clean_text('source.account_id') }} as account_id,
        {{ clean_text('source.account_name') }} as account_name,
        {{ normalize_domain('source.website_domain') }} as website_domain,
        {{ clean_text('source.industry') }} as industry,
        country_aliases.country_code,
        {{ clean_text('source.region') }} as region,
        {{ clean_text('source.city') }} as city,
        {{ normalize_list('source.technologies') }} as technologies,
        upper({{ clean_text('source.revenue_currency') }}) as revenue_currency_code,
        currencies.units_per_usd as revenue_currency_units_per_usd,
        reporting_currency.units_per_usd as reporting_units_per_usd,
        {{ dbt.safe_cast('source.employee_count', dbt.type_int()) }} as employee_count,
        {{ dbt.safe_cast('source.annual_revenue', type_amount()) }} as annual_revenue_local,
        {{ dbt.safe_cast(clean_text('source.is_deleted'), dbt.type_boolean()) }} as is_deleted,
        {{ to_utc_timestamp('source.created_at') }} as created_at,
        {{ to_utc_timestamp('source.updated_at') }} as updated_at,
        source.employee_count as employee_count_raw,
        source.annual_revenue as annual_revenue_raw,
        source.is_deleted as is_deleted_raw,
        source.created_at as created_at_raw,
        source.updated_at as updated_at_raw,
        {{ row_fingerprint([
            'source.account_id', 'source.account_name', 'source.website_domain',
            'source.industry', 'source.employee_count', 'source.annual_revenue',
            'source.revenue_currency', 'source.country', 'source.region', 'source.city',
            'source.technologies', 'source.created_at', 'source.updated_at', 'source.is_deleted'
        ]) }} as row_fingerprint

    from source
    left join country_aliases
        on {{ normalize_lookup_key('source.country') }} = country_aliases.country_alias
    left join currencies
        on upper({{ clean_text('source.revenue_currency') }}) = currencies.currency_code
    left join currencies as reporting_currency
        on reporting_currency.currency_code = '{{ var("reporting_currency") }}'

),

validated as (

    select
        *,
        case
            when account_id is null then 'missing account_id'
            when {{ is_parse_failure('updated_at_raw', 'updated_at') }}
                then 'unparseable updated_at'
            when {{ is_parse_failure('created_at_raw', 'created_at') }}
                then 'unparseable created_at'
            when {{ is_parse_failure('employee_count_raw', 'employee_count') }}
                then 'unparseable employee_count'
            when {{ is_parse_failure('annual_revenue_raw', 'annual_revenue_local') }}
                then 'unparseable annual_revenue'
            when {{ is_parse_failure('is_deleted_raw', 'is_deleted') }}
                then 'unparseable is_deleted'
            when updated_at is null then 'missing updated_at'
            when {{ is_timestamp_out_of_range('updated_at') }} then 'updated_at out of range'
            when employee_count < 0 then 'negative employee_count'
            when annual_revenue_local < 0 then 'negative annual_revenue'
            when annual_revenue_local > {{ var('max_valid_annual_revenue') }}
                then 'annual_revenue out of range'
        end as row_rejection_reason

    from cleaned

),

ranked as (

    select
        *,
        row_number() over (
            partition by account_id, row_rejection_reason is null
            order by updated_at desc, row_fingerprint asc
        ) as version_rank

    from validated

),

with_reason as (

    select
        *,
        case
            when row_rejection_reason is not null then row_rejection_reason
            when version_rank = 1 and coalesce(is_deleted, false) then 'deleted in source'
        end as rejection_reason

    from ranked

),

final as (

    select
        *,
        {{ row_disposition('rejection_reason', 'version_rank') }} as row_disposition

    from with_reason

)

select * from final
