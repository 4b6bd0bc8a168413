{#-
    on-run-end: write everything the run committed into the DuckDB file in one checkpoint.

    DuckDB checkpoints by itself whenever its write-ahead log passes `checkpoint_threshold`
    (profiles.yml, SEGMENTATION_DUCKDB_CHECKPOINT_THRESHOLD). Such a checkpoint runs inside the
    commit of whichever node crossed the threshold, and other nodes' commits wait for it. With a
    large threshold the run's checkpoints move here, after the last node; measured at 1 M that
    made the daily run no faster (the same 8-10 s of work, with nothing beside it), so the
    default stays (docs/decisions.md, "Checkpoints in the daily run"). At the default this
    writes what closing the database would, and leaves no write-ahead log behind a run. A no-op
    on other engines and on an in-memory database.
-#}
{% macro checkpoint_warehouse() -%}
    {{ return(adapter.dispatch('checkpoint_warehouse', 'customer_segmentation')()) }}
{%- endmacro %}

{% macro default__checkpoint_warehouse() -%}
{%- endmacro %}

{% macro duckdb__checkpoint_warehouse() -%}
    {%- if execute -%}
    checkpoint
    {%- endif -%}
{%- endmacro %}
