"""`toolkit build`: validate, then build the SQLite database."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from toolkit.cli.common import (
    JobsOption,
    ProjectOption,
    QuietOption,
    VerboseOption,
    build_errors,
    processes,
    say,
)
from toolkit.cli.progress import progress_bar


def build(
    project: ProjectOption = Path("."),
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Database file to write (default: dist/factbase.db).", show_default=False
        ),
    ] = None,
    jobs: JobsOption = 0,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Validate, then build the records into a SQLite database (atomically, deterministically)."""
    from toolkit.build.database import build_database

    started = time.perf_counter()
    with build_errors(out), progress_bar(quiet) as progress:
        result = build_database(project, out, progress, processes(jobs))
    rows = sum(result.counts.values())
    if not quiet:
        typer.echo(f"built {result.path}: {rows} rows in {len(result.counts)} tables")
    if verbose:
        say(", ".join(f"{n} {t}" for t, n in result.counts.items()))
        say(f"content hash {result.content_hash}; {time.perf_counter() - started:.2f} s")
