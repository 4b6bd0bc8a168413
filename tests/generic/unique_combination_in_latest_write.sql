{#-
    `unique_combination` for large incremental tables: no two rows share the values of
    `columns`, checked only where the newest run could have made a repeat. An incremental run
    appends or replaces rows; if the combinations were unique before it, a repeat now involves
    a row it wrote (the largest `written_at`). So only the rows whose `probe_column` value
    occurs among the written rows are grouped: pick a not-null key column whose written values
    are few (the as-of date of the snapshots, the event date of the rollup), so the check reads
    about what the run wrote instead of the whole history. After a full build every row has
    the same stamp and the plain `unique_combination` runs. The premise is the one of
    `unique_in_latest_write`: after a failure, `dbt build --full-refresh`.
-#}
{% test unique_combination_in_latest_write(
    model, columns, probe_column=none, written_at='_written_at'
) %}

{%- set probe = probe_column or columns[0] -%}
{#- One stamp in the whole table (a full build): plain grouping (macro rewritten_in_part). -#}
{%- if rewritten_in_part(model, written_at) %}

with

latest_write as (

    select max({{ written_at }}) as written_at
    from {{ model }}

),

written_probes as (

    select distinct written.{{ probe }} as probe_value
    from {{ model }} as written
    inner join latest_write
        on written.{{ written_at }} = latest_write.written_at

)

select
    {{ columns | join(', ') }},
    count(*) as occurrences

from {{ model }}
where {{ probe }} in (select written_probes.probe_value from written_probes)
group by {{ columns | join(', ') }}
having count(*) > 1

{%- else %}

{{ test_unique_combination(model, columns) }}

{%- endif %}

{% endtest %}
