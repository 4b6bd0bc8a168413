{#-
    How customers moved between segments from one built as-of date to the next: one row per
    customer, family and change. In an exclusive family a change of primary segment is `moved`
    (from_segment -> to_segment), a first segment `entered` (from null) and losing it `exited`
    (to null). In an overlapping family each segment is entered or exited on its own.

    Incremental (append, then a post-hook deletes the rows it replaced; a table on Spark): a run
    redoes only the pairs of consecutive as-of dates that a date written since its previous run
    belongs to (daily: the new date and the one before it), not every date's snapshots.
-#}
{{
    config(
        materialized=('table' if target.type == 'spark' else 'incremental'),
        incremental_strategy='append',
        on_schema_change='fail',
        post_hook="{{ delete_redone_snapshot_pairs(
            ref('fct_customer_segment_snapshots'), 'transition_date', 'later_date') }}"
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

slots as (

    {#- the segment a customer held per exclusive family, or each overlapping segment as its
        own slot, at every as-of date -#}
    select
        snapshots.as_of_date,
        snapshots.customer_id,
        snapshots.segment_family,
        case
            when families.is_family_exclusive then snapshots.segment_family
            else snapshots.segment_key
        end as slot,
        snapshots.segment_key

    from snapshots
    inner join families
        on snapshots.segment_family = families.segment_family
    where
        (snapshots.is_primary or not families.is_family_exclusive)
        and (
            snapshots.as_of_date in (select date_pairs.earlier_date from date_pairs)
            or snapshots.as_of_date in (select date_pairs.later_date from date_pairs)
        )

),

current_slots as (

    select
        slots.customer_id,
        slots.segment_family,
        slots.slot,
        slots.segment_key,
        slots.as_of_date as transition_date

    from slots
    inner join date_pairs
        on slots.as_of_date = date_pairs.later_date

),

previous_slots as (

    {#- the previous date's slots, carried to the date they are compared on -#}
    select
        slots.customer_id,
        slots.segment_family,
        slots.slot,
        slots.segment_key,
        date_pairs.later_date as transition_date

    from slots
    inner join date_pairs
        on slots.as_of_date = date_pairs.earlier_date

),

current_and_previous as (

    select
        coalesce(current_slots.transition_date, previous_slots.transition_date)
            as transition_date,
        coalesce(current_slots.customer_id, previous_slots.customer_id) as customer_id,
        coalesce(current_slots.segment_family, previous_slots.segment_family) as segment_family,
        previous_slots.segment_key as from_segment,
        current_slots.segment_key as to_segment

    from current_slots
    full outer join previous_slots
        on
            current_slots.transition_date = previous_slots.transition_date
            and current_slots.customer_id = previous_slots.customer_id
            and current_slots.slot = previous_slots.slot

),

final as (

    select
        customer_id,
        segment_family,
        from_segment,
        to_segment,
        {#- typed as the contract's column: PostgreSQL types a CASE of literals `text`, and
            an incremental run must insert what the table stores (`varchar`) -#}
        cast(
            case
                when from_segment is null then 'entered'
                when to_segment is null then 'exited'
                else 'moved'
            end
            as {{ 'string' if target.type == 'spark' else 'varchar' }}
        ) as transition_type,
        transition_date,
        {{ run_started_timestamp() }} as _written_at

    from current_and_previous
    where
        from_segment is null
        or to_segment is null
        or from_segment <> to_segment

)

select * from final
