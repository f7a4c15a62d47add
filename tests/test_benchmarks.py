"""The synthetic project generator writes projects the toolkit accepts, the same every time."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from benchmarks.generate import generate
from toolkit.validate.engine import validate_project


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(root).as_posix().encode() + path.read_bytes())
    return h.hexdigest()


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_generated_project_is_valid(tmp_path: Path, fmt: str) -> None:
    counts = generate(1200, tmp_path / "p", fmt)
    assert counts["claims"] == 1200 and counts["sources"] == 12
    result = validate_project(tmp_path / "p")
    assert result.problems == []
    assert result.dataset.counts()["claims"] == 1200


def test_generation_is_deterministic(tmp_path: Path) -> None:
    generate(300, tmp_path / "a")
    generate(300, tmp_path / "b")
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
