"""What the commands share: exit codes, the options most of them take, and how a library
result or typed exception becomes output and an exit code."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from toolkit.core.problems import InvalidRecords, ToolkitError
from toolkit.core.report import Format, render

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

ProjectOption = Annotated[
    Path,
    typer.Option("--project", "-p", help="Project directory (the one holding seeds/).", show_default=False),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems and errors.")]
JobsOption = Annotated[
    int, typer.Option("--jobs", "-j", help="Processes for the per-file checks (0: one per core).", min=0)
]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Also print counts and timings.")]
DatabaseOption = Annotated[
    Path | None,
    typer.Option("--db", help="Database file (default: dist/factbase.db).", show_default=False),
]


def processes(jobs: int) -> int:
    """--jobs as a number of processes: 0 means one per core."""
    return jobs or os.cpu_count() or 1


def say(message: str, quiet: bool = False) -> None:
    """Informational output on stderr, silenced by --quiet."""
    if not quiet:
        typer.echo(message, err=True)


def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    """Print `error: message` on stderr; the exit to raise, with `code`."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


@contextmanager
def build_errors(target: Path | None) -> Iterator[None]:
    """Commands that build: invalid records print their report (exit 1), I/O fails with 2."""
    try:
        yield
    except InvalidRecords as exc:
        typer.echo(render(exc.problems, Format.text, {}), nl=False)
        raise fail(exc.message, EXIT_INVALID) from None
    except ToolkitError as exc:
        raise fail(exc.message) from None
    except OSError as exc:
        raise fail(f"{exc.filename or target}: {exc.strerror or exc}") from None


def unwritable(exc: OSError) -> str:
    """A file the command could not write (a read-only project, a full disk), named, with what to do."""
    where = exc.filename or "the project"
    return f"{where}: cannot write ({exc.strerror or exc}): check the folder's permissions and free space"
