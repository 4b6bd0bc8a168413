{#- The type of every money amount: exact decimal with two places, the same on every engine. -#}
{% macro type_amount() -%}
    decimal(18, 2)
{%- endmacro %}
