"""Issue 23, nothing lost: a rewritten file keeps its mode."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli.app import app
from toolkit.core.files import atomic_write

runner = CliRunner()


def _invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


# ------------------------------------------------------------------ file modes


@pytest.mark.parametrize("mode", [0o644, 0o664, 0o600, 0o755])
def test_a_rewritten_file_keeps_its_mode(tmp_path: Path, mode: int) -> None:
    """`atomic_write` wrote through `mkstemp`: every rewritten file became 0600."""
    path = tmp_path / "metadata.json"
    path.write_text("{}", encoding="utf-8")
    path.chmod(mode)
    atomic_write(path, "{}\n")
    assert stat.S_IMODE(path.stat().st_mode) == mode


def test_a_new_file_gets_the_umasks_mode(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        atomic_write(tmp_path / "new.json", "{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o640


def test_toolkit_metadata_keeps_the_files_mode(tmp_path: Path) -> None:
    path = tmp_path / "metadata.json"
    path.write_text("{}", encoding="utf-8")
    path.chmod(0o644)
    assert _invoke("metadata", "-q", "-o", str(path))[0] == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
