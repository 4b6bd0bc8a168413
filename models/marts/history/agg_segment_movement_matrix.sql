{#-
    The movement matrix per exclusive family and period: how many customers went from segment A
    to segment B between consecutive as-of dates, by month of the later date ("how many Loyal
    Customers became At Risk last month"). Customers who stayed are counted on the diagonal
    (from = to), so each row of the matrix sums to the segment's members at the earlier date.

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
            ref('fct_customer_segment_snapshots'), 'as_of_date', 'later_date') }}"
    )
}}
{{ assert_stored_columns(['_written_at']) }}
with

snapshots as (

    select * from {{ ref('fct_customer_segment_snapshots') }}
    {{ snapshot_pair_dates_filter(ref('fct_customer_segment_snapshots'), 'as_of_date') }}

),

families as (

    select distinct
        segment_family,
        is_family_exclusive

    from {{ ref('dim_segments') }}

),

date_pairs as (

    {{ snapshot_date_pairs(ref('fct_customer_segment_snapshots'), only_redone=is_incremental()) }}

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
    where
        families.is_family_exclusive
        and snapshots.is_primary
        and (
            snapshots.as_of_date in (select date_pairs.earlier_date from date_pairs)
            or snapshots.as_of_date in (select date_pairs.later_date from date_pairs)
        )

),

earlier as (

    {#- each date's primary segments, carried to the next date they are compared on -#}
    select
        date_pairs.later_date as as_of_date,
        date_pairs.earlier_date as previous_as_of_date,
        primary_segments.customer_id,
        primary_segments.segment_family,
        primary_segments.segment_key

    from primary_segments
    inner join date_pairs
        on primary_segments.as_of_date = date_pairs.earlier_date

),

later as (

    select
        date_pairs.later_date as as_of_date,
        date_pairs.earlier_date as previous_as_of_date,
        primary_segments.customer_id,
        primary_segments.segment_family,
        primary_segments.segment_key

    from primary_segments
    inner join date_pairs
        on primary_segments.as_of_date = date_pairs.later_date

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
        as_of_date,
        {{ run_started_timestamp() }} as _written_at

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
