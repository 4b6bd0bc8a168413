{#-
    A 1-5 score from a rank (rank() over the value, ties sharing a rank) and the population
    size: 1 + the number of quintile boundaries the rank has passed, with percent rank
    (rank - 1) / (n - 1) compared to 1/5 .. 4/5 in integer arithmetic, so equal values always
    get equal scores and no engine's float rounding moves a boundary. A population of one scores 5.
-#}
{% macro quintile_score(rank_column, population_column) -%}
    (
        1
        {%- for boundary in range(1, 5) %}
        + case
            when 5 * ({{ rank_column }} - 1) >= {{ boundary }} * ({{ population_column }} - 1)
                then 1
            else 0
        end
        {%- endfor %}
    )
{%- endmacro %}
