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

{#-
    DuckDB: a column that already holds timestamps without time zone (UTC by the contract) is
    only cast; the time-zone conversion (ICU, far slower than a cast) runs for text and
    timestamptz values. typeof() is the same for every row, so the CASE picks one branch.
-#}
{% macro duckdb__to_utc_timestamp(field) -%}
    case
        when typeof({{ field }}) in ('TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS')
            then try_cast({{ field }} as timestamp)
        else timezone('UTC', try_cast({{ field }} as timestamptz))
    end
{%- endmacro %}
