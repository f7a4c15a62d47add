"""The committed schema is what the models generate, and outside tools accept our records."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from toolkit.records.load import iter_record_files
from toolkit.records.schema import render_schema, stale_schema_files

from .conftest import ROOT

RECORD_FILES = iter_record_files(ROOT / "seeds")


def test_committed_schema_matches_the_models() -> None:
    assert stale_schema_files(ROOT / "schema") == [], "schema/ is stale: run `toolkit schema`"


def test_schema_is_draft_2020_12_and_describes_every_field() -> None:
    schema = json.loads(render_schema())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    missing = [
        f"{name}.{field}"
        for name, definition in schema["$defs"].items()
        for field, spec in definition.get("properties", {}).items()
        if "description" not in spec
    ]
    assert missing == []


@pytest.mark.parametrize("path", RECORD_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_check_jsonschema_accepts_shipped_records(path: Path) -> None:
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first.startswith("# yaml-language-server: $schema=")
    schema = (path.parent / first.split("$schema=", 1)[1]).resolve()
    assert schema == (ROOT / "schema" / "records.schema.json").resolve()
    run = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_check_jsonschema_rejects_what_we_reject(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("persons:\n  - {id: a, name: A, nmae_en: x}\n", encoding="utf-8")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--schemafile",
            str(ROOT / "schema" / "records.schema.json"),
            str(bad),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
