{#-
    Every raw row the staging layer could not use, from every raw table, with its key and the
    reason. Nothing is dropped silently: see int_data_quality__row_reconciliation.
-#}
with

{% for raw in raw_tables() %}
{{ raw.table }}_rejected as (

    select
        '{{ raw.table }}' as source_table,
        {{ raw.key }} as source_key,
        rejection_reason

    from {{ ref(raw.base) }}
    where row_disposition = 'rejected'

),

{% endfor %}
unioned as (

    {% for raw in raw_tables() %}
    select * from {{ raw.table }}_rejected
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        source_table,
        source_key,
        rejection_reason

    from unioned

)

select * from final
