{#- The feature mart whose documented columns the rules of an entity's segments may use. -#}
{% macro segment_feature_model(entity) -%}
    {%- set models = {'customer': 'dim_customers', 'account': 'dim_accounts'} -%}
    {%- if entity not in models -%}
        {{ exceptions.raise_compiler_error(
            "unknown segment entity '" ~ entity ~ "'; known: customer, account") }}
    {%- endif -%}
    {{ return(models[entity]) }}
{%- endmacro %}


{#-
    on-run-start hook: checks every segment definition (keys, families, priorities) and every
    active rule against the documented columns of its feature mart before any node of a run or
    build executes, so a broken or malicious rule stops `dbt build` (or `dbt run -s staging`)
    with an error naming the segment and nothing is written. The membership models check the
    same again when they compile. Renders no SQL.
-#}
{% macro validate_segment_definitions() -%}
    {%- if execute -%}
        {%- for entity in ['customer', 'account'] -%}
            {%- set feature_model = segment_feature_model(entity) -%}
            {%- set known_columns = documented_columns(feature_model) -%}
            {%- for segment in segment_definitions(entity, active_only=true) -%}
                {%- do segment_rule_columns(segment, known_columns) -%}
                {%- for column in segment.explain
                    if known_columns is not none and column not in known_columns -%}
                    {{ exceptions.raise_compiler_error(
                        "family '" ~ segment.family ~ "': explain column '" ~ column
                        ~ "' is not a documented column of " ~ feature_model) }}
                {%- endfor -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- do segment_definitions() -%}
    {%- endif -%}
{%- endmacro %}


{#-
    Try a rule before adding it, without building anything:
    dbt run-operation check_segment_rule --args '{key: my_segment, family: campaign,
        rule: "lifetime_net_revenue >= 500 and is_mobile_first"}'
    Prints the columns the rule uses, or fails with the same error a build would give.
-#}
{% macro check_segment_rule(key, rule, family='campaign') -%}
    {%- set families = {} -%}
    {%- for known in segment_families() -%}
        {%- do families.update({known.family: known}) -%}
    {%- endfor -%}
    {%- if family not in families -%}
        {{ exceptions.raise_compiler_error(
            "segment '" ~ key ~ "': unknown family '" ~ family ~ "'; known families: "
            ~ (families.keys() | list | sort | join(', '))) }}
    {%- endif -%}
    {%- set feature_model = segment_feature_model(families[family].entity) -%}
    {%- set segment = {'key': key, 'family': family, 'rule': rule | trim} -%}
    {%- set columns = segment_rule_columns(segment, documented_columns(feature_model)) -%}
    {{ print("segment '" ~ key ~ "' (family " ~ family ~ "): rule accepted; uses "
        ~ (columns | join(', ')) ~ " of " ~ feature_model) }}
{%- endmacro %}
