"""The `toolkit` command: each command calls one library function and turns its result or
exception into output and an exit code (0 ok, 1 invalid data, 2 usage or I/O error)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from toolkit.cli.progress import progress_bar
from toolkit.core.problems import ToolkitError, UsageError, counted
from toolkit.core.report import Format, render
from toolkit.core.version import __version__
from toolkit.publish.export import ExportFormat

if TYPE_CHECKING:
    from toolkit.contrib.add_source import Accept

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class DiffFormat(StrEnum):
    text = "text"
    markdown = "markdown"


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


QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems and errors.")]
JobsOption = Annotated[
    int, typer.Option("--jobs", "-j", help="Processes for the per-file checks (0: one per core).", min=0)
]


def _jobs(jobs: int) -> int:
    """0 means one process per core."""
    return jobs or os.cpu_count() or 1


VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Also print counts and timings.")]


def _say(message: str, quiet: bool = False) -> None:
    """Informational output on stderr, silenced by --quiet."""
    if not quiet:
        typer.echo(message, err=True)


def _fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


@contextmanager
def _build_errors(target: Path | None) -> Iterator[None]:
    """Commands that build: invalid records print their report (exit 1), I/O fails with 2."""
    from toolkit.core.problems import InvalidRecords

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
        list[Path] | None,
        typer.Argument(
            help="Record files or folders to report on (default: all under seeds/).", show_default=False
        ),
    ] = None,
    project: ProjectOption = Path("."),
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Check everything again; neither read nor write .cache/.")
    ] = False,
    jobs: JobsOption = 0,
    shard: Annotated[
        str | None,
        typer.Option(
            help="Check only share K of N of the files (K/N) and write their results to --summaries."
        ),
    ] = None,
    summaries: Annotated[
        Path | None, typer.Option(help="Folder a --shard writes its files' results to.")
    ] = None,
    merge: Annotated[
        Path | None, typer.Option(help="Report on the whole project from the shards' --summaries folder.")
    ] = None,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Check every record: schema, ids and references, sources, quotes, numbers and dates."""
    from toolkit.validate.engine import Plan, validate_project
    from toolkit.validate.shards import parse_shard

    started = time.perf_counter()
    try:
        plan = Plan(_jobs(jobs), parse_shard(shard) if shard else None, summaries, merge)
        with progress_bar(quiet) as progress:
            result = validate_project(
                project, paths or None, progress, cache=not no_cache, records=False, plan=plan
            )
    except ToolkitError as exc:
        raise _fail(exc.message) from None
    if shard:
        _say(f"shard {shard}: {result.files} files checked; their results are in {summaries}", quiet)
        raise typer.Exit(EXIT_OK)  # the merge reports and judges
    if merge and result.unmerged:
        _say(
            f"warning: {len(result.unmerged)} of {result.files} files had no shard result in {merge} "
            "(a shard's upload missing, or the files changed since): checked here instead",
            quiet,
        )
    counts = result.counts
    summary = {"files": result.files, "records": sum(counts.values()), "counts": counts}
    typer.echo(render(result.problems, fmt, summary), nl=False)
    failed = bool(result.errors) or (strict and bool(result.warnings))
    if fmt is Format.text and not quiet:
        verdict = "invalid" if failed else "valid"
        typer.echo(
            f"{verdict}: {counted(result.files, 'file')}, {counted(sum(counts.values()), 'record')}, "
            f"{counted(len(result.errors), 'error')}, {counted(len(result.warnings), 'warning')}",
            err=True,
        )
    if verbose:
        kinds = ", ".join(f"{n} {kind}" for kind, n in counts.items())
        elapsed = time.perf_counter() - started
        parsed = f"{result.parsed} of {result.files} files parsed (the others are unchanged)"
        _say(f"{kinds}; {result.anchored} quotes anchored; {parsed}; {elapsed:.2f} s")
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
    quiet: QuietOption = False,
) -> None:
    """Write the JSON Schema of record files (generated from the models) into schema/."""
    from toolkit.records.schema import stale_schema_files, write_schema

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
        _say(f"wrote {path}", quiet)


@app.command()
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
    with _build_errors(out), progress_bar(quiet) as progress:
        result = build_database(project, out, progress, _jobs(jobs))
    rows = sum(result.counts.values())
    if not quiet:
        typer.echo(f"built {result.path}: {rows} rows in {len(result.counts)} tables")
    if verbose:
        _say(", ".join(f"{n} {t}" for t, n in result.counts.items()))
        _say(f"content hash {result.content_hash}; {time.perf_counter() - started:.2f} s")


@app.command()
def metadata(
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write.")] = Path("metadata.json"),
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if the file differs from the models.")
    ] = False,
    quiet: QuietOption = False,
) -> None:
    """Write Datasette's metadata.json (descriptions, facets, canned queries) from the models."""
    from toolkit.publish.metadata import metadata_is_current, write_metadata

    if check:
        if metadata_is_current(out):
            raise typer.Exit(EXIT_OK)
        typer.echo(f"{out}: out of date; run `toolkit metadata`", err=True)
        raise typer.Exit(EXIT_INVALID)
    try:
        _say(f"wrote {write_metadata(out)}", quiet)
    except OSError as exc:
        raise _fail(f"{out}: {exc.strerror or exc}") from None


@app.command()
def serve(
    project: ProjectOption = Path("."),
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port on 127.0.0.1.")] = 8001,
    db: Annotated[
        Path | None,
        typer.Option("--db", help="Database file (default: dist/factbase.db).", show_default=False),
    ] = None,
    quiet: QuietOption = False,
) -> None:
    """Build the database if it is stale, then serve it with Datasette on 127.0.0.1."""
    from toolkit.site.serve import serve as run

    _say(f"serving on http://127.0.0.1:{port}/ (Ctrl-C to stop)", quiet)
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
        Path | None,
        typer.Option("--db", help="Database file (default: dist/factbase.db).", show_default=False),
    ] = None,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Export every table as CSV or JSON, or as a Frictionless data package (builds first if stale)."""
    from toolkit.publish.export import export as run
    from toolkit.publish.metadata import ensure_database

    with _build_errors(out):
        path, _ = ensure_database(project, db)
        result = run(path, fmt, out, bom)
    if not quiet:
        typer.echo(f"wrote {len(result.files)} files to {out}")
    if verbose:
        for path in result.files:
            _say(f"  {path}")


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
    quiet: QuietOption = False,
) -> None:
    """Per source: the body sentences stating a number, date or titled name, and how many are quoted."""
    from toolkit.contrib.coverage import coverage_report

    try:
        report = coverage_report(project)
    except ToolkitError as exc:
        raise _fail(exc.message, EXIT_INVALID) from None
    below = False
    for src in report.sources:
        below = below or 100 * src.share < minimum
        if quiet:
            continue
        typer.echo(f"{src.source}: {src.covered}/{src.total} sentences covered ({100 * src.share:.1f}%)")
        if show:
            for s in src.sentences:
                if not s.covered:
                    typer.echo(f"  line {s.line} [{', '.join(s.reasons)}]: {s.text}")
    typer.echo(f"total: {100 * report.share:.1f}%")
    raise typer.Exit(EXIT_INVALID if below else EXIT_OK)


@app.command("add-source")
def add_source(
    file: Annotated[Path, typer.Argument(help="The page's text, UTF-8, copied into seeds/ unchanged.")],
    project: ProjectOption = Path("."),
    source_id: Annotated[str | None, typer.Option("--id", help="Source id (a slug).")] = None,
    title: Annotated[str | None, typer.Option(help="Headline as published.")] = None,
    title_en: Annotated[str | None, typer.Option(help="Headline in English.")] = None,
    publisher: Annotated[str | None, typer.Option(help="Publication that printed it.")] = None,
    url: Annotated[str | None, typer.Option(help="Address of the original page.")] = None,
    published: Annotated[
        str | None,
        typer.Option(help="Publication date-time (2023-01-06T20:16:00+07:00) or date (2023-06)."),
    ] = None,
    published_quote: Annotated[str | None, typer.Option(help="The page's words that state the date.")] = None,
    published_note: Annotated[
        str | None, typer.Option(help="Where the page states no date: what the text supports.")
    ] = None,
    body: Annotated[
        str | None, typer.Option(help="Article body lines, START-END (page furniture stays out).")
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Accept what the text proposes without asking.")
    ] = False,
    quiet: QuietOption = False,
) -> None:
    """Archive a new page in seeds/ and write its source record (proposes date and body bounds)."""
    from toolkit.contrib.add_source import Given, add_page

    given = Given(
        id=source_id,
        title=title,
        title_en=title_en,
        publisher=publisher,
        url=url,
        published=published,
        published_quote=published_quote,
        published_note=published_note,
        body=body,
    )
    try:
        added = add_page(project, file, given, _accept(yes), lambda message: _say(message, quiet))
    except ToolkitError as exc:
        raise _fail(exc.message, EXIT_INVALID if exc.code == "source-duplicate" else EXIT_USAGE) from None
    _say(f"archived {added.text_path} and wrote source {added.record['id']!r} to {added.record_path}", quiet)


def _accept(yes: bool) -> Accept:
    """Settle a proposal: accepted by --yes (and said so), asked at a terminal, else refused."""

    def accept(label: str, proposed: str, flag: str) -> str:
        if yes:
            typer.echo(f"{label}: {proposed} (proposed from the text, accepted by --yes)", err=True)
            return proposed
        if sys.stdin.isatty():
            answer: str = typer.prompt(f"{label} (proposed from the text)", default=proposed)
            return answer
        raise UsageError(
            f"{label}: the text suggests {proposed!r}; pass {flag} (or --yes to accept proposals)"
        )

    return accept


@app.command()
def locate(
    source: Annotated[str, typer.Argument(help="Source id.")],
    quote: Annotated[str, typer.Argument(help="The words to find.")],
    project: ProjectOption = Path("."),
    quiet: QuietOption = False,
) -> None:
    """Find a quote as the validator does: line, offsets, its sentence, the numbers and dates it states."""
    from toolkit.contrib.locate import locate as run
    from toolkit.contrib.record_files import dump_records
    from toolkit.core.problems import QuoteNotInSource
    from toolkit.validate.engine import describe_date, describe_number

    try:
        found = run(project, source, quote)
    except QuoteNotInSource as exc:
        hint = ""
        if exc.closest:
            line, passage, score = exc.closest
            hint = f"; closest passage (line {line}, {score:.0f}% alike): {passage!r}"
        raise _fail(f"{exc.message}{hint}", EXIT_INVALID) from None
    except ToolkitError as exc:
        raise _fail(exc.message) from None
    where = "inside the article body" if found.in_body else "OUTSIDE the article body (not evidence)"
    typer.echo(
        f"{source}: line {found.line}, column {found.column}, characters {found.start}-{found.end}, {where}"
    )
    if quiet:
        return
    if found.loose:
        typer.echo("note: matches only with dashes/quotes made plain; copy the source's characters", err=True)
    typer.echo(f"sentence: {found.sentence}")
    typer.echo(f"numbers: {', '.join(describe_number(n) for n in found.numbers) or 'none'}")
    typer.echo(f"dates: {', '.join(describe_date(d) for d in found.dates) or 'none'}")
    typer.echo("claim skeleton:")
    typer.echo(dump_records([found.claim]), nl=False)


@app.command()
def new(
    kind: Annotated[
        str,
        typer.Argument(help="claim, statement, event, person, organization, place, position or property."),
    ],
    project: ProjectOption = Path("."),
    file: Annotated[Path | None, typer.Option(help="Record file to append to.")] = None,
    source: Annotated[str | None, typer.Option(help="Source of the evidence.")] = None,
    quote: Annotated[str | None, typer.Option(help="The source's words (the evidence).")] = None,
    record_id: Annotated[str | None, typer.Option("--id", help="Id to use (made unique).")] = None,
    subject: Annotated[str | None, typer.Option(help="Claim subject id.")] = None,
    prop: Annotated[str | None, typer.Option("--property", help="Claim property id.")] = None,
    unit: Annotated[str | None, typer.Option(help="Unit of a quantity.")] = None,
    statement: Annotated[str | None, typer.Option(help="statement_en of a claim.")] = None,
    name: Annotated[str | None, typer.Option(help="Name as written.")] = None,
    name_en: Annotated[str | None, typer.Option(help="Name in English.")] = None,
    person: Annotated[
        str | None, typer.Option(help="Person id: of a position, or who said a statement.")
    ] = None,
    title: Annotated[str | None, typer.Option(help="Title of a position, as written.")] = None,
    title_en: Annotated[str | None, typer.Option(help="Title in English.")] = None,
    quiet: QuietOption = False,
) -> None:
    """Append a schema-valid skeleton of a record, with an unused id, to the right file."""
    from toolkit.contrib.new import new_record
    from toolkit.contrib.record_files import dump_records

    fields = {
        "source": source,
        "quote": quote,
        "id": record_id,
        "subject": subject,
        "property": prop,
        "unit": unit,
        "statement_en": statement,
        "name": name,
        "name_en": name_en,
        "person": person,
        "title": title,
        "title_en": title_en,
    }
    try:
        made = new_record(project, kind, fields, file)
    except ToolkitError as exc:
        raise _fail(exc.message) from None
    if not quiet:
        typer.echo(f"appended {made.kind.singular} {made.record['id']!r} to {made.path}:")
        typer.echo(dump_records([made.record]), nl=False)


@app.command()
def cite(
    record_id: Annotated[str, typer.Argument(metavar="RECORD", help="Id of the position, event or claim.")],
    source: Annotated[str, typer.Option(help="Id of the other source that states it.")],
    quote: Annotated[str, typer.Option(help="That source's words (the evidence).")],
    project: ProjectOption = Path("."),
    quiet: QuietOption = False,
) -> None:
    """Add evidence from another source to an existing record, in whichever file it is."""
    from toolkit.contrib.cite import cite_record

    try:
        path = cite_record(project, record_id, source, quote)
    except ToolkitError as exc:
        invalid = exc.code in ("quote-not-found", "invalid-record")
        raise _fail(exc.message, EXIT_INVALID if invalid else EXIT_USAGE) from None
    _say(f"added evidence from {source!r} to {record_id!r} in {path}", quiet)


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="The earlier database.")],
    new_db: Annotated[Path, typer.Argument(metavar="NEW", help="The later database.")],
    fmt: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="text, or markdown for release notes.")
    ] = (DiffFormat.text),
    quiet: QuietOption = False,
) -> None:
    """Records added, removed and changed between two builds, by kind, with the changed fields."""
    from toolkit.publish.diff import diff_databases, render_diff

    try:
        result = diff_databases(old, new_db)
    except ToolkitError as exc:
        raise _fail(exc.message) from None
    if quiet:  # like `git diff --quiet`: the exit code says whether anything changed
        raise typer.Exit(EXIT_INVALID if result.changes else EXIT_OK)
    typer.echo(render_diff(result, markdown=fmt is DiffFormat.markdown), nl=False)


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
