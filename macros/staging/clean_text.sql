{#- Text trimmed of surrounding white space; empty text becomes null. Accepts any raw type. -#}
{% macro clean_text(field) -%}
    nullif(trim(cast({{ field }} as {{ dbt.type_string() }})), '')
{%- endmacro %}
