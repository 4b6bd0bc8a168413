{#-
    Converts an amount in a local currency to the reporting currency (var('reporting_currency'))
    with the reference rates of the `currencies` seed: amount / local units per USD * reporting
    units per USD, rounded to two places. Null when the local currency has no rate.
-#}
{% macro to_reporting_currency(amount, local_units_per_usd, reporting_units_per_usd) -%}
    cast(
        round(({{ amount }}) / {{ local_units_per_usd }} * {{ reporting_units_per_usd }}, 2)
        as {{ type_amount() }}
    )
{%- endmacro %}
