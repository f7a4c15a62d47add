"""The README's generated parts: the CLI reference, from the CLI itself, and the table of
problem codes, from the rule registry, so neither can drift."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer

from toolkit.core.files import atomic_write

START = "<!-- cli-reference:start -->"
END = "<!-- cli-reference:end -->"
RULES_START = "<!-- rule-table:start -->"
RULES_END = "<!-- rule-table:end -->"


def cli_reference() -> str:
    """Markdown of `toolkit --help` and each command's `--help`."""
    from toolkit.cli.app import app

    # typer bundles its own click; use the classes it built rather than importing click.
    group: Any = typer.main.get_command(app)
    width = {"terminal_width": 100, "max_content_width": 100}
    ctx = group.context_class(group, info_name="toolkit", **width)
    blocks = [("toolkit --help", group.get_help(ctx))]
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        sub = command.context_class(command, info_name=name, parent=ctx, **width)
        blocks.append((f"toolkit {name} --help", command.get_help(sub)))
    return "".join(f"\n```console\n$ {title}\n{text.rstrip()}\n```\n" for title, text in blocks)


def rule_table() -> str:
    """Markdown of every problem code, by family, from the rule registry."""
    from toolkit.validate.rules import rule_table as table

    return table()


def _replace(text: str, start: str, end: str, body: str, readme: Path) -> str:
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"{readme}: no {start} … {end} markers")
    return pattern.sub(lambda _m: f"{start}\n{body}\n{end}", text)


def update_readme(readme: Path, write: bool = True) -> bool:
    """Refresh the generated parts between their markers; True when the file was current."""
    text = readme.read_text(encoding="utf-8")
    new = _replace(text, START, END, cli_reference(), readme)
    new = _replace(new, RULES_START, RULES_END, rule_table(), readme)
    if write and new != text:
        atomic_write(readme, new)
    return new == text


if __name__ == "__main__":  # `python -m toolkit.cli.docs` rewrites the README's generated parts
    update_readme(Path("README.md"))
