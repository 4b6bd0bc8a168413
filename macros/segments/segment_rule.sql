{#-
    Checks that a segment rule is a boolean condition over known columns, and returns the
    columns it uses (in order of first use). known_columns none: the columns cannot be known
    (dbt's graph is empty inside unit tests); the syntax is still checked. Allowed: the given column names, string and number
    literals, comparison and arithmetic operators, parentheses, commas, and the words and, or,
    not, in, is, null, true, false, between, like, case, when, then, else, end, coalesce.
    Anything else (a semicolon, a comment, a quoted identifier, a subquery, a function or table
    name, an unknown column) raises a compiler error that names the segment, so nothing runs.
-#}
{% macro segment_rule_columns(segment, known_columns) -%}
    {%- set where = "segment '" ~ segment.key ~ "' (family " ~ segment.family ~ ")" -%}
    {%- set rule = segment.rule -%}
    {%- set allowed_words = [
        'and', 'or', 'not', 'in', 'is', 'null', 'true', 'false', 'between', 'like',
        'case', 'when', 'then', 'else', 'end', 'coalesce'
    ] -%}
    {%- set token_pattern = modules.re.compile(
        "\\s*(?:('(?:[^']|'')*')|(\\d+(?:\\.\\d+)?)|([A-Za-z_][A-Za-z0-9_]*)"
        ~ "|(<=|>=|<>|!=|=|<|>|\\(|\\)|,|\\+|-|\\*|/|%))"
    ) -%}
    {%- for forbidden in [';', '--', '/*', '*/', '"', '`'] -%}
        {%- if forbidden in rule -%}
            {{ exceptions.raise_compiler_error(
                where ~ ": the rule must be a single boolean condition; '" ~ forbidden
                ~ "' is not allowed in: " ~ rule) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set columns = [] -%}
    {%- set state = {'position': 0, 'depth': 0} -%}
    {%- for _ in range(rule | length + 1) -%}
        {%- if state.position < (rule | length) and rule[state.position:] | trim != '' -%}
            {%- set match = token_pattern.match(rule, state.position) -%}
            {%- if match is none or match.end() == state.position -%}
                {{ exceptions.raise_compiler_error(
                    where ~ ": cannot read the rule at '" ~ rule[state.position:] ~ "'") }}
            {%- endif -%}
            {%- set word = match.group(3) -%}
            {%- set symbol = match.group(4) -%}
            {%- if word is not none -%}
                {%- if word | lower in allowed_words -%}
                {%- elif word | lower in ('select', 'from', 'join', 'union', 'with', 'insert',
                    'update', 'delete', 'drop', 'create', 'alter', 'exists', 'grant') -%}
                    {{ exceptions.raise_compiler_error(
                        where ~ ": '" ~ word ~ "' is not allowed; a rule is a boolean condition"
                        ~ " over the columns of one row, not a query: " ~ rule) }}
                {%- elif known_columns is none or word in known_columns -%}
                    {%- if word not in columns -%}{%- do columns.append(word) -%}{%- endif -%}
                {%- else -%}
                    {{ exceptions.raise_compiler_error(
                        where ~ ": unknown column '" ~ word ~ "' in rule: " ~ rule
                        ~ ". Rules may use the documented columns: "
                        ~ (known_columns | sort | join(', '))) }}
                {%- endif -%}
            {%- elif symbol == '(' -%}
                {%- do state.update({'depth': state.depth + 1}) -%}
            {%- elif symbol == ')' -%}
                {%- do state.update({'depth': state.depth - 1}) -%}
                {%- if state.depth < 0 -%}
                    {{ exceptions.raise_compiler_error(
                        where ~ ": unbalanced ')' in rule: " ~ rule) }}
                {%- endif -%}
            {%- endif -%}
            {%- do state.update({'position': match.end()}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if state.depth != 0 -%}
        {{ exceptions.raise_compiler_error(where ~ ": unbalanced '(' in rule: " ~ rule) }}
    {%- endif -%}
    {%- if columns | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            where ~ ": the rule uses no column, so it would select everyone or no one: " ~ rule) }}
    {%- endif -%}
    {{ return(columns) }}
{%- endmacro %}


{#-
    SQL text explaining a match: 'column=value' for each given column, separated by ', ',
    e.g. 'rfm_segment=Champions, r_score=5, f_score=4, recency_days=3'.
-#}
{% macro segment_explanation(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- if not loop.first -%}{%- do parts.append("', '") -%}{%- endif -%}
        {%- do parts.append("'" ~ column ~ "='") -%}
        {%- do parts.append(
            "coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), 'null')"
        ) -%}
    {%- endfor -%}
    {{ dbt.concat(parts) }}
{%- endmacro %}
