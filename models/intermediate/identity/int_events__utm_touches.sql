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
    cannot replace rows, only partitions: there the table is partitioned by month (event_month,
    as int_events__attributed) and a run replaces the whole months of the events written since
    (insert_overwrite) with every tagged event of those months.
-#}
{%- set replaces_months = target.type == 'spark' -%}
{{
    config(
        materialized='incremental',
        incremental_strategy=('insert_overwrite' if target.type == 'spark' else 'delete+insert'),
        unique_key=(none if target.type == 'spark' else 'event_id'),
        partition_by=('event_month' if target.type == 'spark' else none),
        file_format=('parquet' if target.type == 'spark' else none),
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
        {%- if replaces_months %}
        event_month,
        {%- endif %}
        {{ run_started_timestamp() }} as _written_at

    from events
    where
        {% if is_incremental() and replaces_months -%}
        event_month in (
            select written.event_month
            from {{ ref('int_events__attributed') }} as written
            where written._written_at > {{ newest_processed_stamp('_written_at') }}
        ) and
        {% elif is_incremental() -%}
        _written_at > {{ newest_processed_stamp('_written_at') }} and
        {% endif -%}
        (utm_source is not null or utm_medium is not null or utm_campaign is not null)

)

select * from final
