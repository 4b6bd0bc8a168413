{#-
    True for a timestamp before var('min_valid_timestamp') or later than the build's time plus
    var('future_timestamp_tolerance_hours'): such values are rejected as impossible.
-#}
{% macro is_timestamp_out_of_range(field) -%}
    (
        {{ field }} < cast('{{ var("min_valid_timestamp") }}' as {{ dbt.type_timestamp() }})
        or {{ field }} > {{ dbt.dateadd(
            'hour', var('future_timestamp_tolerance_hours'), utc_now()
        ) }}
    )
{%- endmacro %}
