{#- A list of Jinja strings as a SQL list of quoted literals: ['a', 'b'] -> 'a', 'b'. -#}
{% macro sql_string_list(values) -%}
    {%- for value in values -%}
        '{{ value | replace("'", "''") }}'{{ ", " if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
