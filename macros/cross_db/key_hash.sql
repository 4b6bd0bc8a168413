{#-
    A 64-bit hash of a text key, null for a null key, for finding the keys that occur more than
    once among millions of rows: grouping and joining on an integer is cheaper than on the text
    (the events' raw ids at 1 M contacts: docs/decisions.md, "Repeated keys found by their
    hash"). Equal keys give equal hashes; two different keys may share one, so use it only where
    a superset of the repeated keys is harmless (rows then ranked by the key itself). The hash
    differs between engines, and nothing stored depends on it.
-#}
{% macro key_hash(field) -%}
    {{ return(adapter.dispatch('key_hash', 'customer_segmentation')(field)) }}
{%- endmacro %}

{% macro default__key_hash(field) -%}
    hashtextextended({{ field }}, 0)
{%- endmacro %}

{% macro duckdb__key_hash(field) -%}
    case when {{ field }} is not null then hash({{ field }}) end
{%- endmacro %}

{% macro spark__key_hash(field) -%}
    case when {{ field }} is not null then xxhash64({{ field }}) end
{%- endmacro %}
