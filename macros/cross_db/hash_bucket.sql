{#-
    A deterministic bucket 0 .. buckets-1 for a text: the first 32 bits of its MD5 (dbt.hash)
    modulo `buckets`. The same text gives the same bucket on every engine and every build, so
    assignments made with it (holdout groups) are stable and reproducible, never random draws.
-#}
{% macro hash_bucket(field, buckets) -%}
    {{ return(adapter.dispatch('hash_bucket', 'customer_segmentation')(field, buckets)) }}
{%- endmacro %}

{% macro default__hash_bucket(field, buckets) -%}
    mod(cast(('x' || substr({{ dbt.hash(field) }}, 1, 8)) as bit(32)) :: bigint, {{ buckets }})
{%- endmacro %}

{% macro duckdb__hash_bucket(field, buckets) -%}
    (cast(('0x' || substr({{ dbt.hash(field) }}, 1, 8)) as bigint) % {{ buckets }})
{%- endmacro %}

{% macro spark__hash_bucket(field, buckets) -%}
    pmod(cast(conv(substr({{ dbt.hash(field) }}, 1, 8), 16, 10) as bigint), {{ buckets }})
{%- endmacro %}
