{#-
    Access for BI tools on PostgreSQL. A BI reader role (env var SEGMENTATION_BI_ROLE, default
    segmentation_bi_reader; empty: no role, no grants) may read the marts and nothing else:
    - dbt grants (dbt_project.yml, models: marts: +grants) give it select on each mart table
      but the activation audiences, which hold emails and names;
    - the on-run-start hook creates the role (NOLOGIN: people and BI tools log in as their own
      users and are granted the role) when it does not exist and dbt's user may create roles;
    - the on-run-end hook gives it usage on the marts schema and takes away any privilege on
      the project's other schemas (staging, intermediate, reference, the target schema).
    With var publish_mode (PostgreSQL write-audit-publish) the marts build into marts_staging,
    which counts as an other schema here; `python -m custseg publish` grants the role the
    published copies in `marts` (custseg/publish_postgres.py).
    The raw schema is not dbt's: the role is never granted anything there. DuckDB has no roles
    (BI tools open the file read-only) and Spark's access is the cluster's: no-ops there.
-#}

{#- The BI reader role's name, or none when SEGMENTATION_BI_ROLE is set empty. -#}
{% macro bi_reader_role() -%}
    {%- set role = env_var('SEGMENTATION_BI_ROLE', 'segmentation_bi_reader') | trim -%}
    {%- if role == '' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if not modules.re.match('^[a-z_][a-z0-9_]{0,62}$', role) -%}
        {{ exceptions.raise_compiler_error(
            "SEGMENTATION_BI_ROLE must be a lower-case role name (a-z, 0-9, _), got '"
            ~ role ~ "'") }}
    {%- endif -%}
    {{ return(role) }}
{%- endmacro %}


{% macro create_bi_reader_role() -%}
    {{ return(adapter.dispatch('create_bi_reader_role', 'customer_segmentation')()) }}
{%- endmacro %}

{% macro default__create_bi_reader_role() -%}
{%- endmacro %}

{% macro postgres__create_bi_reader_role() -%}
    {%- set role = bi_reader_role() -%}
    {%- if role is not none %}
    do $body$
    begin
        if not exists (select 1 from pg_catalog.pg_roles where rolname = '{{ role }}') then
            create role {{ role }} nologin;
        end if;
    end
    $body$;
    {%- endif %}
{%- endmacro %}


{% macro grant_bi_reader_schema_access() -%}
    {{ return(adapter.dispatch('grant_bi_reader_schema_access', 'customer_segmentation')()) }}
{%- endmacro %}

{% macro default__grant_bi_reader_schema_access() -%}
{%- endmacro %}

{% macro postgres__grant_bi_reader_schema_access() -%}
    {%- set role = bi_reader_role() -%}
    {%- if role is not none and execute -%}
        {#- the schemas dbt builds into, from the project's own nodes -#}
        {%- set mart_schemas = [] -%}
        {%- set other_schemas = [target.schema] -%}
        {%- for node in graph.nodes.values()
            if node.resource_type in ('model', 'seed', 'snapshot')
            and node.package_name == project_name -%}
            {#- publish_mode: the marts build into marts_staging, never read by the role -#}
            {%- if node.resource_type == 'model' and node.fqn[1] == 'marts'
                and not var('publish_mode', false) -%}
                {%- do mart_schemas.append(node.schema) -%}
            {%- else -%}
                {%- do other_schemas.append(node.schema) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- set mart_schemas = mart_schemas | unique | list -%}
        {%- set other_schemas = other_schemas | unique | reject('in', mart_schemas) | list -%}
    do $body$
    declare
        schema_name text;
    begin
        foreach schema_name in array array[{{ sql_string_list(mart_schemas) }}]::text[] loop
            if exists (select 1 from pg_catalog.pg_namespace where nspname = schema_name) then
                execute format('grant usage on schema %I to {{ role }}', schema_name);
                execute format('revoke create on schema %I from {{ role }}', schema_name);
            end if;
        end loop;
        foreach schema_name in array array[{{ sql_string_list(other_schemas) }}]::text[] loop
            if exists (select 1 from pg_catalog.pg_namespace where nspname = schema_name) then
                execute format('revoke all on schema %I from {{ role }}', schema_name);
                execute format(
                    'revoke all on all tables in schema %I from {{ role }}', schema_name
                );
            end if;
        end loop;
    end
    $body$;
    {%- endif -%}
{%- endmacro %}
