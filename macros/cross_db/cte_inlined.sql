{#-
    Renders `not materialized` after `<cte name> as` where the engine takes the hint (DuckDB,
    PostgreSQL 12+): a CTE read by two branches is then computed in each branch, streaming,
    instead of being buffered whole. At scale DuckDB otherwise materializes the cleaned events
    (tens of millions of wide rows) and spills them to disk. Spark inlines CTEs by itself and
    does not know the hint: nothing is rendered there.
-#}
{% macro cte_inlined() -%}
    {{ return(adapter.dispatch('cte_inlined')()) }}
{%- endmacro %}

{% macro default__cte_inlined() -%}
    not materialized
{%- endmacro %}

{% macro spark__cte_inlined() -%}
{%- endmacro %}
