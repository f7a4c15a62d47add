"""The `toolkit` command: each command calls one library function and turns its result or
exception into output and an exit code (0 ok, 1 invalid data, 2 usage or I/O error)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer

from toolkit import __version__
from toolkit.export import ExportFormat
from toolkit.problems import ToolkitError
from toolkit.report import Format, render

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

app = typer.Typer(
    name="toolkit",
    help="Prove hand-checked facts against their sources, build them into SQLite, publish them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

ProjectOption = Annotated[
    Path,
    typer.Option("--project", "-p", help="Project directory (the one holding seeds/).", show_default=False),
]


def _fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


@contextmanager
def _build_errors(target: Path | None) -> Iterator[None]:
    """Commands that build: invalid records print their report (exit 1), I/O fails with 2."""
    from toolkit.build import InvalidRecords

    try:
        yield
    except InvalidRecords as exc:
        typer.echo(render(exc.problems, Format.text, {}), nl=False)
        raise _fail(exc.message, EXIT_INVALID) from None
    except ToolkitError as exc:
        raise _fail(exc.message) from None
    except OSError as exc:
        raise _fail(f"{exc.filename or target}: {exc.strerror or exc}") from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"toolkit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Fact base toolkit."""


@app.command()
def validate(
    paths: Annotated[
        Optional[list[Path]],  # noqa: UP045 - typer reads the annotation at runtime
        typer.Argument(
            help="Record files or folders to report on (default: all under seeds/).", show_default=False
        ),
    ] = None,
    project: ProjectOption = Path("."),
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print problems only, no summary.")] = False,
) -> None:
    """Check every record: schema, ids and references, sources, quotes, numbers and dates."""
    from toolkit.validate import validate_project

    try:
        result = validate_project(project, paths or None)
    except ToolkitError as exc:
        raise _fail(exc.message) from None
    counts = result.dataset.counts()
    summary = {"files": result.files, "records": sum(counts.values()), "counts": counts}
    typer.echo(render(result.problems, fmt, summary), nl=False)
    failed = bool(result.errors) or (strict and bool(result.warnings))
    if fmt is Format.text and not quiet:
        verdict = "invalid" if failed else "valid"
        typer.echo(
            f"{verdict}: {result.files} files, {summary['records']} records, "
            f"{len(result.errors)} errors, {len(result.warnings)} warnings",
            err=True,
        )
    if any(p.code == "file-unreadable" for p in result.errors):
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(EXIT_INVALID if failed else EXIT_OK)


@app.command()
def schema(
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory to write the schema into.")] = Path(
        "schema"
    ),
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if the files differ from the models.")
    ] = False,
) -> None:
    """Write the JSON Schema of record files (generated from the models) into schema/."""
    from toolkit.schema import stale_schema_files, write_schema

    if check:
        stale = stale_schema_files(out)
        for path in stale:
            typer.echo(f"{path}: out of date; run `toolkit schema`", err=True)
        raise typer.Exit(EXIT_INVALID if stale else EXIT_OK)
    try:
        written = write_schema(out)
    except OSError as exc:
        raise _fail(f"{out}: {exc.strerror or exc}") from None
    for path in written:
        typer.echo(f"wrote {path}")


@app.command()
def build(
    project: ProjectOption = Path("."),
    out: Annotated[
        Optional[Path],  # noqa: UP045 - typer reads the annotation at runtime
        typer.Option(
            "--out", "-o", help="Database file to write (default: dist/factbase.db).", show_default=False
        ),
    ] = None,
) -> None:
    """Validate, then build the records into a SQLite database (atomically, deterministically)."""
    from toolkit.build import build_database

    with _build_errors(out):
        result = build_database(project, out)
    rows = ", ".join(f"{n} {t}" for t, n in result.counts.items())
    typer.echo(f"built {result.path}: {rows}")


@app.command()
def metadata(
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write.")] = Path("metadata.json"),
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if the file differs from the models.")
    ] = False,
) -> None:
    """Write Datasette's metadata.json (descriptions, facets, canned queries) from the models."""
    from toolkit.publish import metadata_is_current, write_metadata

    if check:
        if metadata_is_current(out):
            raise typer.Exit(EXIT_OK)
        typer.echo(f"{out}: out of date; run `toolkit metadata`", err=True)
        raise typer.Exit(EXIT_INVALID)
    try:
        typer.echo(f"wrote {write_metadata(out)}")
    except OSError as exc:
        raise _fail(f"{out}: {exc.strerror or exc}") from None


@app.command()
def serve(
    project: ProjectOption = Path("."),
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port on 127.0.0.1.")] = 8001,
    db: Annotated[
        Optional[Path],  # noqa: UP045 - typer reads the annotation at runtime
        typer.Option("--db", help="Database file (default: dist/factbase.db).", show_default=False),
    ] = None,
) -> None:
    """Build the database if it is stale, then serve it with Datasette on 127.0.0.1."""
    from toolkit.publish import serve as run

    typer.echo(f"serving on http://127.0.0.1:{port}/ (Ctrl-C to stop)", err=True)
    with _build_errors(db):
        run(project, port, db)


@app.command()
def export(
    project: ProjectOption = Path("."),
    fmt: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", help="csv, json, or datapackage (CSV + datapackage.json)."),
    ] = ExportFormat.csv,
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory to write into.")] = Path("dist/export"),
    bom: Annotated[bool, typer.Option("--bom", help="Start CSV files with a UTF-8 BOM (for Excel).")] = False,
    db: Annotated[
        Optional[Path],  # noqa: UP045 - typer reads the annotation at runtime
        typer.Option("--db", help="Database file (default: dist/factbase.db).", show_default=False),
    ] = None,
) -> None:
    """Export every table as CSV or JSON, or as a Frictionless data package (builds first if stale)."""
    from toolkit.export import export as run
    from toolkit.publish import ensure_database

    with _build_errors(out):
        path, _ = ensure_database(project, db)
        result = run(path, fmt, out, bom)
    typer.echo(f"wrote {len(result.files)} files to {out}")


@app.command()
def coverage(
    project: ProjectOption = Path("."),
    minimum: Annotated[
        float,
        typer.Option("--min", min=0, max=100, help="Fail (exit 1) if any source is below this percentage."),
    ] = 0.0,
    show: Annotated[
        bool, typer.Option("--show/--no-show", help="List the sentences no record quotes.")
    ] = True,
) -> None:
    """Per source: the body sentences stating a number, date or titled name, and how many are quoted."""
    from toolkit.coverage import coverage_report

    try:
        report = coverage_report(project)
    except ToolkitError as exc:
        raise _fail(exc.message, EXIT_INVALID) from None
    below = False
    for src in report.sources:
        typer.echo(f"{src.source}: {src.covered}/{src.total} sentences covered ({100 * src.share:.1f}%)")
        below = below or 100 * src.share < minimum
        if show:
            for s in src.sentences:
                if not s.covered:
                    typer.echo(f"  line {s.line} [{', '.join(s.reasons)}]: {s.text}")
    typer.echo(f"total: {100 * report.share:.1f}%")
    raise typer.Exit(EXIT_INVALID if below else EXIT_OK)


def main() -> None:
    """Console entry point: no traceback ever reaches the user."""
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug in the toolkit, not in the data
        typer.echo(f"internal error (please report it): {type(exc).__name__}: {exc}", err=True)
        sys.exit(EXIT_INTERNAL)
