"""Typical BI questions against the marts, as a BI tool would send them (plain SQL over the
`marts` schema), and a small benchmark that runs each a few times on a read-only connection and
prints the median. The README shows the same questions."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import duckdb

QUERIES: dict[str, str] = {
    "vip_emea_declining": """
        -- How many VIPs in EMEA declined in engagement this month?
        select count(*) as customers
        from marts.fct_customer_segments as membership
        inner join marts.dim_customers as customers
            on membership.customer_id = customers.customer_id
        where
            membership.segment_key = 'vip'
            and customers.sales_region = 'EMEA'
            and customers.is_engagement_declining
    """,
    "why_is_this_customer_a_champion": """
        -- Why is this customer a Champion?
        select customer_id, matched_rule, match_explanation
        from marts.fct_customer_segments
        where segment_key = 'rfm_champions'
        order by customer_id
        limit 1
    """,
    "segment_sizes_and_revenue": """
        -- Segment sizes, revenue share and NPS, biggest first
        select segment_family, segment_name, members, share_of_customers,
               share_of_revenue, average_order_value, net_promoter_score
        from marts.agg_segment_summary
        order by members desc
    """,
    "customers_by_lifecycle_and_rfm": """
        -- Customers per lifecycle stage and RFM segment (one row per customer table)
        select lifecycle_segment, rfm_segment, count(*) as customers
        from marts.dim_customer_primary_segments
        group by lifecycle_segment, rfm_segment
        order by customers desc
    """,
    "most_overlapping_segments": """
        -- Which segments overlap most?
        select segment_a_key, segment_b_key, shared_members, jaccard_index
        from marts.agg_segment_overlap
        where shared_members > 0
        order by jaccard_index desc
        limit 10
    """,
    "mid_market_saas_weekly_accounts": """
        -- Mid-market SaaS accounts using the product weekly, by country
        select accounts.country_code, count(*) as accounts
        from marts.fct_account_segments as membership
        inner join marts.dim_accounts as accounts
            on membership.account_id = accounts.account_id
        where membership.segment_key = 'mid_market_saas_weekly'
        group by accounts.country_code
        order by accounts desc
    """,
}


def run_benchmark(database: Path, repeat: int = 5) -> list[tuple[str, float, int]]:
    """(query name, median seconds, rows returned) for every query, read-only."""
    con = duckdb.connect(str(database), read_only=True)
    results = []
    try:
        for name, sql in QUERIES.items():
            timings = []
            rows = 0
            for _ in range(repeat):
                started = time.perf_counter()
                rows = len(con.execute(sql).fetchall())
                timings.append(time.perf_counter() - started)
            results.append((name, statistics.median(timings), rows))
    finally:
        con.close()
    return results
