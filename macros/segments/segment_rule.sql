{#-
    Checks that a segment rule is a boolean condition over known columns, and returns the
    columns it uses (in order of first use). An allow-list: the given column names, string and
    number literals, comparison and arithmetic operators, parentheses, commas, and the words
    and, or, not, in, is, null, true, false, between, like, case, when, then, else, end, and the
    one function coalesce(...). Anything else raises a compiler error that names the segment
    and the reason, so nothing runs: a semicolon, a comment, a quoted identifier, a dotted name
    (schema.table), a statement or query keyword (select, drop, copy, attach, pragma, set, ...),
    any other function call (read_csv(...), pg_read_file(...), ...), an unknown column.
    The keyword and function checks need no column list, so they also fail `dbt parse`.
    With the columns' data types known (the mart's contract), a column compared with a literal
    of another kind (text with a number, a flag with text, ...) is refused the same way, since
    the engine would only fail later, deep inside the membership query.
    known_columns: {column: data_type}; none when dbt's graph is empty (inside unit tests): then
    only the syntax is checked.
-#}
{% macro segment_rule_columns(segment, known_columns) -%}
    {%- set where = "segment '" ~ segment.key ~ "' (family " ~ segment.family ~ ")" -%}
    {%- set rule = segment.rule -%}
    {%- set allowed_words = [
        'and', 'or', 'not', 'in', 'is', 'null', 'true', 'false', 'between', 'like',
        'case', 'when', 'then', 'else', 'end', 'coalesce'
    ] -%}
    {#- not needed for the allow-list (they are not columns either), but named in the error, and
        refused even where no column list is known (parsing, unit tests) -#}
    {%- set statement_words = [
        'select', 'from', 'where', 'join', 'union', 'intersect', 'except', 'with', 'values',
        'table', 'into', 'returning', 'exists', 'lateral', 'insert', 'update', 'delete', 'merge',
        'upsert', 'truncate', 'drop', 'create', 'alter', 'rename', 'grant', 'revoke', 'copy',
        'attach', 'detach', 'pragma', 'install', 'load', 'call', 'set', 'reset', 'execute',
        'exec', 'prepare', 'deallocate', 'declare', 'do', 'begin', 'commit', 'rollback',
        'vacuum', 'analyze', 'checkpoint', 'export', 'import', 'use', 'show', 'describe',
        'summarize', 'listen', 'notify', 'lock'
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
    {%- set tokens = [] -%}
    {%- set state = {'position': 0, 'depth': 0} -%}
    {%- for _ in range(rule | length + 1) -%}
        {%- if state.position < (rule | length) and rule[state.position:] | trim != '' -%}
            {%- set match = token_pattern.match(rule, state.position) -%}
            {%- if match is none or match.end() == state.position -%}
                {%- set rest = rule[state.position:] | trim -%}
                {{ exceptions.raise_compiler_error(
                    where ~ ": cannot read the rule at '" ~ rest ~ "': "
                    ~ ("a dotted name (schema.table or table.column) is not allowed; "
                       if rest.startswith('.') else "")
                    ~ "a rule holds only column names, literals, the operators"
                    ~ " = <> != < > <= >= + - * / %, parentheses and commas") }}
            {%- endif -%}
            {%- set word = match.group(3) -%}
            {%- set symbol = match.group(4) -%}
            {%- if match.group(1) is not none -%}
                {%- do tokens.append(('literal', 'text')) -%}
            {%- elif match.group(2) is not none -%}
                {%- do tokens.append(('literal', 'number')) -%}
            {%- elif word is not none -%}
                {%- if word | lower in ('true', 'false') -%}
                    {%- do tokens.append(('literal', 'boolean')) -%}
                {%- elif word | lower in allowed_words -%}
                    {%- do tokens.append(('word', word | lower)) -%}
                {%- elif word | lower in statement_words -%}
                    {{ exceptions.raise_compiler_error(
                        where ~ ": '" ~ word ~ "' is not allowed; a rule is a boolean condition"
                        ~ " over the columns of one row, not a query or statement: " ~ rule) }}
                {%- elif (rule[match.end():] | trim).startswith('(') -%}
                    {{ exceptions.raise_compiler_error(
                        where ~ ": function '" ~ word ~ "(...)' is not allowed; a rule may call"
                        ~ " only coalesce(...): " ~ rule) }}
                {%- elif rule[match.end():].startswith('.') -%}
                    {{ exceptions.raise_compiler_error(
                        where ~ ": '" ~ word ~ ".' is not allowed; a rule reads the columns of"
                        ~ " one row by name, never another schema or table: " ~ rule) }}
                {%- elif known_columns is none or word in known_columns -%}
                    {%- if word not in columns -%}{%- do columns.append(word) -%}{%- endif -%}
                    {%- do tokens.append(('column', word)) -%}
                {%- else -%}
                    {{ exceptions.raise_compiler_error(
                        where ~ ": unknown column '" ~ word ~ "' in rule: " ~ rule
                        ~ ". Rules may use the documented columns: "
                        ~ (known_columns | list | sort | join(', '))) }}
                {%- endif -%}
            {%- else -%}
                {%- do tokens.append(('symbol', symbol)) -%}
                {%- if symbol == '(' -%}
                    {%- do state.update({'depth': state.depth + 1}) -%}
                {%- elif symbol == ')' -%}
                    {%- do state.update({'depth': state.depth - 1}) -%}
                    {%- if state.depth < 0 -%}
                        {{ exceptions.raise_compiler_error(
                            where ~ ": unbalanced ')' in rule: " ~ rule) }}
                    {%- endif -%}
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
    {%- if known_columns is not none -%}
        {%- do _check_segment_rule_types(where, rule, tokens, known_columns) -%}
    {%- endif -%}
    {{ return(columns) }}
{%- endmacro %}


{#- The kind of a column's data type: text, number, boolean, date or unknown. -#}
{% macro _segment_type_kind(data_type) -%}
    {%- set type_name = (data_type or '') | lower -%}
    {%- if type_name.startswith(('varchar', 'text', 'string', 'char')) -%}
        {{ return('text') }}
    {%- elif type_name.startswith(('int', 'bigint', 'smallint', 'decimal', 'numeric', 'double',
        'float', 'real')) -%}
        {{ return('number') }}
    {%- elif type_name.startswith('bool') -%}
        {{ return('boolean') }}
    {%- elif type_name.startswith(('date', 'timestamp')) -%}
        {{ return('date') }}
    {%- endif -%}
    {{ return('unknown') }}
{%- endmacro %}


{#-
    A column compared (=, <>, <, ..., in, between, like) with a literal of another kind fails
    here. Dates may be compared with text literals ('2026-01-01').
-#}
{% macro _check_segment_rule_types(where, rule, tokens, known_columns) -%}
    {%- set comparisons = ['=', '<>', '!=', '<', '>', '<=', '>='] -%}
    {%- for index in range(tokens | length) -%}
        {%- set token = tokens[index] -%}
        {%- if token[0] == 'column' -%}
            {%- set kind = _segment_type_kind(known_columns[token[1]]) -%}
            {#- the literals this column is compared with: after an operator, after in ( ... ),
                after between and its and -#}
            {%- set compared = [] -%}
            {%- set rest = tokens[index + 1:] -%}
            {%- if rest | length >= 2 and rest[0][0] == 'symbol' and rest[0][1] in comparisons -%}
                {%- do compared.append(rest[1]) -%}
            {%- elif rest | length >= 1 and rest[0] == ('word', 'between') -%}
                {%- do compared.append(rest[1] if rest | length > 1 else ('word', '')) -%}
                {%- do compared.append(rest[3] if rest | length > 3 else ('word', '')) -%}
            {%- elif rest | length >= 1 and rest[0] in [('word', 'in'), ('word', 'like')] -%}
                {%- for item in rest[1:] -%}
                    {%- if item == ('symbol', ')') -%}{%- break -%}{%- endif -%}
                    {%- do compared.append(item) -%}
                {%- endfor -%}
            {%- endif -%}
            {%- if index >= 2 and tokens[index - 1][0] == 'symbol'
                and tokens[index - 1][1] in comparisons -%}
                {%- do compared.append(tokens[index - 2]) -%}
            {%- endif -%}
            {%- for other in compared if other[0] == 'literal' and kind != 'unknown' -%}
                {%- set fits = other[1] == kind or (kind == 'date' and other[1] == 'text') -%}
                {%- if not fits -%}
                    {{ exceptions.raise_compiler_error(
                        where ~ ": column '" ~ token[1] ~ "' holds " ~ kind ~ " ("
                        ~ known_columns[token[1]] ~ ") but is compared with a " ~ other[1]
                        ~ " literal in rule: " ~ rule) }}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
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
