{#-
    Every non-null value of the column lies between min_value and max_value (inclusive).
    Returns the rows outside the range.
-#}
{% test value_between(model, column_name, min_value, max_value) %}

select {{ column_name }}
from {{ model }}
where {{ column_name }} < {{ min_value }} or {{ column_name }} > {{ max_value }}

{% endtest %}
