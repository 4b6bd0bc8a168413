{#-
    A hash of a row's content over the given columns. Used as the last tie-breaker when two
    versions of a record share every ordering column, so that the same raw data always yields
    the same kept row whatever the engine's scan order.
-#}
{% macro row_fingerprint(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- if not loop.first -%}{%- do parts.append("'|'") -%}{%- endif -%}
        {%- do parts.append(
            "coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '<null>')"
        ) -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}
