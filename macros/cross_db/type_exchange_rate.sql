{#- The type of an exchange rate: exact decimal with ten places, the same on every engine. -#}
{% macro type_exchange_rate() -%}
    decimal(20, 10)
{%- endmacro %}
