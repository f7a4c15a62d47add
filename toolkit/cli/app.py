"""The `toolkit` command: each command calls one library function and turns its result or
exception into output and an exit code (0 ok, 1 invalid data, 2 usage or I/O error, 3 a bug).

The commands live by what they do (`validate`, `generated`, `build`, `serve`, `publish`,
`contribute`, `add_source`); this module makes them one typer app, in the order `--help`
lists them, and is the console entry point."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer

from toolkit.cli.add_source import add_source
from toolkit.cli.build import build
from toolkit.cli.common import EXIT_INTERNAL
from toolkit.cli.contribute import cite, coverage, locate, new
from toolkit.cli.generated import metadata, schema
from toolkit.cli.init import init
from toolkit.cli.publish import diff, export
from toolkit.cli.serve import serve
from toolkit.cli.validate import validate
from toolkit.core.version import __version__

app = typer.Typer(
    name="toolkit",
    help="Prove hand-checked facts against their sources, build them into SQLite, publish them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

# name -> command, in the order `toolkit --help` lists them.
COMMANDS: dict[str, Callable[..., Any]] = {
    "init": init,
    "validate": validate,
    "schema": schema,
    "build": build,
    "metadata": metadata,
    "serve": serve,
    "export": export,
    "coverage": coverage,
    "add-source": add_source,
    "locate": locate,
    "new": new,
    "cite": cite,
    "diff": diff,
}
for _name, _command in COMMANDS.items():
    app.command(_name)(_command)


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
