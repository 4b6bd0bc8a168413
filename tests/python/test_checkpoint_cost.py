"""custseg.checkpoint_cost on the session's small warehouse: it replaces the asked share of a
table's rows in a copy, times a checkpoint after each table, and leaves the warehouse as it was."""

from __future__ import annotations

import subprocess
import sys

import duckdb

from tests.python.conftest import PROJECT_DIR, Warehouse


def _rows_and_size(warehouse: Warehouse) -> tuple[int, int]:
    con = duckdb.connect(str(warehouse.database), read_only=True)
    try:
        rows = con.execute("select count(*) from intermediate.int_events__attributed").fetchone()[0]
    finally:
        con.close()
    return rows, warehouse.database.stat().st_size


def test_checkpoint_after_replaced_rows_is_timed_on_a_copy(built_warehouse: Warehouse) -> None:
    before = _rows_and_size(built_warehouse)
    result = subprocess.run(
        [sys.executable, "-m", "custseg.checkpoint_cost", "--database",
         str(built_warehouse.database), "--table", "intermediate.int_events__attributed",
         "--fraction", "0.01", "--rounds", "1"],
        cwd=PROJECT_DIR, env=built_warehouse.env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "first checkpoint after opening:" in result.stdout
    replaced = [line for line in result.stdout.splitlines()
                if line.startswith("round 1 intermediate.int_events__attributed:")]
    assert len(replaced) == 1
    rows = int(replaced[0].split(": ")[1].split(" rows")[0].replace(",", ""))
    # every 100th row by row id: about a hundredth of the table (row ids of deleted rows, if
    # another test left any, are gaps)
    assert 0.9 * before[0] / 100 <= rows <= 1.1 * before[0] / 100 + 1
    assert _rows_and_size(built_warehouse) == before
    assert not list(built_warehouse.database.parent.glob("tmp*/*.duckdb"))
