{#-
    Renders `materialized` after `<cte name> as` where the engine takes the hint (DuckDB,
    PostgreSQL 12+): the CTE is computed once, before the statement that reads it. Used where
    the CTE is small and the reader's join must be built from it: DuckDB then knows it is small
    (a materialized CTE that is empty ends the join at once) instead of trusting an estimate
    (see `previously_kept_keys`). Spark does not know the hint: nothing is rendered there.
-#}
{% macro cte_materialized() -%}
    {{ return(adapter.dispatch('cte_materialized')()) }}
{%- endmacro %}

{% macro default__cte_materialized() -%}
    materialized
{%- endmacro %}

{% macro spark__cte_materialized() -%}
{%- endmacro %}
