"""Write activation exports from the warehouse: per destination and segment, the full member
list, the diff since the last export (added, removed) and the holdout group, plus one manifest
with row counts, SHA-256 checksums and the as-of date.

Everything decided about who goes where (consent, hashing, priorities, holdouts) is decided in
the warehouse (marts.fct_activation_audiences); this module only writes files. Destinations and
their fields come from the dbt var `activation_destinations` in dbt_project.yml.

Layout: <exports>/<destination>/<segment>/members.<fmt>, added.<fmt>, removed.<fmt>,
holdout.<fmt>, and <exports>/manifest.json. The previous members file is the state the next
diff compares with, so exporting twice without a change in membership writes empty diffs.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import yaml

from custseg import paths

AUDIENCE_TABLE = "warehouse.marts.fct_activation_audiences"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def load_destinations(project_dir: Path = paths.PROJECT_DIR) -> list[dict[str, Any]]:
    """The destinations configured in dbt_project.yml (vars: activation_destinations)."""
    project = yaml.safe_load((project_dir / "dbt_project.yml").read_text())
    destinations = project.get("vars", {}).get("activation_destinations", [])
    for destination in destinations:
        for name in [destination["key"], *destination["segments"], *destination["fields"]]:
            if not _NAME.match(name):
                raise ValueError(f"destination {destination['key']}: '{name}' is not a plain name")
        if destination["format"] not in ("csv", "parquet"):
            raise ValueError(f"destination {destination['key']}: format must be csv or parquet")
    return destinations


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _copy(con: duckdb.DuckDBPyConnection, query: str, path: Path, file_format: str) -> int:
    """Write a query's rows to a file (deterministic: the query orders its rows)."""
    options = "(format csv, header true)" if file_format == "csv" else "(format parquet)"
    con.execute(f"copy ({query}) to {_quote(path)} {options}")
    return int(con.execute(f"select count(*) from ({query})").fetchone()[0])


def _reader(path: Path, file_format: str) -> str:
    if file_format == "csv":
        return f"read_csv({_quote(path)}, header = true, all_varchar = true)"
    return f"read_parquet({_quote(path)})"


def export(
    database: Path,
    out_dir: Path,
    destinations: list[dict[str, Any]] | None = None,
    progress: Callable[[str], None] | None = print,
) -> dict[str, Any]:
    """Write every destination's files into out_dir and return the manifest."""
    destinations = load_destinations() if destinations is None else destinations
    out_dir.mkdir(parents=True, exist_ok=True)
    # An in-memory connection writes and diffs the files; the warehouse is attached read-only.
    work = duckdb.connect()
    work.execute(f"attach {_quote(database)} as warehouse (read_only)")
    manifest: dict[str, Any] = {"as_of_date": None, "destinations": {}}
    try:
        as_of = work.execute(f"select max(as_of_date) from {AUDIENCE_TABLE}").fetchone()[0]
        manifest["as_of_date"] = as_of.isoformat() if as_of else None
        for destination in destinations:
            key, file_format = destination["key"], destination["format"]
            fields = list(destination["fields"])
            diff_key = fields[0]
            entry: dict[str, Any] = {"type": destination["type"], "format": file_format,
                                     "segments": {}}
            work.execute(
                f"create or replace temp table audience as select segment_key, is_holdout, "
                f"{', '.join(fields)} from {AUDIENCE_TABLE} where destination_key = ?",
                [key],
            )
            for segment in destination["segments"]:
                folder = out_dir / key / segment
                folder.mkdir(parents=True, exist_ok=True)
                members_path = folder / f"members.{file_format}"
                previous_path = folder / f".previous_members.{file_format}"
                had_previous = members_path.exists()
                if had_previous:
                    members_path.replace(previous_path)
                columns = ", ".join(fields)
                selected = (
                    f"select {columns} from audience where segment_key = '{segment}'"
                )
                members_query = f"{selected} and not is_holdout order by {diff_key}"
                holdout_query = f"{selected} and is_holdout order by {diff_key}"
                counts = {
                    "members": _copy(work, members_query, members_path, file_format),
                    "holdout": _copy(work, holdout_query, folder / f"holdout.{file_format}",
                                     file_format),
                }
                current = _reader(members_path, file_format)
                if had_previous:
                    previous = _reader(previous_path, file_format)
                else:
                    previous = f"(select * from ({members_query}) where false)"
                key_cast = f"cast({diff_key} as varchar)"
                added = (f"select * from {current} where {key_cast} not in "
                         f"(select {key_cast} from {previous}) order by {diff_key}")
                removed = (f"select * from {previous} where {key_cast} not in "
                           f"(select {key_cast} from {current}) order by {diff_key}")
                counts["added"] = _copy(work, added, folder / f"added.{file_format}", file_format)
                counts["removed"] = _copy(work, removed, folder / f"removed.{file_format}",
                                          file_format)
                if had_previous:
                    previous_path.unlink()
                files = {
                    name: {"rows": counts[name],
                           "sha256": _sha256(folder / f"{name}.{file_format}")}
                    for name in ("members", "added", "removed", "holdout")
                }
                entry["segments"][segment] = files
                if progress:
                    progress(
                        f"  {key}/{segment}: {counts['members']:,} members "
                        f"(+{counts['added']:,} -{counts['removed']:,}), "
                        f"{counts['holdout']:,} in holdout"
                    )
            manifest["destinations"][key] = entry
    finally:
        work.close()
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest
