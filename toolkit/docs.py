"""The README's CLI reference, generated from the CLI itself so it cannot drift."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer

START = "<!-- cli-reference:start -->"
END = "<!-- cli-reference:end -->"


def cli_reference() -> str:
    """Markdown of `toolkit --help` and each command's `--help`."""
    from toolkit.cli import app

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


def update_readme(readme: Path, write: bool = True) -> bool:
    """Refresh the reference between the markers; returns True when the file was current."""
    text = readme.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"{readme}: no {START} … {END} markers")
    new = pattern.sub(lambda _m: f"{START}\n{cli_reference()}\n{END}", text)
    if write and new != text:
        readme.write_text(new, encoding="utf-8")
    return new == text


if __name__ == "__main__":  # `python -m toolkit.docs` rewrites the README's reference
    update_readme(Path("README.md"))
