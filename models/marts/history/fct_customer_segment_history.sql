{#-
    From when to when each customer was in each segment: one row per uninterrupted stay, from
    the snapshots of all as-of dates built so far. valid_from is the first as-of date of the
    stay; valid_to the first as-of date at which the customer was no longer in it (null while
    current); is_current marks stays that include the latest as-of date.
-#}
with

snapshots as (

    select * from {{ ref('fct_customer_segment_snapshots') }}

),

snapshot_dates as (

    select
        as_of_date,
        row_number() over (order by as_of_date) as date_number,
        lead(as_of_date) over (order by as_of_date) as next_as_of_date

    from (select distinct as_of_date from snapshots) as dates

),

numbered as (

    select
        snapshots.customer_id,
        snapshots.segment_key,
        snapshots.segment_family,
        snapshots.as_of_date,
        snapshot_dates.next_as_of_date,
        {#- consecutive snapshot dates of one stay share this island number -#}
        snapshot_dates.date_number - row_number() over (
            partition by snapshots.customer_id, snapshots.segment_key
            order by snapshots.as_of_date
        ) as stay_number

    from snapshots
    inner join snapshot_dates
        on snapshots.as_of_date = snapshot_dates.as_of_date

),

stays as (

    select
        customer_id,
        segment_key,
        segment_family,
        stay_number,
        min(as_of_date) as valid_from,
        max(as_of_date) as last_as_of_date,
        count(*) as snapshots_in_stay

    from numbered
    group by customer_id, segment_key, segment_family, stay_number

),

final as (

    select
        stays.customer_id,
        stays.segment_key,
        stays.segment_family,
        cast(stays.snapshots_in_stay as {{ dbt.type_int() }}) as snapshots_in_stay,
        snapshot_dates.next_as_of_date is null as is_current,
        stays.valid_from,
        snapshot_dates.next_as_of_date as valid_to,
        stays.last_as_of_date

    from stays
    inner join snapshot_dates
        on stays.last_as_of_date = snapshot_dates.as_of_date

)

select * from final
