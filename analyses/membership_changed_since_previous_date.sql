-- Memberships that left and entered between the two latest built as-of dates, per family, and
-- how many customers that touches: the share of the membership one daily run changes.
with

snapshots as (

    select
        customer_id,
        segment_key,
        segment_family,
        as_of_date

    from {{ ref('fct_customer_segment_snapshots') }}

),

built_dates as (

    select
        as_of_date,
        row_number() over (order by as_of_date desc) as recency

    from (select distinct snapshots.as_of_date from snapshots) as dates

),

two_latest as (

    {#- the memberships of the latest (recency 1) and the previous (recency 2) built date -#}
    select
        snapshots.customer_id,
        snapshots.segment_key,
        snapshots.segment_family,
        built_dates.recency

    from snapshots
    inner join built_dates
        on snapshots.as_of_date = built_dates.as_of_date
    where built_dates.recency <= 2

),

latest as (

    select
        customer_id,
        segment_key,
        segment_family

    from two_latest
    where recency = 1

),

previous as (

    select
        customer_id,
        segment_key,
        segment_family

    from two_latest
    where recency = 2

),

left_memberships as (

    select * from previous
    except
    select * from latest

),

entered_memberships as (

    select * from latest
    except
    select * from previous

),

changes as (

    select
        'left' as change_type,
        customer_id,
        segment_family
    from left_memberships

    union all

    select
        'entered' as change_type,
        customer_id,
        segment_family
    from entered_memberships

)

select
    change_type,
    segment_family,
    count(*) as memberships,
    count(distinct customer_id) as customers

from changes
group by change_type, segment_family

union all

select
    'any' as change_type,
    'all' as segment_family,
    count(*) as memberships,
    count(distinct customer_id) as customers

from changes

order by change_type asc, memberships desc
