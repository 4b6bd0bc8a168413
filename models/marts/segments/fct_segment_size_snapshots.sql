{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        full_refresh=false
    )
}}
{#-
    The size of every segment at every build: one row per build and segment, appended by each
    `dbt build` (incremental, append only). It lets a test warn when a segment's size jumps
    between builds, and BI chart segment sizes over builds. `--full-refresh` keeps it (history
    cannot be rebuilt from raw data); drop the table to start it anew.
-#}
with

segments as (

    select * from {{ ref('dim_segments') }}

),

final as (

    select
        '{{ invocation_id }}' as build_id,
        segment_key,
        entity_type,
        members,
        as_of_date,
        {{ run_started_timestamp() }} as built_at

    from segments

)

select * from final
