{#-
    The change log of the CRM part of the identity map (contact ids and emails): one row each
    time an identifier enters int_identity__map, resolves to another customer or by another
    method, or leaves it (customer_id and resolution_method null), stamped with the run that
    saw it (`_changed_at`). The first build logs every identifier once.
    int_orders__attributed and int_events__attributed re-derive the orders and events of the
    contact ids and emails logged since their own newest write: comparing a million
    identifiers with their last logged state costs far less than comparing every stored order
    or event with the maps (docs/decisions.md, "Re-attribution from the identity change logs").
    Kept apart from the device log (int_identity__device_changes) so that the order models do
    not wait for the events.

    Incremental (append, macros/identity/identity_change_log.sql). A full refresh logs every
    identifier again: the attribution models then re-derive every identified row once. The
    same on Spark (append to a Parquet table).
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

survivors as (

    select * from {{ ref('int_contacts__survivors') }}

),

email_matches as (

    select * from {{ ref('int_identity__email_matches') }}

),

current_identifiers as (

    {{ crm_identifiers('survivors', 'email_matches') }}

),

{{ identity_change_log('current_identifiers') }}
