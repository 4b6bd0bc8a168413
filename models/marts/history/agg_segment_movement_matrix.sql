{#-
    The movement matrix per exclusive family and period: how many customers went from segment A
    to segment B between consecutive as-of dates, by month of the later date ("how many Loyal
    Customers became At Risk last month"). Customers who stayed are counted on the diagonal
    (from = to), so each row of the matrix sums to the segment's members at the earlier date.
-#}
with

snapshots as (

    select * from {{ ref('fct_customer_segment_snapshots') }}

),

families as (

    select distinct
        segment_family,
        is_family_exclusive

    from {{ ref('dim_segments') }}

),

snapshot_dates as (

    select
        as_of_date,
        lag(as_of_date) over (order by as_of_date) as previous_as_of_date

    from (select distinct as_of_date from snapshots) as dates

),

primary_segments as (

    select
        snapshots.as_of_date,
        snapshots.customer_id,
        snapshots.segment_family,
        snapshots.segment_key

    from snapshots
    inner join families
        on snapshots.segment_family = families.segment_family
    where families.is_family_exclusive and snapshots.is_primary

),

earlier as (

    {#- each date's primary segments, carried to the next date they are compared on -#}
    select
        snapshot_dates.as_of_date,
        snapshot_dates.previous_as_of_date,
        primary_segments.customer_id,
        primary_segments.segment_family,
        primary_segments.segment_key

    from primary_segments
    inner join snapshot_dates
        on primary_segments.as_of_date = snapshot_dates.previous_as_of_date

),

later as (

    select
        snapshot_dates.as_of_date,
        snapshot_dates.previous_as_of_date,
        primary_segments.customer_id,
        primary_segments.segment_family,
        primary_segments.segment_key

    from primary_segments
    inner join snapshot_dates
        on primary_segments.as_of_date = snapshot_dates.as_of_date
    where snapshot_dates.previous_as_of_date is not null

),

pairs as (

    select
        coalesce(earlier.as_of_date, later.as_of_date) as as_of_date,
        coalesce(earlier.previous_as_of_date, later.previous_as_of_date) as previous_as_of_date,
        coalesce(earlier.segment_family, later.segment_family) as segment_family,
        coalesce(earlier.segment_key, '(none)') as from_segment,
        coalesce(later.segment_key, '(none)') as to_segment

    from earlier
    full outer join later
        on
            earlier.as_of_date = later.as_of_date
            and earlier.customer_id = later.customer_id
            and earlier.segment_family = later.segment_family

),

final as (

    select
        segment_family,
        from_segment,
        to_segment,
        count(*) as customers,
        cast({{ dbt.date_trunc('month', 'as_of_date') }} as date) as period_month,
        previous_as_of_date,
        as_of_date

    from pairs
    group by
        segment_family,
        from_segment,
        to_segment,
        cast({{ dbt.date_trunc('month', 'as_of_date') }} as date),
        previous_as_of_date,
        as_of_date

)

select * from final
