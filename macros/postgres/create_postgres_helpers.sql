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
    {%- set integer_types = ['smallint', 'integer', 'bigint'] -%}
    {%- if type_name.startswith('timestamp') -%}
        {{ postgres_typed_or_parsed(field, 'timestamp', 'timestamp', ['timestamp']) }}
    {%- elif type_name == 'date' -%}
        {{ postgres_typed_or_parsed(field, 'date', 'date', ['date']) }}
    {%- elif type_name.startswith(('int', 'bigint', 'smallint')) -%}
        cast({{ postgres_typed_or_parsed(field, 'integer', 'bigint', integer_types) }} as {{ type }})
    {%- elif type_name.startswith(('decimal', 'numeric', 'double', 'float', 'real')) -%}
        cast(
            {{ postgres_typed_or_parsed(field, 'numeric', 'numeric', integer_types + ['numeric']) }}
            as {{ type }}
        )
    {%- elif type_name.startswith('bool') -%}
        {{ postgres_typed_or_parsed(field, 'boolean', 'boolean', ['boolean']) }}
    {%- else -%}
        cast({{ field }} as {{ type }})
    {%- endif -%}
{%- endmacro %}

{#-
    A raw column that a typed load already stored as `typed_as` (a timestamp column for a
    timestamp, an integer or numeric column for an amount) is only cast; other columns (text)
    go through the helper function `try_cast_<helper>`, which returns `result_type`. Every row of
    a column has the same pg_typeof, so each statement takes one branch for all rows. The
    helper is a PL/pgSQL call with an exception block (a subtransaction per value):
    `base_app__events` took 130.6 s of `make bench-postgres` at 100 k contacts with the helper on
    every row and 89.7 s with this check (session 26, docs/decisions.md). The result is the
    same: the helper parses the value's text.
    For columns only: PostgreSQL may evaluate a cast of a constant while planning, also in a
    branch no row takes, so an unparseable text literal here would fail the statement.
-#}
{% macro postgres_typed_or_parsed(field, helper, result_type, typed_as) -%}
    case
        when pg_typeof({{ field }}) in (
            {%- for type_name in typed_as %}'{{ type_name }}'::regtype{{ ', ' if not loop.last }}{% endfor -%}
        )
            then cast({{ field }} as {{ result_type }})
        else {{ target.schema }}.try_cast_{{ helper }}(cast({{ field }} as text))
    end
{%- endmacro %}

{% macro postgres__to_utc_timestamp(field) -%}
    {{ postgres_typed_or_parsed(field, 'timestamp', 'timestamp', ['timestamp']) }}
{%- endmacro %}

{% macro postgres__utc_now() -%}
    (now() at time zone 'UTC')
{%- endmacro %}

{% macro postgres__is_valid_json(field) -%}
    ({{ target.schema }}.try_cast_json({{ field }}) is not null or {{ field }} = 'null')
{%- endmacro %}
