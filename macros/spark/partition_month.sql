{#-
    The partition column of the Spark tables that an incremental run replaces by month
    (insert_overwrite of the months it touches): the first day of the month of a date or
    timestamp. Months, not days: the demo's 4.5 years of days would make 1,600 partitions of a
    few dozen rows, each a directory and a metastore entry. Only Spark stores it; the other
    engines replace rows by key (docs/decisions.md, "Events and orders on Spark").
-#}
{% macro partition_month(date_or_timestamp) -%}
    cast({{ dbt.date_trunc('month', date_or_timestamp) }} as date)
{%- endmacro %}


{#-
    The Spark partition of an order line: its order's month, or the month of the line's load
    while its order has not arrived (int_order_items__attributed). `orders` and `lines` name
    relations holding the attributed orders and the staged lines.
-#}
{% macro line_month(orders, lines) -%}
    coalesce({{ orders }}.order_month, {{ partition_month(lines ~ '._loaded_at') }})
{%- endmacro %}
