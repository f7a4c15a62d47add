"""Shared fixtures: the repository root and a scratch copy of a project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "tests" / "examples"


@pytest.fixture
def example_project(tmp_path: Path) -> Path:
    """A writable copy of the `valid/all-kinds` example with a working schema reference."""
    target = tmp_path / "project"
    shutil.copytree(EXAMPLES / "valid" / "all-kinds", target)
    (target / "schema").mkdir()
    shutil.copy(ROOT / "schema" / "records.schema.json", target / "schema")
    for path in (target / "seeds").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("../../../../../schema/", "../schema/"), encoding="utf-8")
    (target / "expected.txt").unlink()
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A writable copy of this repository's project (records, texts, schema)."""
    target = tmp_path / "project"
    shutil.copytree(ROOT / "seeds", target / "seeds")
    shutil.copytree(ROOT / "schema", target / "schema")
    return target
