{#-
    The calendar date of a UTC timestamp in the reporting time zone (var('reporting_timezone')).
    Every date, "days since" and "active days" goes through this, so results never depend on the
    server's time zone.
-#}
{% macro to_reporting_date(field) -%}
    {{ return(adapter.dispatch('to_reporting_date', 'customer_segmentation')(field)) }}
{%- endmacro %}

{% macro default__to_reporting_date(field) -%}
    {%- if var('reporting_timezone') | upper == 'UTC' -%}
        cast({{ field }} as date)
    {%- else -%}
        cast(({{ field }} at time zone 'UTC') at time zone '{{ var("reporting_timezone") }}' as date)
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__to_reporting_date(field) -%}
    {%- if var('reporting_timezone') | upper == 'UTC' -%}
        cast({{ field }} as date)
    {%- else -%}
        {#- the profile pins the session zone to UTC, so the cast to timestamptz reads UTC -#}
        cast(timezone('{{ var("reporting_timezone") }}', cast({{ field }} as timestamptz)) as date)
    {%- endif -%}
{%- endmacro %}

{% macro spark__to_reporting_date(field) -%}
    to_date(from_utc_timestamp({{ field }}, '{{ var("reporting_timezone") }}'))
{%- endmacro %}
