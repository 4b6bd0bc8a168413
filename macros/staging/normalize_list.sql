{#-
    A free-text list delimited by ',', ';' or '|' in any case and spacing (spaces around the
    delimiter; trimmed), as one canonical
    text: lower case, items separated by a single ',' ('Salesforce; Slack | aws' ->
    'salesforce,slack,aws'); empty as null.
-#}
{% macro normalize_list(field) -%}
    nullif(
        {{ regexp_replace_all(
            "lower(" ~ clean_text(field) ~ ")", '[ ]*[,;|][ ]*', ','
        ) }},
        ''
    )
{%- endmacro %}
