{#-
    The body of a segment membership model: every active segment rule of `entity` applied to
    the rows of `feature_model` (dim_customers or dim_accounts), ranked by priority within the
    family. Exclusive families keep only the primary (highest-priority) match. Each member is
    assigned to the segment's holdout group (is_holdout) by a hash of member and segment, so the
    assignment is deterministic and stable across builds.
-#}
{% macro segment_membership_sql(entity, id_column, feature_model) -%}
{%- set definitions = segment_definitions(entity, active_only=true) -%}
with

{#- Inlined: every rule's branch reads a few columns of the feature model; left to itself,
    DuckDB buffers the whole wide table once for the 59 readers (three times slower for the
    customers at 100 k contacts, docs/decisions.md "Segment rules read their columns"). #}
entities as {{ cte_inlined() }} (

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
        segment_definitions.holdout_share,
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
        {#- a stable, deterministic share of each segment kept out of campaigns to measure lift -#}
        {{ hash_bucket(dbt.concat([id_column, "'|'", 'segment_key']), 10000) }}
        < holdout_share * 10000 as is_holdout,
        as_of_date

    from ranked
    where not is_family_exclusive or rank_in_family = 1

)

select * from final
{%- endmacro %}
