"""The raw source contract: every raw table the models read, with its columns and types.

The column descriptions live in ``models/staging/*/_<source>__sources.yml`` (the documented
contract); this module holds the names and the DuckDB types the demo generator writes, so the
generator, the loaders and the tests agree. ``tests/python/test_contract.py`` checks that this
module and the sources YAML list the same columns.

Timestamps without a time zone are UTC. Staging casts every column with a safe cast, so a user's
raw tables may hold these columns as text as well: what cannot be parsed is rejected with a reason.
"""

from __future__ import annotations

RAW_SCHEMA = "raw"

# table -> ordered (column, duckdb type)
RAW_TABLES: dict[str, list[tuple[str, str]]] = {
    "crm_accounts": [
        ("account_id", "varchar"),
        ("account_name", "varchar"),
        ("website_domain", "varchar"),
        ("industry", "varchar"),
        ("employee_count", "integer"),
        ("annual_revenue", "decimal(18,2)"),
        ("revenue_currency", "varchar"),
        ("country", "varchar"),
        ("region", "varchar"),
        ("city", "varchar"),
        ("technologies", "varchar"),
        ("created_at", "timestamp"),
        ("updated_at", "timestamp"),
        ("is_deleted", "boolean"),
    ],
    "crm_contacts": [
        ("contact_id", "varchar"),
        ("account_id", "varchar"),
        ("email", "varchar"),
        ("phone", "varchar"),
        ("first_name", "varchar"),
        ("last_name", "varchar"),
        ("job_title", "varchar"),
        ("birth_date", "date"),
        ("gender", "varchar"),
        ("country", "varchar"),
        ("city", "varchar"),
        ("preferred_language", "varchar"),
        ("lifecycle_stage", "varchar"),
        ("lead_source", "varchar"),
        ("marketing_opt_in", "boolean"),
        ("merged_into_contact_id", "varchar"),
        ("created_at", "timestamp"),
        ("updated_at", "timestamp"),
        ("is_deleted", "boolean"),
    ],
    "crm_nps_responses": [
        ("response_id", "varchar"),
        ("contact_id", "varchar"),
        ("score", "integer"),
        ("responded_at", "timestamp"),
        ("comment", "varchar"),
    ],
    "shop_orders": [
        ("order_id", "varchar"),
        ("contact_id", "varchar"),
        ("customer_email", "varchar"),
        ("ordered_at", "timestamp"),
        ("status", "varchar"),
        ("currency", "varchar"),
        ("gross_amount", "decimal(18,2)"),
        ("discount_amount", "decimal(18,2)"),
        ("tax_amount", "decimal(18,2)"),
        ("shipping_amount", "decimal(18,2)"),
        ("refunded_amount", "decimal(18,2)"),
        ("channel", "varchar"),
        ("updated_at", "timestamp"),
    ],
    "shop_order_items": [
        ("order_item_id", "varchar"),
        ("order_id", "varchar"),
        ("sku", "varchar"),
        ("product_name", "varchar"),
        ("category", "varchar"),
        ("quantity", "integer"),
        ("unit_price", "decimal(18,2)"),
    ],
    "app_events": [
        ("event_id", "varchar"),
        ("anonymous_id", "varchar"),
        ("user_id", "varchar"),
        ("session_id", "varchar"),
        ("event_name", "varchar"),
        ("occurred_at", "timestamp"),
        ("received_at", "timestamp"),
        ("page_url", "varchar"),
        ("referrer", "varchar"),
        ("utm_source", "varchar"),
        ("utm_medium", "varchar"),
        ("utm_campaign", "varchar"),
        ("device_type", "varchar"),
        ("browser", "varchar"),
        ("os", "varchar"),
        ("ip_country", "varchar"),
        ("properties", "varchar"),
    ],
}

# Every raw table also carries this column, written by the loader: when the row was loaded. The
# incremental staging models read the rows loaded after the newest stamp they have processed.
LOADED_AT_COLUMN = "_loaded_at"

# When a raw row arrived at the source system, for splitting demo data into daily loads
# (custseg.load, part before/after). Order lines arrive with the first version of their order
# (ARRIVAL_JOIN; {orders} is the raw orders relation).
ARRIVAL_SQL: dict[str, str] = {
    "crm_accounts": "coalesce(raw.updated_at, raw.created_at)",
    "crm_contacts": "coalesce(raw.updated_at, raw.created_at)",
    "crm_nps_responses": "raw.responded_at",
    "shop_orders": "coalesce(raw.updated_at, raw.ordered_at)",
    "shop_order_items": "order_arrival.arrived_at",
    "app_events": "raw.received_at",
}
ARRIVAL_JOIN: dict[str, str] = {
    "shop_order_items": (
        "left join (select order_id, min(coalesce(updated_at, ordered_at)) as arrived_at "
        "from {orders} group by order_id) as order_arrival on raw.order_id = order_arrival.order_id"
    ),
}

# The ground truth the generator plants; no dbt model reads it (it is not a dbt source).
TRUTH_SCHEMA = "ground_truth"
TRUTH_TABLES: dict[str, list[tuple[str, str]]] = {
    "contact_personas": [
        ("contact_id", "varchar"),
        ("persona", "varchar"),
        ("account_id", "varchar"),
        ("is_b2b", "boolean"),
    ],
    "account_profiles": [
        ("account_id", "varchar"),
        ("size_class", "varchar"),
        ("industry_group", "varchar"),
    ],
}
