{#-
    The start of the current dbt invocation (UTC, microseconds) as a timestamp literal: the same
    value in every model of one run, a later one in the next run. Stamps the rows a run writes
    (`_written_at`) and the builds a mart records.
-#}
{% macro run_started_timestamp() -%}
    {{ dbt.safe_cast(
        "'" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f') ~ "'", dbt.type_timestamp()
    ) }}
{%- endmacro %}
