"""`toolkit init`: start a new fact base in an empty folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from toolkit.cli.common import QuietOption, build_errors, say


def init(
    folder: Annotated[Path, typer.Argument(help="A new or empty folder for the project.")],
    language: Annotated[
        str, typer.Option("--language", "-l", help="BCP 47 tag of the pages' language: en, vi …")
    ] = "en",
    title: Annotated[str, typer.Option("--title", help="The fact base's title.")] = "Fact base",
    quiet: QuietOption = False,
) -> None:
    """Write a working project: factbase.toml, seeds/, schema/, a CI workflow, a pre-commit
    hook, a .gitignore and a README; refuses a folder that is not empty."""
    from toolkit.contrib.init import init_project

    with build_errors(folder):
        made = init_project(folder, language, title)
    for path in made.files:
        say(f"wrote {path}", quiet)
    say(f"next: cd {folder} && toolkit add-source PAGE.txt", quiet)
