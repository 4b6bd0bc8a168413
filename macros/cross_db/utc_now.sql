{#- The build's current time as a UTC timestamp without time zone. -#}
{% macro utc_now() -%}
    {{ return(adapter.dispatch('utc_now', 'customer_segmentation')()) }}
{%- endmacro %}

{% macro default__utc_now() -%}
    {{ dbt.current_timestamp() }}
{%- endmacro %}

{% macro duckdb__utc_now() -%}
    timezone('UTC', now())
{%- endmacro %}
