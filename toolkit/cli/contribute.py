"""The contributor's commands: `coverage` (which sentences no record quotes yet), `locate` (a
quote as the validator finds it), `new` (a record skeleton) and `cite` (a second source)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from toolkit.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    ProjectOption,
    QuietOption,
    fail,
    say,
    unwritable,
)
from toolkit.core.problems import ToolkitError


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
        raise fail(exc.message, EXIT_INVALID) from None
    below = False
    for src in report.sources:
        below = below or 100 * src.share < minimum
        if quiet:
            continue
        typer.echo(f"{src.source}: {src.covered}/{src.total} mentions covered ({100 * src.share:.1f}%)")
        if show:
            for s in src.sentences:
                if not s.covered:
                    typer.echo(f"  line {s.line} [{', '.join(s.reasons)}]: {s.text}")
    typer.echo(f"total: {100 * report.share:.1f}%")
    raise typer.Exit(EXIT_INVALID if below else EXIT_OK)


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
        raise fail(f"{exc.message}{hint}", EXIT_INVALID) from None
    except ToolkitError as exc:
        raise fail(exc.message) from None
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


class ValueKind(StrEnum):
    """The value types a property takes (the schema's `value_type`)."""

    quantity = "quantity"
    date = "date"
    entity = "entity"
    text = "text"


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
    value_type: Annotated[
        ValueKind | None, typer.Option("--value-type", help="What a property's values are.")
    ] = None,
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
        "value_type": value_type.value if value_type else None,
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
        raise fail(exc.message) from None
    except OSError as exc:
        raise fail(unwritable(exc)) from None
    if not quiet:
        typer.echo(f"appended {made.kind.singular} {made.record['id']!r} to {made.path}:")
        typer.echo(dump_records([made.record]), nl=False)


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
        raise fail(exc.message, EXIT_INVALID if invalid else EXIT_USAGE) from None
    except OSError as exc:
        raise fail(unwritable(exc)) from None
    say(f"added evidence from {source!r} to {record_id!r} in {path}", quiet)
