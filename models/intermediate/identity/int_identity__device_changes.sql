{#-
    The change log of the device part of the identity map (anonymous ids): one row each time an
    anonymous id is first stitched to a customer, is counted for another customer, or no longer
    is (customer_id and resolution_method null), stamped with the run that saw it
    (`_changed_at`). int_events__attributed re-derives the events of the anonymous ids logged
    since its newest write (with the contact ids of int_identity__crm_changes; docs/decisions.md,
    "Re-attribution from the identity change logs").

    Incremental (append, macros/identity/identity_change_log.sql). A full refresh logs every
    anonymous id again. The same on Spark (append to a Parquet table).
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        file_format=('parquet' if target.type == 'spark' else none),
        on_schema_change='fail'
    )
}}

with

anonymous_matches as (

    select * from {{ ref('int_identity__anonymous_matches') }}

),

current_identifiers as (

    select
        'anonymous_id' as identifier_type,
        anonymous_id as identifier,
        customer_id,
        'signed_in_events' as resolution_method

    from anonymous_matches

),

{{ identity_change_log('current_identifiers') }}
