"""Personal data stays where a documented use needs it, and no secret is in the repository.

Every column that holds personal data is tagged in its YAML (`meta: contains_pii: true` and a
`pii_category`), in sources too; BI-facing marts hold none of it (checked in the manifest and
in the columns and values the built DuckDB warehouse really has); only the activation audience
mart, whose use is documented, carries email and name. The repository's tracked files hold no
credential, private key or cloud key."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import duckdb
import pytest
import yaml

from tests.python.conftest import PROJECT_DIR, Warehouse

# Column names that say "personal data" wherever they appear (whole words of a snake_case name).
PII_NAME = re.compile(
    r"(?:^|_)(?:e_?mail|phone|mobile_number|first_name|last_name|full_name|given_name"
    r"|family_name|birth_date|date_of_birth|dob|street|address|postcode|postal_code|zip_code"
    r"|ip_address|ssn|passport|comment)(?:_|$)"
)
# The categories README "Personal data and access" documents.
PII_CATEGORIES = {"email", "hashed_email", "phone", "name", "birth_date", "free_text"}
# Marts allowed to hold personal data, with the columns their documented use needs.
ACTIVATION_MARTS = {"fct_activation_audiences": {"email", "email_sha256", "first_name"}}
# Summary and catalog marts: one row per segment, pair, build or month, never per person.
SUMMARY_MARTS = {"dim_segments", "fct_segment_size_snapshots"}
PERSON_KEYS = {"customer_id", "contact_id", "user_id", "anonymous_id", "session_id"}
EMAIL_VALUE = r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}"


def _is_summary(name: str) -> bool:
    return name.startswith("agg_") or name in SUMMARY_MARTS


def _meta(column: dict) -> dict:
    return {**(column.get("meta") or {}), **((column.get("config") or {}).get("meta") or {})}


@pytest.fixture(scope="module")
def manifest(built_warehouse: Warehouse) -> dict:
    return json.loads(
        (Path(built_warehouse.env["DBT_TARGET_PATH"]) / "manifest.json").read_text()
    )


def _project_nodes(manifest: dict) -> list[dict]:
    """The project's models and sources."""
    nodes = [node for node in manifest["nodes"].values() if node["resource_type"] == "model"]
    nodes += list(manifest["sources"].values())
    return [node for node in nodes if node["package_name"] == "customer_segmentation"]


def _tagged_names(manifest: dict) -> dict[str, str]:
    """Every tagged column name with its category."""
    return {
        name: _meta(column).get("pii_category")
        for node in _project_nodes(manifest)
        for name, column in node["columns"].items()
        if _meta(column).get("contains_pii")
    }


def test_personal_data_columns_are_tagged_everywhere(manifest: dict) -> None:
    """A column whose name says personal data, or that is tagged anywhere else, is tagged with
    the same category in every model and source."""
    tagged = _tagged_names(manifest)
    problems = []
    for node in _project_nodes(manifest):
        where = f"{node['resource_type']} {node['name']}"
        for name, column in node["columns"].items():
            meta = _meta(column)
            if meta.get("contains_pii"):
                if meta.get("pii_category") not in PII_CATEGORIES:
                    problems.append(f"{where}.{name}: pii_category must be one of "
                                    f"{sorted(PII_CATEGORIES)}, got {meta.get('pii_category')!r}")
                elif meta["pii_category"] != tagged[name]:
                    problems.append(f"{where}.{name}: category {meta['pii_category']} differs "
                                    f"from {tagged[name]} elsewhere")
            elif PII_NAME.search(name) or name in tagged:
                problems.append(f"{where}.{name}: personal data without contains_pii")
    assert not problems, "\n".join(problems)
    # The raw contact fields are what the rule is about: the check must have seen them.
    contacts = manifest["sources"]["source.customer_segmentation.crm.crm_contacts"]["columns"]
    assert {name for name in contacts if _meta(contacts[name]).get("contains_pii")} == {
        "email", "phone", "first_name", "last_name", "birth_date",
    }


def test_marts_hold_personal_data_only_where_a_documented_use_needs_it(manifest: dict) -> None:
    """BI-facing marts carry no tagged column (customer-level ones carry the customer key,
    summaries not even that); the activation mart carries only the columns of its documented
    use, states that use and is read by an application exposure."""
    marts = [node for node in _project_nodes(manifest)
             if node["resource_type"] == "model" and node["fqn"][1] == "marts"]
    assert len(marts) > 15
    exposed = {
        parent.split(".")[-1]
        for exposure in manifest["exposures"].values() if exposure["type"] == "application"
        for parent in exposure["depends_on"]["nodes"]
    }
    problems = []
    for node in marts:
        name = node["name"]
        tagged = {
            column for column, spec in node["columns"].items() if _meta(spec).get("contains_pii")
        }
        allowed = ACTIVATION_MARTS.get(name, set())
        if tagged - allowed:
            problems.append(f"{name}: personal data {sorted(tagged - allowed)} "
                            "in a BI-facing mart")
        if _is_summary(name) and PERSON_KEYS & set(node["columns"]):
            problems.append(f"{name}: a summary mart holds person keys "
                            f"{sorted(PERSON_KEYS & set(node['columns']))}")
        if name in ACTIVATION_MARTS:
            if not (node["config"].get("meta") or {}).get("personal_data_use"):
                problems.append(f"{name}: holds personal data but documents no personal_data_use")
            if name not in exposed:
                problems.append(f"{name}: holds personal data but no application "
                                "exposure reads it")
    assert not problems, "\n".join(problems)
    assert set(ACTIVATION_MARTS) <= {node["name"] for node in marts}


def test_built_marts_have_no_personal_data_columns(
    built_warehouse: Warehouse, manifest: dict
) -> None:
    """The tables really built in the marts schema, not only their YAML: a column added in SQL
    under a personal-data name (or any name tagged elsewhere) is caught."""
    tagged = _tagged_names(manifest)
    con = duckdb.connect(str(built_warehouse.database), read_only=True)
    try:
        columns = con.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'marts' order by table_name, ordinal_position"
        ).fetchall()
    finally:
        con.close()
    assert len({table for table, _ in columns}) > 15
    problems = []
    for table, column in columns:
        personal = bool(PII_NAME.search(column)) or column in tagged
        if personal and column not in ACTIVATION_MARTS.get(table, set()):
            problems.append(f"marts.{table}.{column}: personal data in a BI-facing mart")
        if _is_summary(table) and column in PERSON_KEYS:
            problems.append(f"marts.{table}.{column}: person key in a summary mart")
    assert not problems, "\n".join(problems)


def test_no_email_address_in_any_value_of_a_bi_mart(built_warehouse: Warehouse) -> None:
    """No text value of a BI-facing mart looks like an email address (whatever its column is
    called), while the customer base it is built from is full of them."""
    con = duckdb.connect(str(built_warehouse.database), read_only=True)
    try:
        emails_upstream = con.execute(
            "select count(*) from intermediate.int_customers__base "
            "where regexp_matches(email, ?)", [EMAIL_VALUE],
        ).fetchone()[0]
        assert emails_upstream > 1000
        text_columns = con.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'marts' and data_type = 'VARCHAR'"
        ).fetchall()
        problems = []
        for table, column in text_columns:
            if table in ACTIVATION_MARTS:
                continue
            found = con.execute(
                f'select count(*) from marts."{table}" where regexp_matches("{column}", ?)',
                [EMAIL_VALUE],
            ).fetchone()[0]
            if found:
                problems.append(f"marts.{table}.{column}: {found} values look like emails")
    finally:
        con.close()
    assert len(text_columns) > 30
    assert not problems, "\n".join(problems)


# ---- secrets --------------------------------------------------------------------------------

SECRET_PATTERNS = {
    "private key": re.compile(r"-{5}BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-{5}"),
    "AWS access key id": re.compile(
        r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}\b"
    ),
    "AWS secret access key": re.compile(
        r"(?i)aws_?secret_?access_?key['\"]?\s*[:=]\s*['\"]?[A-Za-z0-9/+]{40}"
    ),
    "GitHub token": re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})"),
    "Slack token": re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    "credentials in a URL": re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@'\"]+:[^/\s@'\"{}$<>]+@"),
    # a quoted literal assigned to a credential-like key (not an env_var, a template or empty)
    "literal credential": re.compile(
        r"(?i)\b(?:password|passwd|secret|token|api_?key|access_?key|private_?key)['\"]?"
        r"\s*[:=]\s*['\"](?!\{\{)[^'\"\s{}$<>]{4,}['\"]"
    ),
}
# Profile keys whose value must come from an environment variable.
PROFILE_SECRET_KEYS = {
    "password", "pass", "token", "secret", "client_secret", "private_key",
    "private_key_passphrase", "keyfile", "keyfile_json", "refresh_token",
}


def scan_for_secrets(files: list[Path], root: Path) -> list[str]:
    """`file:line: kind` for every line of the given text files that looks like a secret."""
    findings = []
    for path in files:
        try:
            data = path.read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            continue
        if b"\0" in data[:8192] or len(data) > 5_000_000:
            continue  # binary or data files
        text = data.decode("utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            for kind, pattern in SECRET_PATTERNS.items():
                if pattern.search(line):
                    findings.append(f"{path.relative_to(root)}:{number}: {kind}")
    return findings


def profile_secrets_not_from_env(profiles: dict) -> list[str]:
    """Credential keys of a profiles.yml whose value is a literal (not empty, not env_var)."""
    findings = []

    def walk(value: object, where: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if str(key).lower() in PROFILE_SECRET_KEYS and isinstance(item, (str, int)) \
                        and str(item).strip() and "env_var(" not in str(item):
                    findings.append(f"{where}.{key}")
                walk(item, f"{where}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{where}[{index}]")

    walk(profiles, "profiles")
    return findings


def _tracked_files() -> list[Path]:
    result = subprocess.run(
        ["git", "ls-files", "-z"], cwd=PROJECT_DIR, capture_output=True, text=True,
    )
    if result.returncode != 0:
        pytest.skip("not a git checkout: " + result.stderr.strip())
    return [PROJECT_DIR / name for name in result.stdout.split("\0") if name]


def test_no_secret_in_the_tracked_files() -> None:
    files = _tracked_files()
    assert any(path.name == "profiles.yml" for path in files)
    findings = scan_for_secrets(files, PROJECT_DIR)
    assert not findings, "\n".join(findings)


def test_profiles_take_every_credential_from_the_environment() -> None:
    profiles = yaml.safe_load((PROJECT_DIR / "profiles.yml").read_text())
    assert "env_var('SEGMENTATION_PG_PASSWORD'" in str(profiles)
    findings = profile_secrets_not_from_env(profiles)
    assert not findings, "\n".join(findings)


def test_the_secret_checks_find_planted_secrets(tmp_path: Path) -> None:
    """The checks above can fail: each kind of secret planted in a file is found."""
    # Built at run time, so this file itself holds none of them.
    dashes = "-" * 5
    planted = {
        "private key": f"{dashes}BEGIN OPENSSH PRIVATE KEY{dashes}",
        "AWS access key id": "aws_access_key_id = " + "AKIA" + "Q7ZK" * 4,
        "AWS secret access key": "aws_secret_access_key = " + "wJalrXUtnFEMIK7MDENG" + "z" * 20,
        "GitHub token": "ghp" + "_" + "a1B2c3D4" * 5,
        "Slack token": "xox" + "b-1234567890-abcdefghij",
        "credentials in a URL": "postgresql://" + "segment:hunter2" + "@db.internal/warehouse",
        "literal credential": "pass" + "word: 'hunter2hunter2'",
    }
    files = []
    for index, (kind, line) in enumerate(planted.items()):
        path = tmp_path / f"file_{index}.txt"
        path.write_text(f"harmless line\n{line}\n")
        files.append(path)
        assert scan_for_secrets([path], tmp_path) == [f"file_{index}.txt:2: {kind}"], kind
    clean = tmp_path / "clean.yml"
    clean.write_text("    password: \"{{ env_var('SEGMENTATION_PG_PASSWORD', '') }}\"\n")
    assert scan_for_secrets([clean], tmp_path) == []
    leaked = {"p": {"outputs": {"pg": {"type": "postgres", "pass" + "word": "hunter2hunter2",
                                       "user": "postgres"}}}}
    assert profile_secrets_not_from_env(leaked) == ["profiles.p.outputs.pg.password"]
