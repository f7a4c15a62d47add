"""`toolkit serve`: the reader's site on 127.0.0.1, built first if the database is stale."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from toolkit.cli.common import DatabaseOption, ProjectOption, QuietOption, build_errors, say


def serve(
    project: ProjectOption = Path("."),
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port on 127.0.0.1.")] = 8001,
    db: DatabaseOption = None,
    template_dir: Annotated[
        Path | None,
        typer.Option("--template-dir", help="Templates that override the site's (same file name wins)."),
    ] = None,
    plugins_dir: Annotated[
        Path | None, typer.Option("--plugins-dir", help="A folder of Datasette plugins (*.py) to load.")
    ] = None,
    quiet: QuietOption = False,
) -> None:
    """Build the database if it is stale, then serve it with Datasette on 127.0.0.1."""
    from toolkit.site.serve import Look
    from toolkit.site.serve import serve as run

    say(f"serving on http://127.0.0.1:{port}/ (Ctrl-C to stop)", quiet)
    with build_errors(db):
        run(project, port, db, Look(template_dir, plugins_dir))
