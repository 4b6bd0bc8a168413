{#-
    Segment membership of B2B accounts: one row per account and segment it belongs to, as of
    the as-of date, with family, primary flag and why it matched. Exclusive families keep only
    the primary segment. Rules: var segment_definitions (dbt_project.yml).
-#}
-- depends_on: {{ ref('dim_accounts') }}
{{ segment_membership_sql('account', 'account_id', 'dim_accounts') }}
