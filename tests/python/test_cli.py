"""Every CLI subcommand answers --help."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.python.conftest import PROJECT_DIR

SUBCOMMANDS = [
    "generate", "load", "prepare", "build", "publish", "summary", "bench-queries", "backfill", "export", "bench", "dbt",
]


@pytest.mark.parametrize("subcommand", SUBCOMMANDS)
def test_subcommand_has_help(subcommand: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "custseg", subcommand, "--help"],
        cwd=PROJECT_DIR, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "usage: custseg " + subcommand in result.stdout


def test_unknown_subcommand_fails() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "custseg", "no-such-command"],
        cwd=PROJECT_DIR, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
