{#-
    How stable each customer segment is: for every pair of consecutive as-of dates, the members
    at the earlier date and how many of them were still in the segment at the later one
    (stability = still / members). A segment whose members churn out quickly has low stability.

    Incremental (append, then a post-hook deletes the rows it replaced; a table on Spark): a run
    redoes only the pairs of consecutive as-of dates that a date written since its previous run
    belongs to (macro snapshot_date_pairs).
-#}
{{
    config(
        materialized=('table' if target.type == 'spark' else 'incremental'),
        incremental_strategy='append',
        on_schema_change='fail',
        post_hook="{{ delete_redone_snapshot_pairs(
            ref('fct_customer_segment_snapshots'), 'as_of_date', 'earlier_date') }}"
    )
}}
{{ assert_stored_columns(['_written_at']) }}
with

snapshots as (

    select * from {{ ref('fct_customer_segment_snapshots') }}
    {{ snapshot_pair_dates_filter(ref('fct_customer_segment_snapshots'), 'as_of_date') }}

),

date_pairs as (

    {{ snapshot_date_pairs(ref('fct_customer_segment_snapshots'), only_redone=is_incremental()) }}

),

members_then as (

    select
        snapshots.segment_key,
        snapshots.customer_id,
        snapshots.as_of_date,
        date_pairs.later_date as next_as_of_date

    from snapshots
    inner join date_pairs
        on snapshots.as_of_date = date_pairs.earlier_date

),

members_later as (

    select
        snapshots.segment_key,
        snapshots.customer_id,
        snapshots.as_of_date

    from snapshots
    where snapshots.as_of_date in (select date_pairs.later_date from date_pairs)

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
        members_then.next_as_of_date,
        {{ run_started_timestamp() }} as _written_at

    from members_then
    left join members_later
        on
            members_then.next_as_of_date = members_later.as_of_date
            and members_then.customer_id = members_later.customer_id
            and members_then.segment_key = members_later.segment_key
    group by members_then.segment_key, members_then.as_of_date, members_then.next_as_of_date

)

select * from final
