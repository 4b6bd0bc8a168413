{#- The text value of a top-level key of a JSON text; null when absent or the JSON is invalid. -#}
{% macro json_extract_text(field, key) -%}
    {{ return(adapter.dispatch('json_extract_text', 'customer_segmentation')(field, key)) }}
{%- endmacro %}

{% macro default__json_extract_text(field, key) -%}
    cast({{ field }} as json) ->> '{{ key }}'
{%- endmacro %}

{% macro duckdb__json_extract_text(field, key) -%}
    json_extract_string({{ field }}, '$.{{ key }}')
{%- endmacro %}

{% macro spark__json_extract_text(field, key) -%}
    get_json_object({{ field }}, '$.{{ key }}')
{%- endmacro %}
