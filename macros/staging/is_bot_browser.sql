{#-
    True when the browser / client name contains one of var('bot_browser_patterns')
    (case-insensitive): crawlers, headless browsers and scripts, not people.
-#}
{% macro is_bot_browser(browser) -%}
    coalesce(
        {%- for pattern in var('bot_browser_patterns') %}
        {{ dbt.position("'" ~ pattern | lower ~ "'", "lower(" ~ browser ~ ")") }} > 0
        {{- " or" if not loop.last }}
        {%- endfor %},
        false
    )
{%- endmacro %}
