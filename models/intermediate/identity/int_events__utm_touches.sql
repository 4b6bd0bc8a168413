{#-
    The attributed events that carried a campaign tag (UTM source, medium or campaign), with
    the customer each belongs to now: about one event in twenty. The first touch of
    int_customers__technographics reads these rows instead of scanning every event for the few
    tagged ones (docs/decisions.md, "First touches from the tagged events only").

    Incremental (delete+insert on event_id): a run takes the events int_events__attributed wrote
    since this model's last write (new events, and stored events re-attributed or given another
    reporting day) and replaces their rows. Events without a customer are kept too, so that an
    event that loses its customer replaces its old row instead of leaving it behind; readers
    join the customers they need. So the table equals a full refresh. Spark's Parquet tables
    cannot replace rows: there the model is a table.
-#}
{{
    config(
        materialized=('table' if target.type == 'spark' else 'incremental'),
        incremental_strategy='delete+insert',
        unique_key='event_id',
        on_schema_change='fail'
    )
}}

with

events as (

    select * from {{ ref('int_events__attributed') }}

),

final as (

    select
        event_id,
        customer_id,
        utm_source,
        utm_medium,
        utm_campaign,
        event_date,
        event_at,
        {{ run_started_timestamp() }} as _written_at

    from events
    where
        {% if is_incremental() -%}
        _written_at > {{ newest_processed_stamp('_written_at') }} and
        {% endif -%}
        (utm_source is not null or utm_medium is not null or utm_campaign is not null)

)

select * from final
