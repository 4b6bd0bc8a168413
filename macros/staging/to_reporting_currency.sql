{#-
    Converts an amount in a local currency to the reporting currency (var('reporting_currency'))
    with the reference rates of the `currencies` seed. The rate is rounded to ten places first
    and then multiplied in exact decimals and rounded to two places, so every engine (DuckDB
    divides decimals in floating point, PostgreSQL in exact numerics) gets the same cents.
    Null when the local currency has no rate.
-#}
{% macro to_reporting_currency(amount, local_units_per_usd, reporting_units_per_usd) -%}
    {{ convert_at_rate(
        amount, reporting_currency_rate(local_units_per_usd, reporting_units_per_usd)
    ) }}
{%- endmacro %}


{#-
    An amount times a rate from reporting_currency_rate (an expression or a column that holds
    one), in exact decimals, rounded to two places. A model converting several amounts of a row
    computes the rate once and passes the column. An amount at a rate of exactly 1 (the orders
    in the reporting currency) is the amount itself and skips the product, which DuckDB
    multiplies and rounds in 128-bit arithmetic for decimal(18, 2) times decimal(20, 10)
    (docs/decisions.md, "Staging at scale"). A null rate stays null.
-#}
{% macro convert_at_rate(amount, rate) -%}
    case
        when {{ rate }} = 1 then cast(({{ amount }}) as {{ type_amount() }})
        else
            cast(
                round(
                    cast(({{ amount }}) as {{ type_amount() }})
                    * {{ rate }},
                    2
                )
                as {{ type_amount() }}
            )
    end
{%- endmacro %}


{#-
    Reporting-currency units per local unit, rounded to ten places (type_exchange_rate). The
    operands keep the seed's decimal(18, 6): wider ones make Spark cut the quotient to six places.
-#}
{% macro reporting_currency_rate(local_units_per_usd, reporting_units_per_usd) -%}
    cast(
        round(
            cast({{ reporting_units_per_usd }} as decimal(18, 6))
            / cast({{ local_units_per_usd }} as decimal(18, 6)),
            10
        )
        as {{ type_exchange_rate() }}
    )
{%- endmacro %}
