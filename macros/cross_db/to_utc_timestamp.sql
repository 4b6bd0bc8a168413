{#-
    Parses a raw timestamp (a timestamp, or text with or without a UTC offset) into a timestamp
    without time zone in UTC; null when it cannot be parsed. Text without an offset is taken as
    UTC: the duckdb profile pins the session TimeZone to UTC so that the server's zone never
    shifts a value.
-#}
{% macro to_utc_timestamp(field) -%}
    {{ return(adapter.dispatch('to_utc_timestamp', 'customer_segmentation')(field)) }}
{%- endmacro %}

{% macro default__to_utc_timestamp(field) -%}
    {{ dbt.safe_cast(field, dbt.type_timestamp()) }}
{%- endmacro %}

{% macro duckdb__to_utc_timestamp(field) -%}
    timezone('UTC', try_cast({{ field }} as timestamptz))
{%- endmacro %}
