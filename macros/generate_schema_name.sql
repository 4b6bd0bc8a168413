{#-
    Custom schemas are used as written (staging, intermediate, marts, reference) instead of dbt's
    default `<target schema>_<custom schema>`: BI tools and activation syncs read `marts.<table>`
    whatever the target. A model without a custom schema lands in the target schema.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
