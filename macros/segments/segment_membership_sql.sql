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

family_matches as (

    select
        matches.{{ id_column }},
        matches.segment_key,
        matches.match_explanation,
        segment_definitions.segment_family,
        segment_definitions.segment_priority,
        matches.as_of_date

    from matches
    inner join segment_definitions
        on matches.segment_key = segment_definitions.segment_key

),

{#- The primary segment of a family is the member's match with the smallest priority
    (priorities are unique within a family: segment_definitions checks it). A grouping to one
    row per member and family, joined back, instead of a row_number() window over every match:
    the window partitioned all 5.4 M matches of 1 M customers with their columns and was half
    of the model's time (docs/decisions.md, "Fewer passes in the customer features and
    segments"). -#}
family_primaries as (

    select
        {{ id_column }},
        segment_family,
        min(segment_priority) as primary_priority

    from family_matches
    group by {{ id_column }}, segment_family

),

final as (

    select
        family_matches.{{ id_column }},
        family_matches.segment_key,
        segment_definitions.segment_family,
        segment_definitions.segment_name,
        segment_definitions.segment_rule as matched_rule,
        family_matches.match_explanation,
        segment_definitions.segment_priority,
        family_matches.segment_priority = family_primaries.primary_priority as is_primary,
        {#- a stable, deterministic share of each segment kept out of campaigns to measure lift -#}
        {{ hash_bucket(
            dbt.concat(['family_matches.' ~ id_column, "'|'", 'family_matches.segment_key']),
            10000
        ) }}
        < segment_definitions.holdout_share * 10000 as is_holdout,
        family_matches.as_of_date

    from family_matches
    inner join segment_definitions
        on family_matches.segment_key = segment_definitions.segment_key
    inner join family_primaries
        on
            family_matches.{{ id_column }} = family_primaries.{{ id_column }}
            and family_matches.segment_family = family_primaries.segment_family
    where
        not segment_definitions.is_family_exclusive
        or family_matches.segment_priority = family_primaries.primary_priority

)

select * from final
{%- endmacro %}
