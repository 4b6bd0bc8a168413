{#-
    How stable each customer segment is: for every pair of consecutive as-of dates, the members
    at the earlier date and how many of them were still in the segment at the later one
    (stability = still / members). A segment whose members churn out quickly has low stability.
-#}
with

snapshots as (

    select * from {{ ref('fct_customer_segment_snapshots') }}

),

snapshot_dates as (

    select
        as_of_date,
        lead(as_of_date) over (order by as_of_date) as next_as_of_date

    from (select distinct as_of_date from snapshots) as dates

),

members_then as (

    select
        snapshots.segment_key,
        snapshots.customer_id,
        snapshots.as_of_date,
        snapshot_dates.next_as_of_date

    from snapshots
    inner join snapshot_dates
        on snapshots.as_of_date = snapshot_dates.as_of_date
    where snapshot_dates.next_as_of_date is not null

),

final as (

    select
        members_then.segment_key,
        count(*) as members,
        count(members_later.customer_id) as still_members,
        cast(
            {{ round_divide('count(members_later.customer_id)', 'count(*)', 6) }}
            as {{ dbt.type_numeric() }}
        ) as stability,
        members_then.as_of_date,
        members_then.next_as_of_date

    from members_then
    left join snapshots as members_later
        on
            members_then.next_as_of_date = members_later.as_of_date
            and members_then.customer_id = members_later.customer_id
            and members_then.segment_key = members_later.segment_key
    group by members_then.segment_key, members_then.as_of_date, members_then.next_as_of_date

)

select * from final
