"""The CI workflows and the pre-commit hook run commands the CLI really has."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import typer

from toolkit.cli.app import app
from toolkit.records.load import load_file

from .conftest import ROOT

FILES = [*sorted((ROOT / ".github" / "workflows").glob("*.yml")), ROOT / ".pre-commit-hooks.yaml"]


def _commands() -> dict[str, set[str]]:
    group: Any = typer.main.get_command(app)
    ctx = group.context_class(group, info_name="toolkit")
    out = {}
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        out[name] = {
            opt
            for param in command.params
            for opt in [*getattr(param, "opts", []), *getattr(param, "secondary_opts", [])]
        }
    return out


def _scripts(data: Any) -> list[str]:
    found: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("run", "entry") and isinstance(value, str):
                found.append(value)
            else:
                found.extend(_scripts(value))
    elif isinstance(data, list):
        for item in data:
            found.extend(_scripts(item))
    return found


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_toolkit_command_exists(path: Path) -> None:
    commands = _commands()
    calls = []
    for script in _scripts(load_file(path).data):
        for line in script.replace("\\\n", " ").splitlines():
            for m in re.finditer(r"\btoolkit\s+([a-z][\w-]*)([^;&|>)]*)", line):
                calls.append((m[1], shlex.split(m[2].replace("$", ""))))
    assert calls, f"{path.name} runs no toolkit command"
    for name, args in calls:
        assert name in commands, f"{path.name}: toolkit {name} does not exist"
        for arg in args:
            if arg.startswith("-"):
                assert arg.split("=")[0] in commands[name], f"{path.name}: toolkit {name} has no {arg}"


def test_ci_runs_what_the_readme_says() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
