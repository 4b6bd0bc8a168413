{#-
    In an exclusive family a customer's stays never overlap, and a customer present in the
    family at the latest as-of date has exactly one current stay in it. Returns offenders.
-#}
with

history as (

    select * from {{ ref('fct_customer_segment_history') }}

),

families as (

    select distinct
        segment_family,
        is_family_exclusive

    from {{ ref('dim_segments') }}

),

exclusive_history as (

    select history.*
    from history
    inner join families
        on history.segment_family = families.segment_family
    where families.is_family_exclusive

),

overlapping_stays as (

    select
        first_stay.customer_id,
        first_stay.segment_family,
        'overlapping stays' as problem

    from exclusive_history as first_stay
    inner join exclusive_history as second_stay
        on
            first_stay.customer_id = second_stay.customer_id
            and first_stay.segment_family = second_stay.segment_family
            and first_stay.segment_key < second_stay.segment_key
            and first_stay.valid_from <= second_stay.last_as_of_date
            and first_stay.last_as_of_date >= second_stay.valid_from

),

snapshots as (

    select * from {{ ref('fct_customer_segment_snapshots') }}

),

latest_date as (

    select max(snapshots.as_of_date) as as_of_date
    from snapshots

),

latest_members as (

    {#- who is in each exclusive family at the latest built as-of date -#}
    select distinct
        snapshots.customer_id,
        snapshots.segment_family

    from snapshots
    inner join latest_date
        on snapshots.as_of_date = latest_date.as_of_date
    inner join families
        on snapshots.segment_family = families.segment_family
    where families.is_family_exclusive

),

current_counts as (

    select
        latest_members.customer_id,
        latest_members.segment_family,
        'not exactly one current stay' as problem

    from latest_members
    left join exclusive_history
        on
            latest_members.customer_id = exclusive_history.customer_id
            and latest_members.segment_family = exclusive_history.segment_family
            and exclusive_history.is_current
    group by latest_members.customer_id, latest_members.segment_family
    having count(exclusive_history.customer_id) <> 1

)

select * from overlapping_stays
union all
select * from current_counts
