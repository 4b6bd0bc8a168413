{#-
    A text value as a SQL string literal, escaped for the engine: '' for a quote on DuckDB and
    PostgreSQL, a backslash on Spark (whose literals treat '' as two adjacent strings).
-#}
{% macro quote_string(value) -%}
    {{ return(adapter.dispatch('quote_string', 'customer_segmentation')(value)) }}
{%- endmacro %}

{% macro default__quote_string(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}

{% macro spark__quote_string(value) -%}
    '{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}
