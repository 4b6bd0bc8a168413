{#-
    Incremental staging reads only the raw rows of loads it has not processed yet: rows whose
    loader stamp (var('loaded_at_column'), see the sources YAML) is newer than the newest stamp
    in the model. On a first run or a full refresh every row is read.
-#}
{% macro loaded_at_column(relation_alias) -%}
    cast({{ relation_alias }}.{{ var('loaded_at_column') }} as {{ dbt.type_timestamp() }})
{%- endmacro %}

{% macro where_not_yet_loaded(loaded_at_expression) -%}
    {%- if is_incremental() %}
    where {{ loaded_at_expression }} > (
        select coalesce(max(_loaded_at), cast('1900-01-01' as {{ dbt.type_timestamp() }}))
        from {{ this }}
    )
    {%- endif %}
{%- endmacro %}

{#-
    The keys the model already holds a kept row for, among the keys of `new_rows`: a new copy of
    such a key is a duplicate (the first copy loaded is kept). Empty on a full refresh.
-#}
{% macro previously_kept_keys(key, new_rows) -%}
    {%- if is_incremental() %}
    select distinct {{ key }}
    from {{ this }}
    where
        row_disposition = 'kept'
        and {{ key }} in (select {{ key }} from {{ new_rows }})
    {%- else %}
    select {{ key }}
    from {{ new_rows }}
    where 1 = 0
    {%- endif %}
{%- endmacro %}

{#-
    For a model keyed by `key` that re-derives a key's row from all its versions: on an
    incremental run, restricts the versions read to the keys that the loads not yet processed
    touched. Renders nothing on a full refresh.
-#}
{% macro and_key_in_new_loads(key, versions_relation) -%}
    {%- if is_incremental() %}
    and {{ key }} in (
        select {{ key }} from {{ versions_relation }}
        {{ where_not_yet_loaded('_loaded_at') }}
    )
    {%- endif %}
{%- endmacro %}
