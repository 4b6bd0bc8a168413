{#-
    A web domain as written in a CRM reduced to the bare host: lower case, no scheme, no
    leading 'www.', no path ('https://www.Acme.com/about' -> 'acme.com'); empty as null.
-#}
{% macro normalize_domain(field) -%}
    nullif(
        {{ dbt.split_part(
            regexp_replace_all(
                "lower(" ~ clean_text(field) ~ ")", '^([a-z]+://)?(www[.])?', ''
            ),
            "'/'",
            1
        ) }},
        ''
    )
{%- endmacro %}
