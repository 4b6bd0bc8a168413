{#-
    Post-hook of int_data_quality__rejected_rows: an incremental run lists the rejected rows of
    the CRM tables again (they are ranked again at every build), so it deletes the CRM rows that
    earlier runs stored. The load-by-load tables keep their rows.
-#}
{% macro delete_relisted_rejected_rows() -%}
    {%- if is_incremental() %}
    {%- set relisted = [] %}
    {%- for raw in raw_tables() if not raw.by_load %}
        {%- do relisted.append(raw.table) %}
    {%- endfor %}
    delete from {{ this }}
    where
        _written_at < {{ run_started_timestamp() }}
        and source_table in ({{ sql_string_list(relisted) }})
    {%- endif %}
{%- endmacro %}
