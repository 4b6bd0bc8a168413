{#-
    Every raw row is accounted for, per raw table, from independent counts:
    - the rows in the source equal the rows of the base model (no row lost before staging);
    - the staging model holds exactly one row per key the base model kept: as many rows as the
      base model has `kept` rows (each key once: the unique test of every staging key), or for
      orders as many as the distinct keys with a `valid` version. No kept row lost or doubled,
      also across incremental loads. (Counting distinct keys of every table repeated those
      unique tests and was the slowest data test at scale: 57 M event ids.)
    - the rejected-rows model lists every rejected base row;
    - every base row has a disposition, one of the values its table uses (this replaced a
      not_null and an accepted_values test per base model: two more scans of each, and the
      base views of orders and contacts clean every raw row again for each).
    So raw rows = kept + rejected + duplicates or older versions. Returns one row per table that
    does not balance.
-#}
with

{% for raw in raw_tables() %}
{{ raw.table }}_base_counts as (

    {#- one scan of the base model for its three counts (base_shop__orders is a view that
        validates every raw order: three scans took twice as long) -#}
    select
        count(*) as base_rows,
        {%- if raw.versioned %}
        count(distinct case when row_disposition = 'valid' then {{ raw.key }} end) as kept_keys,
        {%- else %}
        sum(case when row_disposition = 'kept' then 1 else 0 end) as kept_keys,
        {%- endif %}
        sum(case when row_disposition = 'rejected' then 1 else 0 end) as base_rejected_rows,
        {#- null or another value: `in` is not true, so the row counts -#}
        {%- set dispositions = ['valid', 'rejected'] if raw.versioned
            else ['kept', 'duplicate', 'rejected'] %}
        sum(
            case
                when row_disposition in ({{ sql_string_list(dispositions) }}) then 0
                else 1
            end
        ) as unknown_dispositions

    from {{ ref(raw.base) }}

),

{{ raw.table }}_balance as (

    select
        '{{ raw.table }}' as source_table,
        (select count(*) from {{ source(raw.source, raw.table) }}) as raw_rows,
        base_counts.base_rows,
        (select count(*) from {{ ref(raw.staging) }}) as kept_rows,
        coalesce(base_counts.kept_keys, 0) as kept_keys,
        (
            select count(*) from {{ ref('int_data_quality__rejected_rows') }} as rejected
            where rejected.source_table = '{{ raw.table }}'
        ) as rejected_rows,
        coalesce(base_counts.base_rejected_rows, 0) as base_rejected_rows,
        coalesce(base_counts.unknown_dispositions, 0) as unknown_dispositions

    from {{ raw.table }}_base_counts as base_counts

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
    or unknown_dispositions <> 0
