{#-
    The CTEs `new_keys` (incremental runs: the new rows' keys, computed first, so that the
    check against the stored keys builds its hash table from them), `previously_kept`,
    `repeated_keys`, `single_copies`, `repeated_copies` and
    `ranked` for a base model that keeps one copy per key: `ranked` is every row of `rows` with
    its version_rank (1 = the copy to keep among the valid or among the rejected rows of a key;
    2 or more = a later copy; 2 also for a valid row whose key an earlier load already kept).

    Only keys with several rows in `rows` are ranked with a window: most keys have one row, and
    a window over all rows sorts every row with all its columns (the slowest step of the event
    staging at scale). `rows` is read by three branches: declare it (and the CTEs it reads) with
    `{{ cte_inlined() }}` so that each branch streams instead of buffering all rows. `order_by`
    lists the ordering columns (with nulls first/last as needed)
    of `rows`; `key` must not be null for the rows to keep (a null key is a rejected row).
-#}
{% macro rank_copies(key, rows, order_by) -%}
{%- if is_incremental() %}
new_keys as {{ cte_materialized() }} (

    select distinct {{ key }}
    from {{ rows }}

),

{% endif -%}
previously_kept as (

    {{ previously_kept_keys(key, 'new_keys' if is_incremental() else rows) }}

),

repeated_keys as (

    {#- by the key's hash: a superset of the repeated keys (macro key_hash), whose rows are
        ranked by the key itself below -#}
    select {{ key_hash(rows ~ '.' ~ key) }} as key_hash
    from {{ rows }}
    group by {{ key_hash(rows ~ '.' ~ key) }}
    having count(*) > 1

),

single_copies as (

    select
        {{ rows }}.*,
        case
            when previously_kept.{{ key }} is not null and {{ rows }}.rejection_reason is null
                then 2
            else 1
        end as version_rank

    from {{ rows }}
    left join repeated_keys
        on {{ key_hash(rows ~ '.' ~ key) }} = repeated_keys.key_hash
    left join previously_kept
        on {{ rows }}.{{ key }} = previously_kept.{{ key }}
    where repeated_keys.key_hash is null

),

repeated_copies as (

    select
        {{ rows }}.*,
        case
            when previously_kept.{{ key }} is not null and {{ rows }}.rejection_reason is null
                then 2
            else row_number() over (
                partition by {{ rows }}.{{ key }}, {{ rows }}.rejection_reason is null
                order by
                    {%- for column in order_by %}
                    {{ rows }}.{{ column }}{{ "," if not loop.last }}
                    {%- endfor %}
            )
        end as version_rank

    from {{ rows }}
    inner join repeated_keys
        on {{ key_hash(rows ~ '.' ~ key) }} = repeated_keys.key_hash
    left join previously_kept
        on {{ rows }}.{{ key }} = previously_kept.{{ key }}

),

ranked as (

    select * from single_copies
    union all
    select * from repeated_copies

)
{%- endmacro %}
