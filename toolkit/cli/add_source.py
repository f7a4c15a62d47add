"""`toolkit add-source`: archive a page and write its source record, asking (or, with --yes,
accepting) what the page's text proposes for the fields no flag gave."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from toolkit.cli.common import EXIT_INVALID, EXIT_USAGE, ProjectOption, QuietOption, fail, say, unwritable
from toolkit.core.problems import ToolkitError, UsageError

if TYPE_CHECKING:
    from toolkit.contrib.add_source import Accept

FileArgument = Annotated[Path, typer.Argument(help="The page's text, UTF-8, copied into seeds/ unchanged.")]
PublishedOption = Annotated[
    str | None,
    typer.Option(help="Publication date-time (2023-01-06T20:16:00+07:00) or date (2023-06)."),
]
NoteOption = Annotated[
    str | None, typer.Option(help="Where the page states no date: what the text supports.")
]
BodyOption = Annotated[
    str | None, typer.Option(help="Article body lines, START-END (page furniture stays out).")
]
YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Accept what the text proposes without asking.")]


def add_source(
    file: FileArgument,
    project: ProjectOption = Path("."),
    source_id: Annotated[str | None, typer.Option("--id", help="Source id (a slug).")] = None,
    title: Annotated[str | None, typer.Option(help="Headline as published.")] = None,
    title_en: Annotated[str | None, typer.Option(help="Headline in English.")] = None,
    publisher: Annotated[str | None, typer.Option(help="Publication that printed it.")] = None,
    url: Annotated[str | None, typer.Option(help="Address of the original page.")] = None,
    published: PublishedOption = None,
    published_quote: Annotated[str | None, typer.Option(help="The page's words that state the date.")] = None,
    published_note: NoteOption = None,
    body: BodyOption = None,
    language: Annotated[
        str | None,
        typer.Option("--language", help="BCP 47 tag of the page's language (default: factbase.toml's)."),
    ] = None,
    yes: YesOption = False,
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
        language=language,
    )
    try:
        added = add_page(project, file, given, _accept(yes), lambda message: say(message, quiet))
    except ToolkitError as exc:
        raise fail(exc.message, EXIT_INVALID if exc.code == "source-duplicate" else EXIT_USAGE) from None
    except OSError as exc:
        raise fail(unwritable(exc)) from None
    say(f"archived {added.text_path} and wrote source {added.record['id']!r} to {added.record_path}", quiet)


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
