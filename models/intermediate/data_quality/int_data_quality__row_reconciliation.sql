{#-
    Per raw table: how many raw rows were kept (rows of the staging model), rejected
    (int_data_quality__rejected_rows) and collapsed as duplicates or older versions (the other
    valid rows). raw_rows = kept_rows + rejected_rows + duplicate_rows; the singular test
    assert_raw_rows_reconcile checks each count against the source and the staging model.
-#}
with

{% for raw in raw_tables() %}
{{ raw.table }}_counts as (

    select
        '{{ raw.table }}' as source_table,
        count(*) as raw_rows,
        (select count(*) from {{ ref(raw.staging) }}) as kept_rows,
        sum(case when row_disposition = 'rejected' then 1 else 0 end) as rejected_rows

    from {{ ref(raw.base) }}

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
        source_table,
        cast(raw_rows as {{ dbt.type_bigint() }}) as raw_rows,
        cast(coalesce(kept_rows, 0) as {{ dbt.type_bigint() }}) as kept_rows,
        cast(coalesce(rejected_rows, 0) as {{ dbt.type_bigint() }}) as rejected_rows,
        cast(
            raw_rows - coalesce(kept_rows, 0) - coalesce(rejected_rows, 0)
            as {{ dbt.type_bigint() }}
        ) as duplicate_rows

    from unioned

)

select * from final
