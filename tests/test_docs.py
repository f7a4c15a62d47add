"""Generated documentation stays in step with the code."""

from __future__ import annotations

from toolkit.cli.docs import update_readme

from .conftest import ROOT


def test_readme_cli_reference_is_current() -> None:
    assert update_readme(ROOT / "README.md", write=False), "run `python -m toolkit.cli.docs`"


def test_readme_quick_start_is_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1].split("```console\n", 1)[1].split("```", 1)[0]
    assert quick == "make serve\nmake test\n"
