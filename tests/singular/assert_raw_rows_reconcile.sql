{#-
    Every raw row is accounted for: per raw table, the rows in the source equal the rows kept in
    staging + the rows listed as rejected + the rows collapsed as duplicates or older versions.
    Counts come from the source itself and from the staging outputs, so a row lost anywhere in
    between makes this test fail. Returns one row per table that does not balance.
-#}
with

{% for raw in raw_tables() %}
{{ raw.table }}_balance as (

    select
        '{{ raw.table }}' as source_table,
        (select count(*) from {{ source(raw.source, raw.table) }}) as raw_rows,
        (select count(*) from {{ ref(raw.staging) }}) as kept_rows,
        (
            select count(*) from {{ ref('int_data_quality__rejected_rows') }}
            where source_table = '{{ raw.table }}'
        ) as rejected_rows,
        (
            select count(*) from {{ ref(raw.base) }}
            where row_disposition = 'duplicate'
        ) as duplicate_rows

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
where raw_rows <> kept_rows + rejected_rows + duplicate_rows
