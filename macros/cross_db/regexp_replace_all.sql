{#-
    Replaces every match of a regular expression in a text. Keep patterns to what RE2 (DuckDB),
    PostgreSQL and Java (Spark) read alike: literal characters, [...] classes, ^ $ ? * + ( | ).
    No backslashes and no POSIX [[:classes:]].
-#}
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
