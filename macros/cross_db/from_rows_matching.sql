{#-
    `from <relation> as <alias> where <condition>`, for a large, wide table of which a run needs
    the few rows that match a condition on a few narrow columns (the condition names them as
    `<alias>.<column>`). On DuckDB the condition is checked in a scan of the columns it names
    and the matching rows are then read whole by their rowid: a plain filter there reads every
    column of every row (int_events__attributed's stored events: 56 M rows at 1 M contacts, of
    which a daily run re-derives a few thousand; docs/decisions.md, "Re-attributed events read
    by rowid", says how it was compared). Other engines get the plain filter,
    and so do unit tests, whose `this` is a list of values without a rowid (the DuckDB path is
    run by tests/python/test_incremental.py on a real file).
-#}
{% macro from_rows_matching(relation, alias, condition) -%}
    {{ return(adapter.dispatch('from_rows_matching')(relation, alias, condition)) }}
{%- endmacro %}

{% macro default__from_rows_matching(relation, alias, condition) -%}
    from {{ relation }} as {{ alias }}
    where {{ condition }}
{%- endmacro %}

{% macro duckdb__from_rows_matching(relation, alias, condition) -%}
    {%- if model.resource_type == 'unit_test' -%}
        {{ return(default__from_rows_matching(relation, alias, condition)) }}
    {%- endif -%}
    from {{ relation }} as {{ alias }}
    where {{ alias }}.rowid in (
        select {{ alias }}.rowid
        from {{ relation }} as {{ alias }}
        where {{ condition }}
    )
{%- endmacro %}
