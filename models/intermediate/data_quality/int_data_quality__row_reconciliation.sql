{#-
    Per raw table: how many raw rows were kept (rows of the staging model), rejected
    (int_data_quality__rejected_rows) and collapsed as duplicates or older versions (the other
    raw rows). raw_rows = kept_rows + rejected_rows + duplicate_rows; the singular test
    assert_raw_rows_reconcile checks each count against the base models' dispositions.
    Counts only: no base model is read (for the orders and contacts that would clean every raw
    row again).
-#}
with

rejected_counts as (

    select
        source_table,
        count(*) as rejected_rows

    from {{ ref('int_data_quality__rejected_rows') }}
    group by source_table

),

{% for raw in raw_tables() %}
{{ raw.table }}_counts as (

    select
        '{{ raw.table }}' as source_table,
        (select count(*) from {{ source(raw.source, raw.table) }}) as raw_rows,
        (select count(*) from {{ ref(raw.staging) }}) as kept_rows

),

{% endfor %}
unioned as (

    {% for raw in raw_tables() %}
    select * from {{ raw.table }}_counts
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        unioned.source_table,
        cast(unioned.raw_rows as {{ dbt.type_bigint() }}) as raw_rows,
        cast(coalesce(unioned.kept_rows, 0) as {{ dbt.type_bigint() }}) as kept_rows,
        cast(coalesce(rejected_counts.rejected_rows, 0) as {{ dbt.type_bigint() }})
            as rejected_rows,
        cast(
            unioned.raw_rows
            - coalesce(unioned.kept_rows, 0)
            - coalesce(rejected_counts.rejected_rows, 0)
            as {{ dbt.type_bigint() }}
        ) as duplicate_rows

    from unioned
    left join rejected_counts
        on unioned.source_table = rejected_counts.source_table

)

select * from final
