{#-
    Custom schemas are used as written (staging, intermediate, marts, reference) instead of dbt's
    default `<target schema>_<custom schema>`: BI tools and activation syncs read `marts.<table>`
    whatever the target. A model without a custom schema lands in the target schema.
    PostgreSQL write-audit-publish (var publish_mode true, set by `python -m custseg build`): the
    marts build into `marts_staging`, which BI readers never see; `custseg publish` copies them
    into `marts` once every test passed (custseg/publish_postgres.py).
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- elif custom_schema_name | trim == 'marts' and var('publish_mode', false)
        and target.type == 'postgres' -%}
        marts_staging
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
