{#-
    What happens to a raw row, from its rejection reason and its rank among the valid versions of
    its key: 'rejected' (it has a reason), 'duplicate' (an older version or an exact copy of the
    kept row) or 'kept'. Raw rows = kept + rejected + duplicate, per raw table.
-#}
{% macro row_disposition(rejection_reason, version_rank) -%}
    case
        when {{ rejection_reason }} is not null then 'rejected'
        when {{ version_rank }} > 1 then 'duplicate'
        else 'kept'
    end
{%- endmacro %}
