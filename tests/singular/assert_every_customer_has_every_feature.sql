{#-
    Every customer feature model that dim_customers joins holds a row for every customer of
    int_customers__base: as many rows as the customers (their customer_id is unique and not
    null, each model's own tests, and each is built from int_customers__base's customers), so
    dim_customers' left joins find a row for everyone. Row counts only: cheap at any scale.
    Returns the feature models whose count differs.
-#}
{%- set feature_models = [
    'int_customers__rfm', 'int_customers__lifecycle', 'int_customers__value',
    'int_customers__engagement', 'int_customers__demographics', 'int_customers__interests',
    'int_customers__technographics', 'int_customers__geography', 'int_customers__nps',
] -%}

with

customers as (

    select count(*) as customer_rows
    from {{ ref('int_customers__base') }}

),

feature_counts as (

    {% for feature_model in feature_models %}
    select
        '{{ feature_model }}' as feature_model,
        count(*) as feature_rows

    from {{ ref(feature_model) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select
    feature_counts.feature_model,
    feature_counts.feature_rows,
    customers.customer_rows

from feature_counts
cross join customers
where feature_counts.feature_rows <> customers.customer_rows
