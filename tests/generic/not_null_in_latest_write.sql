{#-
    `not_null` for large incremental tables (and the views over them): the rows the newest run
    wrote (the largest `written_at`) must have a value. Returns those rows' nulls, like
    `not_null`. On a raw table (`written_at` the loader's stamp) it checks the newest load.

    An incremental run appends or replaces rows and leaves the others as they were, so a null it
    made is in a row it wrote; the scan of the stamp column finds the newest rows and DuckDB
    skips the older row groups (the tables are written in load order). After a full build every
    row has the same stamp and every row is checked. Unlike `unique`, a `where:` filter would
    do here too; the test keeps the stamp lookup in one place and matches
    `unique_in_latest_write`. The premise is the previous run's test passing: after a failure,
    `dbt build --full-refresh` (docs/decisions.md, "Data tests that follow the new data").
    Only for columns whose value a stored row cannot lose later (no column computed from a var
    at read time that could become null).
-#}
{% test not_null_in_latest_write(model, column_name, written_at='_written_at') %}

select {{ column_name }}

from {{ model }}
where
    {{ written_at }} = (
        select max(latest_write.{{ written_at }})
        from {{ model }} as latest_write
    )
    and {{ column_name }} is null

{% endtest %}
