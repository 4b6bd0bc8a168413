{#-
    `unique` for large incremental tables (and the views over them): the keys of the rows the
    newest run wrote (the largest `written_at`) must not occur twice in the whole table.
    Returns each such key with how often it occurs, like `unique`.

    An incremental run appends or replaces rows; if the table's keys were unique before it, a
    repeated key now involves a row this run wrote, so this finds every duplicate the run made
    while reading the whole key column only to probe it, instead of grouping every key. After a
    full build every row has the same stamp and every key is checked, by its hash first. The
    premise is the previous run's test passing: a failure must be fixed (`dbt build
    --full-refresh`), since the next incremental run checks only its own rows
    (docs/decisions.md, "Data tests that follow the new data").
-#}
{% test unique_in_latest_write(model, column_name, written_at='_written_at') %}

{#- Several stamps: an incremental run wrote the newest rows (macro rewritten_in_part). -#}
{%- if rewritten_in_part(model, written_at) %}

with

latest_write as (

    select max({{ written_at }}) as written_at
    from {{ model }}

),

written_keys as (

    select written.{{ column_name }} as written_key
    from {{ model }} as written
    inner join latest_write
        on written.{{ written_at }} = latest_write.written_at
    where written.{{ column_name }} is not null

)

select
    {{ column_name }} as unique_field,
    count(*) as n_records

from {{ model }}
where {{ column_name }} in (select written_keys.written_key from written_keys)
group by {{ column_name }}
having count(*) > 1

{%- else %}

{#- Every key written at once: the keys whose hash (macro key_hash, a text key) occurs twice
    are found first, grouping integers instead of text; only their keys are grouped as text,
    and none when no hash repeats (docs/decisions.md, "Repeated keys found by their hash"). -#}
with

repeated_hashes as (

    select {{ key_hash(column_name) }} as key_hash
    from {{ model }}
    where {{ column_name }} is not null
    group by {{ key_hash(column_name) }}
    having count(*) > 1

)

select
    {{ column_name }} as unique_field,
    count(*) as n_records

from {{ model }}
where {{ key_hash(column_name) }} in (select repeated_hashes.key_hash from repeated_hashes)
group by {{ column_name }}
having count(*) > 1

{%- endif %}

{% endtest %}
