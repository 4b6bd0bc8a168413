{#-
    Every transition has its counterpart in the history: entering (or moving into) a segment on
    a date starts a stay of it on that date, exiting (or moving out) ends one (valid_to) on that
    date; and every stay that starts after the first built as-of date has its entering
    transition. Returns transitions or stays without a counterpart.
-#}
with

transitions as (

    select * from {{ ref('fct_customer_segment_transitions') }}

),

history as (

    select * from {{ ref('fct_customer_segment_history') }}

),

first_date as (

    select min(valid_from) as first_as_of_date
    from history

),

entries_without_stay as (

    select
        transitions.customer_id,
        transitions.to_segment as segment_key,
        transitions.transition_date,
        'entry without a stay starting that date' as problem

    from transitions
    left join history
        on
            transitions.customer_id = history.customer_id
            and transitions.to_segment = history.segment_key
            and transitions.transition_date = history.valid_from
    where transitions.to_segment is not null and history.customer_id is null

),

exits_without_stay as (

    select
        transitions.customer_id,
        transitions.from_segment as segment_key,
        transitions.transition_date,
        'exit without a stay ending that date' as problem

    from transitions
    left join history
        on
            transitions.customer_id = history.customer_id
            and transitions.from_segment = history.segment_key
            and transitions.transition_date = history.valid_to
    where transitions.from_segment is not null and history.customer_id is null

),

stays_without_entry as (

    select
        history.customer_id,
        history.segment_key,
        history.valid_from as transition_date,
        'stay without an entering transition' as problem

    from history
    cross join first_date
    left join transitions
        on
            history.customer_id = transitions.customer_id
            and history.segment_key = transitions.to_segment
            and history.valid_from = transitions.transition_date
    where history.valid_from > first_date.first_as_of_date and transitions.customer_id is null

)

select * from entries_without_stay
union all
select * from exits_without_stay
union all
select * from stays_without_entry
