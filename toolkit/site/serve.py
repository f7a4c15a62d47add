"""Serve the site: a Datasette instance over one built database, with the project's metadata,
the request limits and the reader's pages (this package's plugin, templates and stylesheet)."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.core.limits import SQL_SECONDS
from toolkit.core.problems import ToolkitError, UsageError
from toolkit.core.settings import Settings, load_settings
from toolkit.publish.metadata import METADATA_FILE, ensure_database, inspect_path, metadata

HOST = "127.0.0.1"
DEFAULT_PORT = 8001
# Suggested facets run several GROUP BY queries on every table page: too slow at 100 000 claims
# for a page that must answer in well under 100 ms. Facets stay one click away (?_facet=).
SETTINGS = {
    "sql_time_limit_ms": int(SQL_SECONDS * 1000),
    "max_returned_rows": 2000,
    "default_page_size": 50,
    "suggest_facets": False,
}
PACKAGE = Path(__file__).resolve().parent  # toolkit/site
TEMPLATES = PACKAGE / "templates"
STATIC = PACKAGE / "static"


@dataclass(frozen=True)
class Look:
    """How a newsroom restyles the site without forking it: templates that override the
    toolkit's (a template of the same name wins; `{% extends "factbase:base.html" %}` reaches
    the toolkit's own), and a folder of Datasette plugins (*.py). The request limits stay on."""

    template_dir: Path | None = None
    plugins_dir: Path | None = None

    def check(self) -> None:
        for name, folder in (("--template-dir", self.template_dir), ("--plugins-dir", self.plugins_dir)):
            if folder is not None and not folder.is_dir():
                raise UsageError(f"{name} {folder}: no such folder")


def datasette_app(
    db_path: Path,
    metadata_path: Path | None = None,
    settings: Settings | None = None,
    look: Look = Look(),
) -> Any:
    """A Datasette instance serving `db_path` immutable, with our metadata (metadata.json, or
    made from `settings`), limits and pages, and its inspect file's counts when one lies beside it."""
    from datasette.app import Datasette
    from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader

    from toolkit.site import limits as hardening

    look.check()
    hardening.register()  # value, query and method limits: see toolkit/site/limits.py
    # A copy: Datasette changes the dictionaries it is given (canned queries), never ours.
    meta = (
        json.loads(metadata_path.read_text(encoding="utf-8"))
        if metadata_path
        else copy.deepcopy(metadata(settings))
    )
    meta["databases"] = {db_path.stem: next(iter(meta["databases"].values()))}
    from datasette.plugins import pm

    from toolkit.site import plugin as site

    if not pm.is_registered(site):
        pm.register(site, name=site.NAME)
    inspect = inspect_path(db_path)
    inspect_data = json.loads(inspect.read_text(encoding="utf-8")) if inspect.is_file() else None
    app = Datasette(
        immutables=[str(db_path)],
        inspect_data=inspect_data,
        metadata=meta,
        settings=SETTINGS,
        template_dir=str(TEMPLATES),
        static_mounts=[("assets", str(STATIC))],
        plugins_dir=str(look.plugins_dir) if look.plugins_dir else None,
    )
    if look.template_dir is not None:
        app.jinja_env.loader = ChoiceLoader(
            [
                FileSystemLoader(str(look.template_dir)),
                app.jinja_env.loader,
                PrefixLoader({"factbase": FileSystemLoader(str(TEMPLATES))}, delimiter=":"),
            ]
        )
    return app


def serve(root: Path, port: int = DEFAULT_PORT, db_path: Path | None = None, look: Look = Look()) -> None:
    """Build if stale, then serve the site on 127.0.0.1:`port` until interrupted."""
    import uvicorn

    look.check()
    path, _ = ensure_database(root, db_path)
    meta_path = root / METADATA_FILE
    app = datasette_app(path, meta_path if meta_path.is_file() else None, load_settings(root), look)
    try:
        uvicorn.run(app.app(), host=HOST, port=port, log_level="warning")
    except OSError as exc:
        raise ToolkitError(f"cannot serve on {HOST}:{port}: {exc.strerror or exc}") from None
