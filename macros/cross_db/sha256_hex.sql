{#- The SHA-256 of a text as 64 lower-case hex characters (the form ad platforms match on). -#}
{% macro sha256_hex(field) -%}
    {{ return(adapter.dispatch('sha256_hex', 'customer_segmentation')(field)) }}
{%- endmacro %}

{% macro default__sha256_hex(field) -%}
    encode(sha256(convert_to({{ field }}, 'UTF8')), 'hex')
{%- endmacro %}

{% macro duckdb__sha256_hex(field) -%}
    sha256({{ field }})
{%- endmacro %}

{% macro spark__sha256_hex(field) -%}
    sha2({{ field }}, 256)
{%- endmacro %}
