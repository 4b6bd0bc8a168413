{#- True when a raw value was given but could not be parsed into its typed column. -#}
{% macro is_parse_failure(raw_field, parsed_field) -%}
    ({{ raw_field }} is not null and {{ parsed_field }} is null)
{%- endmacro %}
