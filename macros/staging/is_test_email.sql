{#- True when an (already normalized) email belongs to var('test_email_domains'). -#}
{% macro is_test_email(email) -%}
    coalesce({{ dbt.split_part(email, "'@'", 2) }} in (
        {%- for domain in var('test_email_domains') -%}
            '{{ domain | lower }}'{{ ", " if not loop.last }}
        {%- endfor -%}
    ), false)
{%- endmacro %}
