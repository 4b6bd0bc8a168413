{#-
    What changed in segment membership since the previous built as-of date: the transitions
    of the latest as-of date, one row per customer and change. change_type: `entered` a segment
    (from_segment null), `exited` one (to_segment null) or `changed` segment within an exclusive
    family (both set). Reverse-ETL tools, CSV exports and BI read the diff here, in the warehouse:
    a segment's added members are the rows with to_segment = it, removed ones from_segment = it.
-#}
with

transitions as (

    select * from {{ ref('fct_customer_segment_transitions') }}

),

snapshots as (

    select * from {{ ref('fct_customer_segment_snapshots') }}

),

latest as (

    select max(as_of_date) as as_of_date
    from snapshots

),

previous as (

    select max(snapshots.as_of_date) as as_of_date
    from snapshots
    cross join latest
    where snapshots.as_of_date < latest.as_of_date

),

final as (

    select
        transitions.customer_id,
        transitions.segment_family,
        transitions.from_segment,
        transitions.to_segment,
        case transitions.transition_type
            when 'moved' then 'changed'
            else transitions.transition_type
        end as change_type,
        previous.as_of_date as previous_as_of_date,
        latest.as_of_date

    from transitions
    inner join latest
        on transitions.transition_date = latest.as_of_date
    cross join previous

)

select * from final
