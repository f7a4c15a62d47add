"""Render problems as text (`path:line:col: error[code]: message`), JSON, or GitHub
workflow annotations. Rendering only: no checks, no printing."""

from __future__ import annotations

import json
from enum import StrEnum

from toolkit.core.problems import Problem, Severity


class Format(StrEnum):
    text = "text"
    json = "json"
    github = "github"


def render_text(problems: list[Problem]) -> str:
    return "".join(
        f"{p.path}:{p.line}:{p.column}: {p.severity.value}[{p.code}]: {p.message}\n" for p in problems
    )


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(problems: list[Problem]) -> str:
    """GitHub Actions workflow commands: one annotation on the exact line of each problem."""
    out = []
    for p in problems:
        level = "error" if p.severity is Severity.error else "warning"
        props = ",".join(
            [
                f"file={_escape_property(p.path)}",
                f"line={p.line}",
                f"col={p.column}",
                f"title={_escape_property(p.code)}",
            ]
        )
        out.append(f"::{level} {props}::{_escape_data(p.message)}\n")
    return "".join(out)


def render_json(problems: list[Problem], summary: dict[str, object]) -> str:
    errors = sum(1 for p in problems if p.severity is Severity.error)
    document = {
        "status": "invalid" if errors else "valid",
        **summary,
        "errors": errors,
        "warnings": len(problems) - errors,
        "problems": [p.to_dict() for p in problems],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render(problems: list[Problem], fmt: Format, summary: dict[str, object]) -> str:
    if fmt is Format.json:
        return render_json(problems, summary)
    if fmt is Format.github:
        return render_github(problems)
    return render_text(problems)
