{#-
    Helpers of int_events__daily_rollup.

    session_key: the session id as a key that is never null ('' for an event without a session;
    staging turns blank ids into null, so '' is no real session). The incremental run replaces
    rows by (event_date, session_key), and a null would match no stored row.
-#}
{% macro session_key(session_id) -%}
    coalesce({{ session_id }}, '')
{%- endmacro %}

{#-
    A pre-hook: on an incremental run, delete the stored rows dated in another reporting time
    zone than var('reporting_timezone'). After the time zone changed, every event is
    re-attributed with its new day, and the rows under the old days would otherwise stay.
-#}
{% macro delete_rows_of_another_timezone() -%}
    {%- if is_incremental() %}
    delete from {{ this }}
    where reporting_timezone <> '{{ var("reporting_timezone") }}'
    {%- endif %}
{%- endmacro %}
