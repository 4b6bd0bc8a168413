"""Where the project keeps its files. Everything is relative to the project root (the folder
holding dbt_project.yml) unless an environment variable says otherwise."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_DIR / "data"
DEFAULT_CONTACTS = 20_000
DEFAULT_SEED = 42


def warehouse_path() -> Path:
    """The DuckDB warehouse file: $SEGMENTATION_DUCKDB_PATH or data/warehouse.duckdb (the same
    default as profiles.yml)."""
    raw = os.environ.get("SEGMENTATION_DUCKDB_PATH", "data/warehouse.duckdb")
    path = Path(raw)
    return path if path.is_absolute() else PROJECT_DIR / path


def data_dir() -> Path:
    """Where generated raw files go: $SEGMENTATION_DATA_DIR or data/."""
    raw = os.environ.get("SEGMENTATION_DATA_DIR")
    if not raw:
        return DEFAULT_DATA_DIR
    path = Path(raw)
    return path if path.is_absolute() else PROJECT_DIR / path


def raw_data_dir(contacts: int, seed: int) -> Path:
    """Folder of the generated Parquet files for one scale and seed."""
    return data_dir() / "raw" / f"contacts_{contacts}_seed_{seed}"


def _project_relative(raw: str) -> Path:
    path = Path(raw)
    return path if path.is_absolute() else PROJECT_DIR / path


def published_path() -> Path:
    """The DuckDB file BI tools read: $SEGMENTATION_PUBLISHED_PATH, or published.duckdb next to
    the warehouse. It always holds the marts of the last build whose tests all passed."""
    raw = os.environ.get("SEGMENTATION_PUBLISHED_PATH")
    return _project_relative(raw) if raw else warehouse_path().parent / "published.duckdb"


def target_dir() -> Path:
    """dbt's artifacts folder: $DBT_TARGET_PATH (relative to the project) or target/."""
    return _project_relative(os.environ.get("DBT_TARGET_PATH", "target"))
