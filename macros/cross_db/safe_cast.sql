{#-
    dbt-core's `dbt.safe_cast` is a plain `cast` on DuckDB, so one unparseable value fails the
    whole model. These overrides make it a real safe cast (null on failure) where the engine has
    one; staging turns such nulls into rejected rows with a reason.
-#}
{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}

{% macro spark__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}
