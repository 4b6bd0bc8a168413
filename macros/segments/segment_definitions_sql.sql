{#-
    The given segment definitions as a SQL relation (a union of literal rows), so models can
    join them: segment_key, segment_family, segment_name, segment_description, segment_owner,
    entity_type, segment_rule, segment_status, segment_priority, holdout_share,
    is_family_exclusive.
    An empty list renders a typed relation with no rows.
-#}
{% macro segment_definitions_sql(definitions) -%}
    {%- set string = dbt.type_string() -%}
    {%- if definitions | length == 0 %}
    select
        cast(null as {{ string }}) as segment_key,
        cast(null as {{ string }}) as segment_family,
        cast(null as {{ string }}) as segment_name,
        cast(null as {{ string }}) as segment_description,
        cast(null as {{ string }}) as segment_owner,
        cast(null as {{ string }}) as entity_type,
        cast(null as {{ string }}) as segment_rule,
        cast(null as {{ string }}) as segment_status,
        cast(null as {{ dbt.type_int() }}) as segment_priority,
        cast(null as decimal(5, 4)) as holdout_share,
        cast(null as {{ dbt.type_boolean() }}) as is_family_exclusive
    where 1 = 0
    {%- endif %}
    {%- for segment in definitions %}
    select
        cast({{ dbt.string_literal(segment.key) }} as {{ string }}) as segment_key,
        cast({{ dbt.string_literal(segment.family) }} as {{ string }}) as segment_family,
        cast({{ quote_string(segment.name) }} as {{ string }}) as segment_name,
        cast({{ quote_string(segment.description) }} as {{ string }}) as segment_description,
        cast({{ quote_string(segment.owner) }} as {{ string }}) as segment_owner,
        cast({{ dbt.string_literal(segment.entity) }} as {{ string }}) as entity_type,
        cast({{ quote_string(segment.rule) }} as {{ string }}) as segment_rule,
        cast({{ dbt.string_literal(segment.status) }} as {{ string }}) as segment_status,
        cast({{ segment.priority }} as {{ dbt.type_int() }}) as segment_priority,
        cast({{ segment.holdout_share }} as decimal(5, 4)) as holdout_share,
        {{ 'true' if segment.is_exclusive else 'false' }} as is_family_exclusive
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}
