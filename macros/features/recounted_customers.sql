{#-
    The parts shared by the customer features that a daily run counts again only for the
    customers whose values can have changed since the model's last write, carrying the stored
    rows of every other customer over (int_customers__engagement, int_customers__interests,
    int_customers__technographics, int_customers__lifecycle, int_customers__geography;
    docs/decisions.md, "Engagement counted again only where it changed", "Interests,
    technographics and lifecycle counted again only where they changed" and "Geography counted
    again only where it changed"). Each model lists its own customers to count again in a
    `customers_to_count` CTE (rows written since, days on a moving window edge, old owners from
    the identity change logs, rows of other settings); these macros give the rest. Incremental
    runs only.
-#}

{#- One row: the as-of date of the model's last write and the one of this run. -#}
{% macro as_of_dates_since_last_write(customers) -%}
    select
        (select max(stored_rows.as_of_date) from {{ this }} as stored_rows)
            as previous_as_of_date,
        (select max(current_customers.as_of_date) from {{ customers }} as current_customers)
            as as_of_date
{%- endmacro %}


{#-
    True for a row dated on a day that enters or leaves one of the windows as the as-of date
    moves from the last write's to this run's (either way). A window of `days` days holds the
    dates after as-of date - `days` up to the as-of date; 0 stands for the as-of date itself
    (the rows up to it), so [0, 30] covers "the last 30 days" and "everything up to the as-of
    date". `as_of_dates` is the relation of as_of_dates_since_last_write.
-#}
{% macro on_a_moving_window_edge(date_column, window_days, as_of_dates='as_of_dates') -%}
    {%- set earlier = 'least(' ~ as_of_dates ~ '.previous_as_of_date, '
        ~ as_of_dates ~ '.as_of_date)' -%}
    {%- set later = 'greatest(' ~ as_of_dates ~ '.previous_as_of_date, '
        ~ as_of_dates ~ '.as_of_date)' -%}
    (
        {%- for days in window_days %}
        (
            {{ date_column }} > {{ dbt.dateadd('day', -days, earlier) }}
            and {{ date_column }} <= {{ dbt.dateadd('day', -days, later) }}
        )
        {%- if not loop.last %}
        or{% endif %}
        {%- endfor %}
    )
{%- endmacro %}


{#-
    Two CTEs: `carried_over`, the stored rows of the current customers (`customers`) that are
    not in `customers_to_count`, with this run's as-of date as `current_as_of_date`; and
    `counted_customers`, the rows of `customers` counted again (all the others, so also the
    customers the table does not hold yet). Anti joins, not `not in (subquery)`: PostgreSQL
    runs that as a scan of the subquery's rows per stored row once they outgrow work_mem.
-#}
{% macro carried_over_and_counted_customers(customers, customers_to_count) -%}
carried_over as (

    select
        stored_rows.*,
        current_customers.as_of_date as current_as_of_date

    from {{ this }} as stored_rows
    inner join {{ customers }} as current_customers
        on stored_rows.customer_id = current_customers.customer_id
    left join {{ customers_to_count }} as recounted
        on stored_rows.customer_id = recounted.customer_id
    where recounted.customer_id is null

),

counted_customers as (

    select current_customers.*
    from {{ customers }} as current_customers
    left join carried_over
        on current_customers.customer_id = carried_over.customer_id
    where carried_over.customer_id is null

)
{%- endmacro %}


{#-
    The customers that held any identifier of `identifier_types` (contact_id, email,
    anonymous_id) that the identity change logs logged since the model's last write: rows
    re-attributed away from them leave nothing that points at them. A union of selects; the
    model declares `-- depends_on:` the logs it reads (only those: a ref here makes none).
-#}
{% macro customers_of_logged_identifiers(identifier_types) -%}
    {%- set change_logs = {
        'contact_id': 'int_identity__crm_changes',
        'email': 'int_identity__crm_changes',
        'anonymous_id': 'int_identity__device_changes'
    } -%}
    {%- for identifier_type in identifier_types %}
    {{ customers_of_identifiers_logged_since_last_write(
        ref(change_logs[identifier_type]), identifier_type
    ) }}
    {%- if not loop.last %}

    union
    {% endif %}
    {%- endfor %}
{%- endmacro %}
