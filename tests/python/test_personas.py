"""The features recover the personas the generator planted (ground_truth.contact_personas,
which no model reads). Thresholds are stated per persona; they are the product's promise that
the RFM, lifecycle and engagement rules mean what their names say."""

from __future__ import annotations

import duckdb
import pytest

from tests.python.conftest import Warehouse


def _share(built_warehouse: Warehouse, persona: str, feature_sql: str) -> tuple[float, int]:
    """Share of the planted persona's customers for which `feature_sql` (over f.*) is true."""
    con = duckdb.connect(str(built_warehouse.database), read_only=True)
    try:
        hits, total = con.execute(
            f"""
            select count(*) filter (where {feature_sql}), count(*)
            from ground_truth.contact_personas as truth
            inner join (
                select *
                from intermediate.int_customers__rfm
                inner join intermediate.int_customers__lifecycle using (customer_id, as_of_date)
                inner join intermediate.int_customers__engagement using (customer_id, as_of_date)
            ) as f
                on truth.contact_id = f.customer_id
            where truth.persona = '{persona}'
            """
        ).fetchone()
    finally:
        con.close()
    assert total > 0, f"no planted {persona} reached the customer features"
    return hits / total, total


@pytest.mark.parametrize(
    ("persona", "feature_sql", "minimum_share"),
    [
        ("champion", "rfm_segment in ('Champions', 'Loyal Customers')", 0.90),
        ("champion", "lifecycle_stage in ('repeat', 'new', 'reactivated')", 0.95),
        ("loyal", "rfm_segment in ('Champions', 'Loyal Customers', 'Potential Loyalists')", 0.80),
        ("churned", "lifecycle_stage = 'inactive'", 0.95),
        ("churned", "rfm_segment in ('Hibernating', 'At Risk', 'Can''t Lose Them')", 0.90),
        ("dormant_lead", "lifecycle_stage = 'lead'", 0.97),
        ("dormant_lead", "not has_purchased", 0.97),
        ("new", "lifecycle_stage = 'new'", 0.80),
        ("one_time", "frequency <= 1", 0.95),
        ("slipping", "lifecycle_stage in ('lapsing', 'inactive')", 0.85),
        ("power_user", "engagement_tier in ('power', 'active')", 0.85),
    ],
)
def test_planted_persona_lands_in_matching_features(
    built_warehouse: Warehouse, persona: str, feature_sql: str, minimum_share: float
) -> None:
    share, total = _share(built_warehouse, persona, feature_sql)
    assert share >= minimum_share, f"{persona}: {share:.1%} of {total} satisfy {feature_sql}"


@pytest.mark.parametrize(
    ("persona", "feature_sql"),
    [
        ("churned", "rfm_segment = 'Champions'"),
        ("dormant_lead", "rfm_segment = 'Champions'"),
        ("champion", "lifecycle_stage in ('lead', 'inactive')"),
    ],
)
def test_planted_persona_never_lands_in_the_opposite(
    built_warehouse: Warehouse, persona: str, feature_sql: str
) -> None:
    share, total = _share(built_warehouse, persona, feature_sql)
    assert share == 0, f"{persona}: {share:.1%} of {total} satisfy {feature_sql}"
