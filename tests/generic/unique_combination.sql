{#-
    The grain test for composite keys: no two rows share the same values in `columns`
    (nulls compare equal). Returns each repeated combination with how often it occurs.
-#}
{% test unique_combination(model, columns) %}

select
    {{ columns | join(', ') }},
    count(*) as occurrences

from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1

{% endtest %}
