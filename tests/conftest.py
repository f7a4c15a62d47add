"""Shared fixtures: the repository root and a scratch copy of a project."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "tests" / "examples"


@pytest.fixture(autouse=True, scope="session")
def machine_cache_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The cache's machine key lives in a scratch $XDG_CACHE_HOME, never the user's."""
    home = tmp_path_factory.mktemp("xdg-cache")
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(home)
    yield home
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before


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
