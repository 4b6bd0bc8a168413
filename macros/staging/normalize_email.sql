{#- An email address as identity matching needs it: trimmed, lower-cased, empty as null. -#}
{% macro normalize_email(field) -%}
    lower({{ clean_text(field) }})
{%- endmacro %}
