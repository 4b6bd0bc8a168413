{#-
    A 1-5 score from fixed cut points, best first: with `higher_is_better` a value at or above
    cut_points[0] scores 5, at or above cut_points[1] scores 4, ...; otherwise a value at or
    below cut_points[0] scores 5, and so on. Anything beyond the last cut point scores 1.
-#}
{% macro threshold_score(value, cut_points, higher_is_better=true) -%}
    {%- if cut_points | length != 4 -%}
        {{ exceptions.raise_compiler_error(
            "threshold_score needs 4 cut points (for scores 5, 4, 3, 2), got " ~ cut_points
        ) }}
    {%- endif -%}
    case
        {%- for cut_point in cut_points %}
        when {{ value }} {{ '>=' if higher_is_better else '<=' }} {{ cut_point }}
            then {{ 5 - loop.index0 }}
        {%- endfor %}
        else 1
    end
{%- endmacro %}
