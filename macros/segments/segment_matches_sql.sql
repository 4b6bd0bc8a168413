{#-
    Every (entity, segment) pair whose rule matches, for the active segments of one entity:
    <id_column>, segment_key, match_explanation, as_of_date. Each rule is validated first
    (segment_rule_columns); the segment key stands on the same line as its rule, so an error the
    engine raises while running a rule shows which segment it came from.
-#}
{% macro segment_matches_sql(relation, id_column, entity, feature_model) -%}
    {%- set definitions = segment_definitions(entity, active_only=true) -%}
    {%- set known_columns = documented_columns(feature_model) -%}
    {%- if definitions | length == 0 %}
    select
        {{ id_column }},
        cast(null as {{ dbt.type_string() }}) as segment_key,
        cast(null as {{ dbt.type_string() }}) as match_explanation,
        as_of_date
    from {{ relation }}
    where 1 = 0
    {%- endif %}
    {%- for segment in definitions %}
    {%- set columns = segment_rule_columns(segment, known_columns) %}
    {%- for column in segment.explain if known_columns is not none and column not in known_columns %}
        {{ exceptions.raise_compiler_error(
            "family '" ~ segment.family ~ "': explain column '" ~ column
            ~ "' is not a documented column of " ~ feature_model) }}
    {%- endfor %}
    {%- set explained = columns + (segment.explain | reject('in', columns) | list) %}
    select
        {{ id_column }},
        '{{ segment.key }}' as segment_key,
        {{ segment_explanation(explained) }} as match_explanation,
        as_of_date
    from {{ relation }}
    {#- coalesce: a rule that is null for a row does not match it (and Spark would read a bare
        `where (column)` as a table alias with a column list) #}
    where /* segment {{ segment.key }} */ coalesce(({{ segment.rule }}), false)
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}
