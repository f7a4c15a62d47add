"""`toolkit schema` and `toolkit metadata`: the files generated from the models, written, or
with --check compared (exit 1 when out of date, so CI catches a model changed alone)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from toolkit.cli.common import EXIT_INVALID, EXIT_OK, QuietOption, fail, say


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
        raise fail(f"{out}: {exc.strerror or exc}") from None
    for path in written:
        say(f"wrote {path}", quiet)


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
        say(f"wrote {write_metadata(out)}", quiet)
    except OSError as exc:
        raise fail(f"{out}: {exc.strerror or exc}") from None
