{#- Replaces every match of a regular expression (POSIX-style classes only) in a text. -#}
{% macro regexp_replace_all(field, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'customer_segmentation')(
        field, pattern, replacement
    )) }}
{%- endmacro %}

{% macro default__regexp_replace_all(field, pattern, replacement) -%}
    regexp_replace({{ field }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{% macro spark__regexp_replace_all(field, pattern, replacement) -%}
    regexp_replace({{ field }}, '{{ pattern }}', '{{ replacement }}')
{%- endmacro %}
