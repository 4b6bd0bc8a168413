{#-
    numerator / denominator rounded half away from zero to `places` decimals, as an exact
    decimal(38, places); null when the denominator is 0 or null. Engines divide differently
    (DuckDB turns decimal division into floating point, PostgreSQL and Spark keep exact
    decimals), so every ratio and average the marts publish goes through this macro to give the
    same digits everywhere. Operands must have at most two decimal places (counts, amounts).
-#}
{% macro round_divide(numerator, denominator, places) -%}
    {{ return(adapter.dispatch('round_divide', 'customer_segmentation')(
        numerator, denominator, places)) }}
{%- endmacro %}

{% macro default__round_divide(numerator, denominator, places) -%}
    cast(
        round(
            cast(({{ numerator }}) as decimal(38, 12))
            / nullif(cast(({{ denominator }}) as decimal(38, 12)), 0),
            {{ places }}
        )
        as decimal(38, {{ places }})
    )
{%- endmacro %}

{% macro spark__round_divide(numerator, denominator, places) -%}
    {#- decimal(20, 2) operands: Spark keeps 18 places in their quotient (38-digit cap) -#}
    cast(
        round(
            cast(({{ numerator }}) as decimal(20, 2))
            / nullif(cast(({{ denominator }}) as decimal(20, 2)), 0),
            {{ places }}
        )
        as decimal(38, {{ places }})
    )
{%- endmacro %}

{% macro duckdb__round_divide(numerator, denominator, places) -%}
    {#- integers scaled by 100 * 10^places, divided with integer division, half away from zero -#}
    {%- set scaled_numerator = "cast(round((" ~ numerator ~ ") * " ~ (100 * 10 ** places) ~ ") as hugeint)" -%}
    {%- set scaled_denominator = "cast(round((" ~ denominator ~ ") * 100) as hugeint)" -%}
    cast(
        cast(
            sign({{ scaled_numerator }}) * sign(nullif({{ scaled_denominator }}, 0))
            * (
                (2 * abs({{ scaled_numerator }}) + abs(nullif({{ scaled_denominator }}, 0)))
                // (2 * abs(nullif({{ scaled_denominator }}, 0)))
            )
            as decimal(30, 0)
        )
        * cast({{ '0.' ~ '0' * (places - 1) ~ '1' if places > 0 else '1' }}
            as decimal({{ places + 1 }}, {{ places }}))
        as decimal(38, {{ places }})
    )
{%- endmacro %}
