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
