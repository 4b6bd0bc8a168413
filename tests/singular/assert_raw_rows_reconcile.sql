{#-
    Every raw row is accounted for, per raw table, from independent counts:
    - the rows in the source equal the rows of the base model (no row lost before staging);
    - the staging model holds exactly one row per key the base model kept: as many rows as the
      base model has `kept` rows (each key once: the unique test of every staging key), or for
      orders as many as the distinct keys with a `valid` version. No kept row lost or doubled,
      also across incremental loads. (Counting distinct keys of every table repeated those
      unique tests and was the slowest data test at scale: 57 M event ids.)
    - the rejected-rows model lists every rejected base row.
    So raw rows = kept + rejected + duplicates or older versions. Returns one row per table that
    does not balance.
-#}
with

{% for raw in raw_tables() %}
{{ raw.table }}_balance as (

    select
        '{{ raw.table }}' as source_table,
        (select count(*) from {{ source(raw.source, raw.table) }}) as raw_rows,
        (select count(*) from {{ ref(raw.base) }}) as base_rows,
        (select count(*) from {{ ref(raw.staging) }}) as kept_rows,
        (
            {%- if raw.versioned %}
            select count(distinct {{ raw.key }}) from {{ ref(raw.base) }}
            where row_disposition = 'valid'
            {%- else %}
            select count(*) from {{ ref(raw.base) }}
            where row_disposition = 'kept'
            {%- endif %}
        ) as kept_keys,
        (
            select count(*) from {{ ref('int_data_quality__rejected_rows') }}
            where source_table = '{{ raw.table }}'
        ) as rejected_rows,
        (
            select count(*) from {{ ref(raw.base) }}
            where row_disposition = 'rejected'
        ) as base_rejected_rows

),

{% endfor %}
balances as (

    {% for raw in raw_tables() %}
    select * from {{ raw.table }}_balance
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select *
from balances
where
    raw_rows <> base_rows
    or kept_rows <> kept_keys
    or rejected_rows <> base_rejected_rows
