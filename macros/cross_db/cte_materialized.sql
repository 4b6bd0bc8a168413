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


{#-
    Renders `materialized` after `<cte name> as` on PostgreSQL only, for a CTE whose columns are
    costly expressions read again by later CTEs (the raw cleaning: each safe cast is a PL/pgSQL
    call, and the rejection checks read the cleaned columns again). PostgreSQL folds a CTE that
    is read once into the query that reads it and copies each expression into every place that
    reads its column, so a cast ran several times per row; a CTE declared `not materialized`
    and read by several branches is computed again in each (session 25 and 26, `make
    bench-postgres`: docs/decisions.md). Elsewhere nothing is rendered (DuckDB computes a
    projection once, the hint would only make it buffer the rows; Spark does not know it), or,
    with `inlined_elsewhere=true`, what cte_inlined renders: for the cleaning that several
    branches read (rank_copies), which DuckDB must stream through each branch.
-#}
{% macro cte_expressions_once(inlined_elsewhere=false) -%}
    {{ return(adapter.dispatch('cte_expressions_once')(inlined_elsewhere)) }}
{%- endmacro %}

{% macro default__cte_expressions_once(inlined_elsewhere) -%}
    {{ cte_inlined() if inlined_elsewhere }}
{%- endmacro %}

{% macro postgres__cte_expressions_once(inlined_elsewhere) -%}
    materialized
{%- endmacro %}
