"""Backfill segment history: rebuild membership for past as-of dates so that history and
transitions exist from the first install.

For each date (oldest first) it runs the models that depend on the as-of date, down to
fct_customer_segment_snapshots, with `--vars {as_of_date: <date>}`; the snapshot model replaces
that date's rows, so a backfill can be repeated. It ends with a full `dbt build` (every model of
the current as-of date, the history models, every test), so the warehouse is current and the
CLI can publish the result like any build.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

AS_OF_MODELS = "int_reporting__as_of_date+,+fct_customer_segment_snapshots"


def month_ends_before(day: dt.date, count: int) -> list[dt.date]:
    """The `count` last month-ends strictly before `day`, oldest first."""
    dates = []
    month_start = day.replace(day=1)
    for _ in range(count):
        month_end = month_start - dt.timedelta(days=1)
        dates.append(month_end)
        month_start = month_end.replace(day=1)
    return sorted(dates)


def backfill(
    dates: list[dt.date],
    run_dbt: Callable[[list[str]], int],
    progress: Callable[[str], None] = print,
) -> int:
    """Build membership for each date, then everything for the current date, with tests."""
    for number, day in enumerate(dates, start=1):
        progress(f"backfill {number}/{len(dates)}: as of {day.isoformat()}")
        status = run_dbt(["run", "--select", AS_OF_MODELS,
                          "--vars", json.dumps({"as_of_date": day.isoformat()})])
        if status:
            return status
    progress("backfill: building the current as-of date, the history models and every test")
    return run_dbt(["build"])
