"""Exports: per-table CSV (with and without BOM), JSON, and a data package frictionless accepts."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from frictionless import validate

from toolkit.publish.export import ExportFormat, export
from toolkit.publish.metadata import ensure_database

from .conftest import ROOT


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ensure_database(ROOT, tmp_path_factory.mktemp("db") / "factbase.db")[0]


@pytest.mark.parametrize("bom", [False, True])
def test_datapackage_validates(db: Path, tmp_path: Path, bom: bool) -> None:
    export(db, ExportFormat.datapackage, tmp_path, bom=bom)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    raw = (tmp_path / "claims.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == bom


def test_datapackage_declares_keys(db: Path, tmp_path: Path) -> None:
    export(db, ExportFormat.datapackage, tmp_path)
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    claims = next(r for r in package["resources"] if r["name"] == "claims")
    assert claims["schema"]["primaryKey"] == ["id"]
    refs = {fk["fields"][0]: fk["reference"]["resource"] for fk in claims["schema"]["foreignKeys"]}
    assert refs == {
        "subject": "entities",
        "property": "properties",
        "value_entity": "entities",
        "according_to": "entities",
    }
    amount = next(f for f in claims["schema"]["fields"] if f["name"] == "amount")
    assert amount["type"] == "number"


def test_frictionless_catches_a_broken_foreign_key(db: Path, tmp_path: Path) -> None:
    export(db, ExportFormat.datapackage, tmp_path)
    path = tmp_path / "claims.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    rows[1][rows[0].index("subject")] = "nowhere"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    assert not validate(str(tmp_path / "datapackage.json")).valid


def test_csv_and_json_hold_the_same_rows(db: Path, tmp_path: Path) -> None:
    export(db, ExportFormat.csv, tmp_path / "csv")
    export(db, ExportFormat.json, tmp_path / "json")
    with (tmp_path / "csv" / "claims_flat.csv").open(encoding="utf-8") as handle:
        from_csv = [r["claim_id"] for r in csv.DictReader(handle)]
    from_json = [
        r["claim_id"] for r in json.loads((tmp_path / "json" / "claims_flat.json").read_text("utf-8"))
    ]
    assert from_csv == from_json
    import sqlite3

    evidence = (
        sqlite3.connect(db).execute("select count(*) from evidence where record_kind = 'claim'").fetchone()
    )
    assert len(from_csv) == evidence[0]
    assert "khoảng 9,8 triệu đô la" in (tmp_path / "csv" / "claims_flat.csv").read_text(encoding="utf-8")


def test_exports_read_cleanly_in_data_tools(db: Path, tmp_path: Path) -> None:
    """Issue 22, point 9: a publication date as two ISO days, lists as lists in JSON, no
    internal columns, and types a data package declares for pandas and R."""
    import sqlite3
    from datetime import date

    export(db, ExportFormat.datapackage, tmp_path / "csv")
    export(db, ExportFormat.json, tmp_path / "json")
    for path in (tmp_path / "csv").glob("*.csv"):
        with path.open(encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        assert "search_key" not in header, path.name
        assert "published" not in header, path.name  # as written; the two days stand for it
    for path in (tmp_path / "json").glob("*.json"):
        rows = json.loads(path.read_text(encoding="utf-8"))
        assert not rows or "search_key" not in rows[0], path.name
    conn = sqlite3.connect(db)
    published = dict(conn.execute("select id, published from sources").fetchall())
    with (tmp_path / "csv" / "sources.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            start, end = date.fromisoformat(row["published_start"]), date.fromisoformat(row["published_end"])
            window = "/" in published[row["id"]] or len(published[row["id"]]) < 10
            assert (start < end) == window, row["id"]
    places = json.loads((tmp_path / "json" / "places.json").read_text(encoding="utf-8"))
    assert all(isinstance(p["aliases"], list) for p in places) and any(p["aliases"] for p in places)
    statements = json.loads((tmp_path / "json" / "statements.json").read_text(encoding="utf-8"))
    assert all(isinstance(s["topics"], list) for s in statements)
    package = json.loads((tmp_path / "csv" / "datapackage.json").read_text(encoding="utf-8"))
    fields = {(r["name"], f["name"]): f["type"] for r in package["resources"] for f in r["schema"]["fields"]}
    assert fields[("sources", "published_start")] == fields[("sources", "published_end")] == "date"
    assert fields[("places", "aliases")] == "array" and fields[("claims", "amount")] == "number"
    assert not any(name == "search_key" for _, name in fields)


def test_the_package_has_a_readme_and_a_citation(db: Path, tmp_path: Path) -> None:
    import yaml

    from toolkit.core.settings import load_settings

    dataset = load_settings(ROOT).dataset
    result = export(db, ExportFormat.datapackage, tmp_path, dataset=dataset)
    names = {p.name for p in result.files}
    assert {"README.txt", "CITATION.cff", "datapackage.json"} <= names
    readme = (tmp_path / "README.txt").read_text(encoding="utf-8")
    assert dataset.title in readme and dataset.license_url in readme
    for name in names - {"README.txt", "CITATION.cff", "datapackage.json"}:
        assert name in readme, name  # every file is described
    assert "pandas" in readme and "read.csv" in readme
    cff = yaml.safe_load((tmp_path / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset"
    assert cff["title"] == dataset.title and cff["license"] == dataset.license
    assert cff["authors"] == [{"name": dataset.creator}] and cff["message"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", cff["date-released"])


def test_pandas_reads_every_file(db: Path, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    export(db, ExportFormat.datapackage, tmp_path)
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        dates = [f["name"] for f in resource["schema"]["fields"] if f["type"] == "date"]
        frame = pd.read_csv(tmp_path / resource["path"], parse_dates=dates)
        for name in dates:
            assert str(frame[name].dtype).startswith("datetime64"), (resource["name"], name)
        for field in resource["schema"]["fields"]:
            if field["type"] in ("integer", "number") and frame[field["name"]].notna().any():
                assert pd.api.types.is_numeric_dtype(frame[field["name"]]), (resource["name"], field["name"])


_R_CHECK = """
args <- commandArgs(trailingOnly = TRUE)
for (f in list.files(args[1], pattern = "[.]csv$", full.names = TRUE)) {
  d <- read.csv(f, encoding = "UTF-8", stringsAsFactors = FALSE)
  for (column in grep("(^published|^date)_(start|end)$", names(d), value = TRUE)) {
    days <- as.Date(d[[column]][d[[column]] != ""])
    if (any(is.na(days))) stop(paste(basename(f), column, "has a value that is no date"))
  }
  cat(basename(f), nrow(d), "\\n")
}
"""


def test_r_reads_every_file(db: Path, tmp_path: Path) -> None:
    """R's read.csv reads every file with its row count, and every _start and _end column as
    dates (skipped where R is not installed)."""
    import shutil
    import sqlite3
    import subprocess

    rscript = shutil.which("Rscript")
    if rscript is None:
        pytest.skip("R is not installed")
    export(db, ExportFormat.datapackage, tmp_path)
    script = tmp_path / "check.R"
    script.write_text(_R_CHECK, encoding="utf-8")
    done = subprocess.run([rscript, str(script), str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    counts = dict(line.split() for line in done.stdout.splitlines())
    conn = sqlite3.connect(db)
    for name, count in counts.items():
        (expected,) = conn.execute(f"select count(*) from [{name.removesuffix('.csv')}]").fetchone()
        assert int(count) == expected, name
