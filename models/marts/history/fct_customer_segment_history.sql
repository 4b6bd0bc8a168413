{#-
    From when to when each customer was in each segment: one row per uninterrupted stay, from
    the snapshots of all as-of dates built so far. valid_from is the first as-of date of the
    stay; valid_to the first as-of date at which the customer was no longer in it (null while
    current); is_current marks stays that include the latest as-of date.

    Incremental (append, then a post-hook deletes the stays it replaced; a table on Spark): the
    snapshots grow by a date per daily build, and a run must not read them all. When every date
    written since the previous run is later than the dates the stays cover (the daily case), the
    run reads only the current stays and the new dates' snapshots: each current stay continues
    or ends, new stays begin, ended stays stay as they are (only the new snapshots are numbered
    into stays; the current stays are joined to those that begin at the first new date; with
    one new date, each of its snapshots is a stay of its own and is not numbered). A date
    written at or before the
    covered ones (a backfill, the same date built again) makes the run derive every stay again
    from all snapshots. Macros in macros/history/snapshot_history.sql.
-#}
{{
    config(
        materialized=('table' if target.type == 'spark' else 'incremental'),
        incremental_strategy='append',
        on_schema_change='fail',
        post_hook="{{ delete_rewritten_stays(ref('fct_customer_segment_snapshots')) }}"
    )
}}
{{ assert_stored_columns(['_written_at']) }}
{%- set mode = history_update_mode(ref('fct_customer_segment_snapshots')) %}
{%- set extends = mode in ('extend', 'extend_one_date') %}

with

{%- if extends %}

current_stays as (

    select
        customer_id,
        segment_key,
        segment_family,
        snapshots_in_stay,
        valid_from,
        last_as_of_date

    from {{ this }}
    where is_current

),

covered as (

    select max(last_as_of_date) as as_of_date
    from {{ this }}

),

snapshots as (

    {#- only the new dates' snapshots: the current stays are joined to the stays they begin -#}
    select
        new_snapshots.customer_id,
        new_snapshots.segment_key,
        new_snapshots.segment_family,
        new_snapshots.as_of_date

    from {{ ref('fct_customer_segment_snapshots') }} as new_snapshots
    inner join covered
        on new_snapshots.as_of_date > covered.as_of_date
    {{ snapshot_dates_after_covered_filter('new_snapshots.as_of_date') }}

),

built_dates as (

    {#- the covered date and the new dates: the covered date is number 1, the first new date
        number 2 -#}
    select covered.as_of_date from covered
    union
    select snapshots.as_of_date from snapshots

),

{%- else %}

snapshots as (

    select * from {{ ref('fct_customer_segment_snapshots') }}
    {%- if mode == 'none' %}
    where 1 = 0
    {%- endif %}

),

built_dates as (

    select distinct snapshots.as_of_date from snapshots

),

{%- endif %}

snapshot_dates as (

    select
        as_of_date,
        row_number() over (order by as_of_date) as date_number,
        lead(as_of_date) over (order by as_of_date) as next_as_of_date

    from built_dates

),

{%- if mode == 'extend_one_date' %}

stays as (

    {#- one new date (number 2): each of its snapshots is a stay of that date alone -#}
    select
        customer_id,
        segment_key,
        segment_family,
        2 as first_date_number,
        as_of_date as valid_from,
        as_of_date as last_as_of_date,
        1 as snapshots_in_stay

    from snapshots

),

{%- else %}

numbered as (

    select
        snapshots.customer_id,
        snapshots.segment_key,
        snapshots.segment_family,
        snapshots.as_of_date,
        snapshot_dates.date_number,
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
        min(date_number) as first_date_number,
        min(as_of_date) as valid_from,
        max(as_of_date) as last_as_of_date,
        count(*) as snapshots_in_stay

    from numbered
    group by customer_id, segment_key, segment_family, stay_number

),

{%- endif %}

{%- if extends %}

continued_stays as (

    {#- A stay that begins at the first new date continues the customer's current stay in that
        segment: it keeps the current stay's start and adds its snapshots. A current stay with
        no such continuation ends (valid_to is then the first new date). Stays that begin later
        are new. -#}
    select
        coalesce(starting.customer_id, current_stays.customer_id) as customer_id,
        coalesce(starting.segment_key, current_stays.segment_key) as segment_key,
        coalesce(starting.segment_family, current_stays.segment_family) as segment_family,
        coalesce(current_stays.valid_from, starting.valid_from) as valid_from,
        coalesce(starting.last_as_of_date, current_stays.last_as_of_date) as last_as_of_date,
        coalesce(current_stays.snapshots_in_stay, 0) + coalesce(starting.snapshots_in_stay, 0)
            as snapshots_in_stay

    from (select * from stays where first_date_number = 2) as starting
    full outer join current_stays
        on
            starting.customer_id = current_stays.customer_id
            and starting.segment_key = current_stays.segment_key

    union all

    select
        customer_id,
        segment_key,
        segment_family,
        valid_from,
        last_as_of_date,
        snapshots_in_stay

    from stays
    where first_date_number > 2

),

{%- else %}

continued_stays as (

    select * from stays

),

{%- endif %}

final as (

    select
        continued_stays.customer_id,
        continued_stays.segment_key,
        continued_stays.segment_family,
        cast(continued_stays.snapshots_in_stay as {{ dbt.type_int() }}) as snapshots_in_stay,
        snapshot_dates.next_as_of_date is null as is_current,
        continued_stays.valid_from,
        snapshot_dates.next_as_of_date as valid_to,
        continued_stays.last_as_of_date,
        {{ run_started_timestamp() }} as _written_at

    from continued_stays
    inner join snapshot_dates
        on continued_stays.last_as_of_date = snapshot_dates.as_of_date

)

select * from final
