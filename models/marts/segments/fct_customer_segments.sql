{#-
    Segment membership of customers: one row per customer and segment they belong to, as of
    the as-of date, with the segment's family, whether it is the customer's primary segment in
    that family (the highest-priority match), and why they matched (the rule and the values of
    the columns behind it: "rfm_segment=Champions, r_score=5, f_score=4, recency_days=3, ...").
    In exclusive families a customer holds only the primary segment. Rules:
    var segment_definitions (dbt_project.yml).
-#}
-- depends_on: {{ ref('dim_customers') }}
{{ segment_membership_sql('customer', 'customer_id', 'dim_customers') }}
