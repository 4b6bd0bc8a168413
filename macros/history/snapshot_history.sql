{#-
    Helpers of the models built from fct_customer_segment_snapshots (history, transitions,
    movement matrix, stability). The snapshots grow by one as-of date per daily build, so these
    models must not read every date each run: an incremental run redoes only what the as-of
    dates written since its previous run change. The snapshot model stamps its rows with the
    run that wrote them (`_written_at`); so does each of these models.

    Every incremental run of these models ends with a post-hook that deletes the stored rows its
    new rows replace. Both the model's select (before its insert) and the post-hook (after it)
    must agree on what "written since the previous run" means: they compare the snapshots'
    stamps with the newest stamp among the model's rows of earlier runs, which the insert does
    not change (its rows carry this run's stamp). A pre-hook could not do this: deleting first
    would change the stamp the select reads.
-#}

{#- The newest `_written_at` among the rows earlier runs stored (1900-01-01 when none). -#}
{% macro previous_runs_newest_stamp() -%}
    (
        select coalesce(
            max(processed._written_at), cast('1900-01-01' as {{ dbt.type_timestamp() }})
        )
        from {{ this }} as processed
        where processed._written_at < {{ run_started_timestamp() }}
    )
{%- endmacro %}

{#- The as-of dates of `snapshots` written since this model's previous run. -#}
{% macro snapshot_dates_written_since_previous_run(snapshots) -%}
    select distinct written.as_of_date
    from {{ snapshots }} as written
    where
        coalesce(written._written_at, cast('1900-01-01' as {{ dbt.type_timestamp() }}))
        > {{ previous_runs_newest_stamp() }}
{%- endmacro %}

{#-
    Consecutive built as-of dates as pairs (earlier_date, later_date). With `only_redone`, only
    the pairs one of whose dates was written since this model's previous run: a new date makes
    a pair with the date before it; a rebuilt date changes both its pairs; a backfilled date
    between two built ones splits their pair (the later date's pair now starts at it).
-#}
{% macro snapshot_date_pairs(snapshots, only_redone=false) -%}
    select
        dated.earlier_date,
        dated.later_date

    from (
        select
            lag(built.as_of_date) over (order by built.as_of_date) as earlier_date,
            built.as_of_date as later_date

        from (select distinct snapshot_dates.as_of_date from {{ snapshots }} as snapshot_dates)
            as built
    ) as dated
    where
        dated.earlier_date is not null
        {%- if only_redone %}
        and (
            dated.earlier_date in ({{ snapshot_dates_written_since_previous_run(snapshots) }})
            or dated.later_date in ({{ snapshot_dates_written_since_previous_run(snapshots) }})
        )
        {%- endif %}
{%- endmacro %}

{#-
    Post-hook of the pairwise models (transitions, movement matrix, stability): delete the rows
    of earlier runs whose pair this run redid. `key_column` is the model's date column that
    names the pair, `pair_end` which end of the pair it is (earlier_date or later_date).
    After a full build every row carries this run's stamp and nothing is deleted.
-#}
{% macro delete_redone_snapshot_pairs(snapshots, key_column, pair_end) -%}
    {%- if is_incremental() %}
    delete from {{ this }}
    where
        _written_at < {{ run_started_timestamp() }}
        and {{ key_column }} in (
            select redone.{{ pair_end }}
            from ({{ snapshot_date_pairs(snapshots, only_redone=true) }}) as redone
        )
    {%- endif %}
{%- endmacro %}

{#-
    How an incremental run of fct_customer_segment_history updates the stays:
    - 'none': no as-of date was written since its previous run;
    - 'extend': every date written is later than the latest date the stays cover: each current
      stay continues into the new dates or ends, and new stays begin; stays that ended before
      are final;
    - 'extend_one_date': the same with exactly one date written (the daily case): each of its
      snapshots is a stay of that date alone, so the model does not number them into stays (a
      window over every new snapshot, most of the extend run's time at 1 M contacts);
    - 'rebuild': a date at or before that latest date was written (a backfill, or the latest
      date built again): every stay is derived again from all snapshots.
    Asked with a query at run time. Unit tests override this macro.
-#}
{% macro history_update_mode(snapshots) -%}
    {%- if not (execute and is_incremental()) or model.resource_type == 'unit_test' -%}
        {{ return('rebuild') }}
    {%- endif -%}
    {%- set question -%}
        select
            count(written.as_of_date) as written_dates,
            count(case when written.as_of_date <= covered.latest_date then 1 end)
                as written_dates_already_covered,
            max(covered.stored_stays) as stored_stays

        from (
            select
                max(stored.last_as_of_date) as latest_date,
                count(*) as stored_stays
            from {{ this }} as stored
            where stored._written_at < {{ run_started_timestamp() }}
        ) as covered
        left join ({{ snapshot_dates_written_since_previous_run(snapshots) }}) as written
            on 1 = 1
    {%- endset -%}
    {%- set answer = run_query(question).rows[0] -%}
    {%- if answer[0] == 0 -%}
        {{ return('none') }}
    {%- elif answer[1] == 0 and answer[2] > 0 -%}
        {{ return('extend_one_date' if answer[0] == 1 else 'extend') }}
    {%- else -%}
        {{ return('rebuild') }}
    {%- endif -%}
{%- endmacro %}

{#-
    Post-hook of fct_customer_segment_history: delete the stays of earlier runs that this run
    wrote again: the stays that were current (extend) or all of them (rebuild).
-#}
{% macro delete_rewritten_stays(snapshots) -%}
    {%- if is_incremental() %}
    {%- set mode = history_update_mode(snapshots) %}
    {%- if mode != 'none' %}
    delete from {{ this }}
    where
        _written_at < {{ run_started_timestamp() }}
        {%- if mode in ('extend', 'extend_one_date') %}
        and is_current
        {%- endif %}
    {%- endif %}
    {%- endif %}
{%- endmacro %}

{#-
    The same choice of as-of dates as a literal `where` clause on `column`, for DuckDB to skip the
    stored row groups of other dates (the snapshots are written date by date): a filter on a
    subquery made it scan every date. An optimization only: the models' own SQL picks the same
    dates. Asked with a query at run time, so not in unit tests (fixtures, no table to ask).
    - snapshot_pair_dates_filter: both dates of every pair to redo;
    - snapshot_dates_after_covered_filter: the dates after the latest one the stays cover.
-#}
{% macro snapshot_pair_dates_filter(snapshots, column) -%}
    {%- if execute and is_incremental() and model.resource_type != 'unit_test' %}
        {%- set question -%}
            select redone.earlier_date, redone.later_date
            from ({{ snapshot_date_pairs(snapshots, only_redone=true) }}) as redone
        {%- endset -%}
        {%- set pairs = run_query(question) -%}
        {%- set dates = (pairs.columns[0].values() | list) + (pairs.columns[1].values() | list) -%}
        {{ dates_in_filter(column, dates | unique | list) }}
    {%- endif %}
{%- endmacro %}

{% macro snapshot_dates_after_covered_filter(column) -%}
    {%- if execute and is_incremental() and model.resource_type != 'unit_test' %}
        {%- set question -%}
            select max(covered.last_as_of_date)
            from {{ this }} as covered
            where covered._written_at < {{ run_started_timestamp() }}
        {%- endset -%}
        {%- set covered = run_query(question).columns[0].values()[0] -%}
        {%- if covered is not none %}
        where {{ column }} > cast('{{ covered }}' as date)
        {%- endif %}
    {%- endif %}
{%- endmacro %}

{% macro dates_in_filter(column, dates) -%}
    {%- if dates | length == 0 %}
        where 1 = 0
    {%- else %}
        where {{ column }} in (
            {%- for day in dates %}
            cast('{{ day }}' as date){{ ',' if not loop.last }}
            {%- endfor %}
        )
    {%- endif %}
{%- endmacro %}
