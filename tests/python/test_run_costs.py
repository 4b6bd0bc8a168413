"""custseg.run_costs: node times by layer, by materialization and by statement kind."""

import json
import re

import pytest

from custseg.run_costs import node_group, report


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


def test_report_splits_by_layer_materialization_and_statement(tmp_path):
    nodes = {"model.p.stg_orders": "incremental", "model.p.dim_customers": "table"}
    (tmp_path / "manifest.json").write_text(json.dumps(
        {"nodes": {uid: {"config": {"materialized": kind}} for uid, kind in nodes.items()}}))
    (tmp_path / "run_results.json").write_text(json.dumps({"results": [
        {"unique_id": "model.p.stg_orders", "execution_time": 3.0},
        {"unique_id": "model.p.dim_customers", "execution_time": 2.0},
        {"unique_id": "test.p.unique_dim_customers_id.ab12", "execution_time": 0.5},
    ]}))
    log = tmp_path / "dbt.log"
    log.write_text("\n".join([
        "10:00:00.000001 [debug] [Thread-1 (]: On model.p.stg_orders: select 1",
        "10:00:02.000001 [debug] [Thread-1 (]: SQL status: OK in 2.000 seconds",
        "10:00:02.100001 [debug] [Thread-1 (]: On model.p.stg_orders: COMMIT",
        "10:00:02.900001 [debug] [Thread-1 (]: SQL status: OK in 0.800 seconds",
        "10:00:03.000001 [debug] [Thread-1 (]: On model.p.dim_customers: select 2",
        "10:00:05.000001 [debug] [Thread-1 (]: SQL status: OK in 2.000 seconds",
    ]))
    text = report(tmp_path, log, "00:00:00", "99:99:99", 2)
    assert "5.5 thread-seconds in 3 nodes" in text
    assert re.search(r"staging\s+1 nodes\s+3.0 s", text)
    assert re.search(r"marts\s+1 nodes\s+2.0 s", text)
    assert re.search(r"tests\s+1 nodes\s+0.5 s", text)
    assert re.search(r"incremental\s+1 nodes\s+3.0 s", text)
    assert re.search(r"table\s+1 nodes\s+2.0 s", text)
    # only the incremental model's statements, split by kind
    assert "2.80 s  stg_orders: query 2.00, commit 0.80" in text
    assert "dim_customers: query" not in text
    # a run_results file outside a target folder finds the manifest in the target beside it
    (tmp_path / "target").mkdir()
    (tmp_path / "manifest.json").rename(tmp_path / "target" / "manifest.json")
    (tmp_path / "run_results.json").rename(tmp_path / "run_results_daily.json")
    assert "5.5 thread-seconds" in report(tmp_path / "run_results_daily.json", None,
                                          "00:00:00", "99:99:99", 2)
