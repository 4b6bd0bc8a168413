{#-
    True when a raw value was given but could not be parsed into its typed column. Empty or
    blank text counts as not given (as clean_text treats it), so an empty field of a text-typed
    raw column is a missing value, not an unparseable one.
-#}
{% macro is_parse_failure(raw_field, parsed_field) -%}
    (
        {{ raw_field }} is not null
        and {{ parsed_field }} is null
        and {{ clean_text(raw_field) }} is not null
    )
{%- endmacro %}
