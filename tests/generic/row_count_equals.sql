{#- The model has exactly `expected` rows. Returns one row with the actual count otherwise. -#}
{% test row_count_equals(model, expected) %}

select count(*) as actual_rows
from {{ model }}
having count(*) <> {{ expected }}

{% endtest %}
