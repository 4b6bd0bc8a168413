{#- True when an (already normalized) email belongs to var('test_email_domains'). -#}
{% macro is_test_email(email) -%}
    coalesce(
        {{ dbt.split_part(email, "'@'", 2) }}
        in ({{ sql_string_list(var('test_email_domains') | map('lower') | list) }}),
        false
    )
{%- endmacro %}
