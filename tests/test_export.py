"""Exports: per-table CSV (with and without BOM), JSON, and a data package frictionless accepts."""

from __future__ import annotations

import csv
import json
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
