{#-
    PostgreSQL has no try_cast and no JSON validity test, and parses timestamps in the session
    time zone. This on-run-start hook creates small helper functions in the target schema that
    return null instead of failing on a value they cannot parse (PL/pgSQL exception blocks) and
    parse timestamps and dates in UTC whatever the session says. Other engines: no-op. Each
    call costs far more than a cast (a PL/pgSQL call and a subtransaction for the exception
    block), so the cleaning CTEs that use them are computed once (macro cte_expressions_once).
-#}
{% macro create_engine_helpers() -%}
    {{ return(adapter.dispatch('create_engine_helpers', 'customer_segmentation')()) }}
{%- endmacro %}

{% macro default__create_engine_helpers() -%}
    select 1
{%- endmacro %}

{% macro postgres__create_engine_helpers() -%}
    {%- set schema = target.schema -%}
    create schema if not exists {{ schema }};
    {%- for name, sql_type in [
        ('timestamp', 'timestamp'), ('date', 'date'), ('integer', 'bigint'),
        ('numeric', 'numeric'), ('boolean', 'boolean'), ('json', 'json')
    ] %}
    {#- `set timezone` only where parsing reads the zone: a function with a SET clause saves and
        restores the setting on every call, about as costly as the cast itself (session 25,
        docs/decisions.md) -#}
    create or replace function {{ schema }}.try_cast_{{ name }}(value text)
    returns {{ sql_type }} language plpgsql immutable
    {%- if name in ('timestamp', 'date') %} set timezone = 'UTC'{% endif %} as $body$
    begin
        {%- if name == 'timestamp' %}
        return (value::timestamptz at time zone 'UTC');
        {%- else %}
        return value::{{ sql_type }};
        {%- endif %}
    exception when others then
        return null;
    end;
    $body$;
    {%- endfor %}
{%- endmacro %}


{#- PostgreSQL safe cast through the helper functions above: null when not parseable. -#}
{% macro postgres__safe_cast(field, type) -%}
    {%- set type_name = type | lower | trim -%}
    {%- set schema = target.schema -%}
    {%- if type_name.startswith('timestamp') -%}
        {{ schema }}.try_cast_timestamp(cast({{ field }} as text))
    {%- elif type_name == 'date' -%}
        {{ schema }}.try_cast_date(cast({{ field }} as text))
    {%- elif type_name.startswith(('int', 'bigint', 'smallint')) -%}
        cast({{ schema }}.try_cast_integer(cast({{ field }} as text)) as {{ type }})
    {%- elif type_name.startswith(('decimal', 'numeric', 'double', 'float', 'real')) -%}
        cast({{ schema }}.try_cast_numeric(cast({{ field }} as text)) as {{ type }})
    {%- elif type_name.startswith('bool') -%}
        {{ schema }}.try_cast_boolean(cast({{ field }} as text))
    {%- else -%}
        cast({{ field }} as {{ type }})
    {%- endif -%}
{%- endmacro %}

{% macro postgres__to_utc_timestamp(field) -%}
    {{ target.schema }}.try_cast_timestamp(cast({{ field }} as text))
{%- endmacro %}

{% macro postgres__utc_now() -%}
    (now() at time zone 'UTC')
{%- endmacro %}

{% macro postgres__is_valid_json(field) -%}
    ({{ target.schema }}.try_cast_json({{ field }}) is not null or {{ field }} = 'null')
{%- endmacro %}
