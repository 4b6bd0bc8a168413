"""The planted personas of the demo data land in the segments that match them (thresholds stated
per case), and never in the opposite ones."""

from __future__ import annotations

import duckdb
import pytest

from tests.python.conftest import Warehouse


def _share_in_segments(
    warehouse: Warehouse, truth_sql: str, segment_keys: tuple[str, ...], member_table: str, id_column: str
) -> tuple[float, int]:
    con = duckdb.connect(str(warehouse.database), read_only=True)
    keys = ", ".join(f"'{key}'" for key in segment_keys)
    try:
        hits, total = con.execute(
            f"""
            with planted as ({truth_sql})
            select
                count(distinct case when members.segment_key in ({keys}) then planted.id end),
                count(distinct planted.id)
            from planted
            left join marts.{member_table} as members
                on planted.id = members.{id_column}
            """
        ).fetchone()
    finally:
        con.close()
    assert total > 0
    return hits / total, total


CUSTOMER_TRUTH = """
    select truth.contact_id as id
    from ground_truth.contact_personas as truth
    inner join marts.dim_customers on truth.contact_id = dim_customers.customer_id
    where truth.persona = '{persona}'
"""


@pytest.mark.parametrize(
    ("persona", "segments", "minimum_share"),
    [
        ("champion", ("rfm_champions", "rfm_loyal_customers"), 0.90),
        ("champion", ("vip",), 0.50),
        ("power_user", ("power_users",), 0.85),
        ("dormant_lead", ("lifecycle_lead",), 0.97),
        ("churned", ("win_back",), 0.95),
        ("churned", ("rfm_hibernating", "rfm_at_risk", "rfm_cant_lose_them"), 0.90),
        ("new", ("lifecycle_new", "new_customer_welcome"), 0.80),
        ("slipping", ("lifecycle_lapsing", "lifecycle_inactive"), 0.85),
    ],
)
def test_planted_customers_land_in_their_segments(
    built_warehouse: Warehouse, persona: str, segments: tuple[str, ...], minimum_share: float
) -> None:
    share, total = _share_in_segments(
        built_warehouse, CUSTOMER_TRUTH.format(persona=persona), segments,
        "fct_customer_segments", "customer_id",
    )
    assert share >= minimum_share, f"{persona}: {share:.1%} of {total} in {segments}"


@pytest.mark.parametrize(
    ("persona", "segments"),
    [
        ("churned", ("rfm_champions", "power_users", "lifecycle_new")),
        ("dormant_lead", ("vip", "rfm_champions", "win_back")),
        ("champion", ("win_back", "lifecycle_lead", "lifecycle_inactive")),
    ],
)
def test_planted_customers_never_land_in_opposite_segments(
    built_warehouse: Warehouse, persona: str, segments: tuple[str, ...]
) -> None:
    share, total = _share_in_segments(
        built_warehouse, CUSTOMER_TRUTH.format(persona=persona), segments,
        "fct_customer_segments", "customer_id",
    )
    assert share == 0, f"{persona}: {share:.1%} of {total} in {segments}"


@pytest.mark.parametrize(
    ("size_class", "segment", "minimum_share"),
    [
        ("enterprise", "account_enterprise", 0.90),
        ("mid_market", "account_mid_market", 0.80),
        ("smb", "account_smb", 0.90),
    ],
)
def test_planted_account_sizes_land_in_their_size_segment(
    built_warehouse: Warehouse, size_class: str, segment: str, minimum_share: float
) -> None:
    truth = f"""
        select truth.account_id as id
        from ground_truth.account_profiles as truth
        inner join marts.dim_accounts on truth.account_id = dim_accounts.account_id
        where truth.size_class = '{size_class}'
    """
    share, total = _share_in_segments(
        built_warehouse, truth, (segment,), "fct_account_segments", "account_id"
    )
    assert share >= minimum_share, f"{size_class}: {share:.1%} of {total} in {segment}"
