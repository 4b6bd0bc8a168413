{#-
    The form in which free-text codes are looked up in a reference seed (country aliases,
    currency codes): trimmed, lower-cased, dots removed ('U.S.A. ' -> 'usa'); empty as null.
-#}
{% macro normalize_lookup_key(field) -%}
    nullif(lower(trim(replace(cast({{ field }} as {{ dbt.type_string() }}), '.', ''))), '')
{%- endmacro %}
