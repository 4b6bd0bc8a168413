"""custseg.bench's grouping of node times: models by layer, other nodes by resource type."""

import pytest

from custseg.bench import node_group


@pytest.mark.parametrize(("unique_id", "group"), [
    ("model.customer_segmentation.base_app__events", "staging"),
    ("model.customer_segmentation.stg_shop__orders", "staging"),
    ("model.customer_segmentation.int_customers__rfm", "intermediate"),
    ("model.customer_segmentation.dim_customers", "marts"),
    ("model.customer_segmentation.fct_customer_segments", "marts"),
    ("model.customer_segmentation.agg_segment_summary", "marts"),
    ("model.customer_segmentation.my_model", "other models"),
    ("test.customer_segmentation.unique_dim_customers_customer_id.5e8f2a", "tests"),
    ("seed.customer_segmentation.rfm_segments", "seeds"),
    ("operation.customer_segmentation.customer_segmentation-on-run-end-0", "operations"),
])
def test_node_group(unique_id, group):
    assert node_group(unique_id) == group
