{#-
    Segment definitions and families are data: the vars `segment_families` and
    `segment_definitions` in dbt_project.yml (override them with --vars to try a definition).
    Reading vars needs no warehouse query, so linting, unit tests and `dbt compile` see the same
    definitions as a build.
-#}
{% macro _segment_meta() -%}
    {{ return({
        'segment_families': var('segment_families', []),
        'segment_definitions': var('segment_definitions', []),
    }) }}
{%- endmacro %}


{#- The families, optionally of one entity ('customer' or 'account'). -#}
{% macro segment_families(entity=none) -%}
    {%- set families = [] -%}
    {%- for family in _segment_meta().get('segment_families', []) -%}
        {%- if entity is none or family.entity == entity -%}
            {%- do families.append(family) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(families) }}
{%- endmacro %}


{#-
    The segment definitions, each completed with its family's entity and exclusivity, sorted by
    family and priority; optionally only those of one entity, and only active ones.
    Every definition is checked (keys, family, priority, rule) and a broken one stops the build
    with an error naming the segment.
-#}
{% macro segment_definitions(entity=none, active_only=false) -%}
    {%- set meta = _segment_meta() -%}
    {%- set families = {} -%}
    {%- for family in meta.get('segment_families', []) -%}
        {%- do families.update({family.family: family}) -%}
    {%- endfor -%}
    {%- set seen_keys = [] -%}
    {%- set seen_priorities = [] -%}
    {%- set result = [] -%}
    {%- for definition in meta.get('segment_definitions', []) -%}
        {%- set key = definition.get('key') -%}
        {%- set where = "segment '" ~ key ~ "'" -%}
        {%- if not key or not modules.re.match('^[a-z][a-z0-9_]*$', key) -%}
            {{ exceptions.raise_compiler_error(
                where ~ ": key must be lower_snake_case (a-z, 0-9, _)") }}
        {%- endif -%}
        {%- if key in seen_keys -%}
            {{ exceptions.raise_compiler_error(where ~ ": key defined twice") }}
        {%- endif -%}
        {%- do seen_keys.append(key) -%}
        {%- for field in ['family', 'name', 'description', 'owner', 'priority', 'rule'] -%}
            {%- if definition.get(field) is none or definition.get(field) == '' -%}
                {{ exceptions.raise_compiler_error(where ~ ": '" ~ field ~ "' is missing") }}
            {%- endif -%}
        {%- endfor -%}
        {%- set family = families.get(definition.family) -%}
        {%- if family is none -%}
            {{ exceptions.raise_compiler_error(
                where ~ ": unknown family '" ~ definition.family ~ "'; known families: "
                ~ (families.keys() | list | sort | join(', '))) }}
        {%- endif -%}
        {%- set priority_key = definition.family ~ '/' ~ definition.priority -%}
        {%- if priority_key in seen_priorities -%}
            {{ exceptions.raise_compiler_error(
                where ~ ": priority " ~ definition.priority ~ " is already used in family '"
                ~ definition.family ~ "'") }}
        {%- endif -%}
        {%- do seen_priorities.append(priority_key) -%}
        {%- set status = definition.get('status', 'active') -%}
        {%- if status not in ('active', 'retired') -%}
            {{ exceptions.raise_compiler_error(
                where ~ ": status must be active or retired, got '" ~ status ~ "'") }}
        {%- endif -%}
        {%- set completed = {
            'key': key,
            'family': definition.family,
            'name': definition.name,
            'description': definition.description,
            'owner': definition.owner,
            'priority': definition.priority | int,
            'rule': definition.rule | trim,
            'status': status,
            'entity': family.entity,
            'is_exclusive': family.is_exclusive,
            'explain': family.get('explain', []),
            'holdout_share': definition.get('holdout_share', var('default_holdout_share')),
        } -%}
        {%- if not (0 <= completed.holdout_share | float < 1) -%}
            {{ exceptions.raise_compiler_error(
                where ~ ": holdout_share must be at least 0 and below 1, got "
                ~ completed.holdout_share) }}
        {%- endif -%}
        {%- if (entity is none or family.entity == entity)
            and (not active_only or status == 'active') -%}
            {%- do result.append(completed) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(result | sort(attribute='priority') | sort(attribute='family')) }}
{%- endmacro %}


{#-
    The documented columns of a model with their contract data types, {name: data_type}: what
    segment rules may use. dbt's graph is empty while parsing and inside unit tests; then no
    check against the YAML is possible and `none` is returned (the rules were checked when the
    model itself compiled).
-#}
{% macro documented_columns(model_name) -%}
    {%- set node = graph.get('nodes', {}).get('model.customer_segmentation.' ~ model_name) -%}
    {%- if node is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set columns = {} -%}
    {%- for name, column in node.columns.items() -%}
        {%- do columns.update({name: column.data_type}) -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}
