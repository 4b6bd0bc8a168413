{#-
    on-run-start check of the raw source contract, before any model runs. For every declared
    source table that the selected nodes read (or that is selected itself), the raw relation must
    exist and hold every column its sources YAML declares (names compare case-insensitively;
    extra columns are ignored), and no declared column may be binary (BLOB, bytea, binary): text
    must be loaded as text. All problems are collected and raised as one compiler error that
    names the raw table, the column, the problem and the YAML file, e.g.
        raw table raw.shop_orders: column 'currency' declared in
        models/staging/shop/_shop__sources.yml is missing (found: order_id, ...)
    Without the check the engine fails inside a staging model with a binder error that names
    neither the raw table nor the contract. Adapter-neutral: only adapter.get_relation and
    adapter.get_columns_in_relation. Outside execution (parsing) it does nothing.
-#}
{% macro check_raw_sources() -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set selected = selected_resources or [] -%}
    {%- set source_ids = [] -%}
    {%- for unique_id in selected -%}
        {%- if unique_id.startswith('source.') and unique_id not in source_ids -%}
            {%- do source_ids.append(unique_id) -%}
        {%- endif -%}
        {%- set node = graph.nodes.get(unique_id) -%}
        {%- if node is not none -%}
            {%- for parent_id in node.depends_on.nodes -%}
                {%- if parent_id.startswith('source.') and parent_id not in source_ids -%}
                    {%- do source_ids.append(parent_id) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set problems = [] -%}
    {%- for source_id in source_ids | sort -%}
        {%- set source_node = graph.sources.get(source_id) -%}
        {%- if source_node is not none -%}
            {%- do problems.extend(raw_source_problems(source_node)) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error(
            "the raw data does not match the source contract ("
            ~ problems | length ~ " problem" ~ ("s" if problems | length > 1 else "") ~ "):\n  "
            ~ problems | join("\n  ")
        ) }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}


{#- The problems of one source table (a graph.sources node) as a list of messages. -#}
{% macro raw_source_problems(source_node) -%}
    {%- set problems = [] -%}
    {%- set name = source_node.schema ~ '.' ~ source_node.identifier -%}
    {%- set yaml_file = source_node.original_file_path -%}
    {%- set relation = adapter.get_relation(
        database=source_node.database,
        schema=source_node.schema,
        identifier=source_node.identifier
    ) -%}
    {%- if relation is none -%}
        {%- do problems.append(
            "raw table " ~ name ~ " (source '" ~ source_node.source_name ~ "." ~ source_node.name
            ~ "' declared in " ~ yaml_file ~ ") does not exist: load it, or point the vars "
            ~ "raw_database, raw_schema and " ~ source_node.name ~ "_identifier at it"
        ) -%}
        {{ return(problems) }}
    {%- endif -%}
    {%- set found = {} -%}
    {%- set found_names = [] -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- do found.update({column.name | lower: column}) -%}
        {%- do found_names.append(column.name) -%}
    {%- endfor -%}
    {%- for declared in source_node.columns.values() -%}
        {%- set key = declared.name | lower -%}
        {%- if key not in found -%}
            {%- do problems.append(
                "raw table " ~ name ~ ": column '" ~ declared.name ~ "' declared in "
                ~ yaml_file ~ " is missing (found: " ~ found_names | join(", ") ~ ")"
            ) -%}
        {%- elif found[key].dtype | lower | trim in ('blob', 'bytea', 'binary', 'varbinary') -%}
            {%- do problems.append(
                "raw table " ~ name ~ ": column '" ~ declared.name ~ "' declared in "
                ~ yaml_file ~ " has the binary type " ~ found[key].dtype
                ~ "; load text as UTF-8 text, not bytes"
            ) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(problems) }}
{%- endmacro %}
