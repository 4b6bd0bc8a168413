{#- True when the text is well-formed JSON, false when it is not, null when it is null. -#}
{% macro is_valid_json(field) -%}
    {{ return(adapter.dispatch('is_valid_json', 'customer_segmentation')(field)) }}
{%- endmacro %}

{% macro default__is_valid_json(field) -%}
    {{ exceptions.raise_compiler_error(
        "is_valid_json has no implementation for adapter " ~ adapter.type()
    ) }}
{%- endmacro %}

{% macro duckdb__is_valid_json(field) -%}
    json_valid({{ field }})
{%- endmacro %}

{% macro spark__is_valid_json(field) -%}
    {#- get_json_object returns null for text that is not JSON -#}
    case when {{ field }} is not null then get_json_object({{ field }}, '$') is not null end
{%- endmacro %}
