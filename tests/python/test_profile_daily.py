"""custseg.profile_daily on the session's small warehouse: the daily run of a feature, here with
the attributed events read through a view of their SQL (--through-view), gives the rows of the
full SQL, and the command says so."""

from __future__ import annotations

import subprocess
import sys

from tests.python.conftest import PROJECT_DIR, Warehouse


def test_daily_run_through_a_view_gives_the_full_rows(built_warehouse: Warehouse) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "custseg.profile_daily", "int_customers__engagement",
         "--database", str(built_warehouse.database), "--rounds", "1",
         "--through-view", "int_events__attributed"],
        cwd=PROJECT_DIR, env=built_warehouse.env, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "round 1 daily:" in result.stdout
    assert result.stdout.strip().endswith("0 differ from the full SQL's")
