{#-
    The body of a segment membership model: every active segment rule of `entity` applied to
    the rows of `feature_model` (dim_customers or dim_accounts), ranked by priority within the
    family. Exclusive families keep only the primary (highest-priority) match.
-#}
{% macro segment_membership_sql(entity, id_column, feature_model) -%}
{%- set definitions = segment_definitions(entity, active_only=true) -%}
with

entities as (

    select * from {{ ref(feature_model) }}

),

segment_definitions as (

    {{ segment_definitions_sql(definitions) }}

),

matches as (

    {{ segment_matches_sql('entities', id_column, entity, feature_model) }}

),

ranked as (

    select
        matches.{{ id_column }},
        matches.segment_key,
        segment_definitions.segment_family,
        segment_definitions.segment_name,
        segment_definitions.segment_rule,
        matches.match_explanation,
        segment_definitions.segment_priority,
        segment_definitions.is_family_exclusive,
        row_number() over (
            partition by matches.{{ id_column }}, segment_definitions.segment_family
            order by segment_definitions.segment_priority asc
        ) as rank_in_family,
        matches.as_of_date

    from matches
    inner join segment_definitions
        on matches.segment_key = segment_definitions.segment_key

),

final as (

    select
        {{ id_column }},
        segment_key,
        segment_family,
        segment_name,
        segment_rule as matched_rule,
        match_explanation,
        segment_priority,
        rank_in_family = 1 as is_primary,
        as_of_date

    from ranked
    where not is_family_exclusive or rank_in_family = 1

)

select * from final
{%- endmacro %}
