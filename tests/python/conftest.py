"""Shared fixtures: a small real warehouse built once per test session by the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
E2E_CONTACTS = 3_000


@dataclass
class Warehouse:
    database: Path
    env: dict[str, str]
    build_output: str


def project_env(tmp: Path) -> dict[str, str]:
    """Environment that points the CLI and dbt at private files under `tmp`, so tests never
    touch the demo warehouse, its lock, or dbt's target folder of the project."""
    env = dict(os.environ)
    env.update(
        SEGMENTATION_DUCKDB_PATH=str(tmp / "warehouse.duckdb"),
        SEGMENTATION_DATA_DIR=str(tmp / "data"),
        DBT_TARGET_PATH=str(tmp / "target"),
        DBT_LOG_PATH=str(tmp / "logs"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    return env


def failure_summary(result: subprocess.CompletedProcess[str]) -> str:
    """The part of a failed command's output worth reading: dbt's failure blocks, else the tail."""
    lines = result.stdout.splitlines()
    for marker in ("Completed with", "Encountered an error", "Traceback"):
        for index, line in enumerate(lines):
            if marker in line:
                return "\n".join(lines[index:index + 60]) + "\n" + result.stderr[-2000:]
    return result.stdout[-3000:] + result.stderr[-2000:]


def run_cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "custseg", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    tmp = tmp_path_factory.mktemp("e2e")
    env = project_env(tmp)
    result = run_cli(["build", "--contacts", str(E2E_CONTACTS)], env)
    assert result.returncode == 0, failure_summary(result)
    return Warehouse(tmp / "warehouse.duckdb", env, result.stdout)
