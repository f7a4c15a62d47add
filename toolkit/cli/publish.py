"""`toolkit export` and `toolkit diff`: the built tables for other tools, and what changed
between two builds (for release notes)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from toolkit.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    DatabaseOption,
    ProjectOption,
    QuietOption,
    VerboseOption,
    build_errors,
    fail,
    say,
)
from toolkit.core.problems import ToolkitError
from toolkit.publish.export import ExportFormat


class DiffFormat(StrEnum):
    text = "text"
    markdown = "markdown"


def export(
    project: ProjectOption = Path("."),
    fmt: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", help="csv, json, or datapackage (CSV + datapackage.json)."),
    ] = ExportFormat.csv,
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory to write into.")] = Path("dist/export"),
    bom: Annotated[bool, typer.Option("--bom", help="Start CSV files with a UTF-8 BOM (for Excel).")] = False,
    db: DatabaseOption = None,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Export every table as CSV or JSON, or as a Frictionless data package (builds first if stale)."""
    from toolkit.core.settings import load_settings
    from toolkit.publish.export import export as run
    from toolkit.publish.metadata import ensure_database

    with build_errors(out):
        path, _ = ensure_database(project, db)
        result = run(path, fmt, out, bom, dataset=load_settings(project).dataset)
    if not quiet:
        typer.echo(f"wrote {len(result.files)} files to {out}")
    if verbose:
        for path in result.files:
            say(f"  {path}")


def diff(
    old: Annotated[Path, typer.Argument(help="The earlier database.")],
    new_db: Annotated[Path, typer.Argument(metavar="NEW", help="The later database.")],
    fmt: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="text, or markdown for release notes.")
    ] = DiffFormat.text,
    quiet: QuietOption = False,
) -> None:
    """Records added, removed and changed between two builds, by kind, with the changed fields."""
    from toolkit.publish.diff import diff_databases, render_diff

    try:
        result = diff_databases(old, new_db)
    except ToolkitError as exc:
        raise fail(exc.message) from None
    if quiet:  # like `git diff --quiet`: the exit code says whether anything changed
        raise typer.Exit(EXIT_INVALID if result.changes else EXIT_OK)
    typer.echo(render_diff(result, markdown=fmt is DiffFormat.markdown), nl=False)
