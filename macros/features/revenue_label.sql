{#- A short money label for band names: 0, 1M, 10M, 1B (1000 -> 1K). -#}
{% macro revenue_label(amount) -%}
    {%- set amount = amount | int -%}
    {%- if amount >= 1000000000 and amount % 1000000000 == 0 -%}{{ amount // 1000000000 }}B
    {%- elif amount >= 1000000 and amount % 1000000 == 0 -%}{{ amount // 1000000 }}M
    {%- elif amount >= 1000 and amount % 1000 == 0 -%}{{ amount // 1000 }}K
    {%- else -%}{{ amount }}
    {%- endif -%}
{%- endmacro %}
