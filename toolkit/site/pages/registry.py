"""The page registry: each kind of reader page declares its route, its template, how its data
is loaded and what it adds to the link maps and the search filter. The plugin's routes, the
cells that link to a record's page and the search's kinds are all read from here, so a new
page kind is one module (with its `PAGE`), one template and one test."""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datasette.utils.asgi import Response

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"  # toolkit/site/templates
Context = dict[str, Any]


@dataclass(frozen=True)
class Page:
    """One page being made: its kind, Datasette, the reader's request and the served database."""

    kind: PageKind
    datasette: Any
    request: Any
    db: Any

    @property
    def table(self) -> str:
        """The table this page's record is read from (every record page's kind names one)."""
        if self.kind.table is None:
            raise TypeError(f"page kind {self.kind.name!r} names no table to read its records from")
        return self.kind.table

    @property
    def id(self) -> str:
        """The record id in the URL (`/claim/<id>`), or "" on a page without one."""
        return str(self.request.url_vars.get("id", ""))

    def arg(self, name: str) -> str:
        """A query-string parameter, "" when absent or empty."""
        return str(self.request.args.get(name) or "")

    def absolute(self, path: str) -> str:
        """`path` as a full URL on this site (for permalinks and JSON-LD)."""
        return str(self.datasette.absolute_url(self.request, path))

    def row_url(self, table: str, record_id: str) -> str:
        """The raw record's Datasette row page."""
        return str(self.datasette.urls.row(self.db.name, table, record_id))


# What a page kind's loader gives: the template's context, a finished response (a file), or
# None when the URL names no record (the reader gets a 404 page).
Load = Callable[[Page], Awaitable[Context | Response | None]]


@dataclass(frozen=True)
class Listing:
    """A table whose rows are records of a kind: cells in its `name` column link to the
    record's page, and its row pages name the record by `label` and link to the page."""

    table: str
    name: str
    label: str = ""  # the column naming the record on its row page; "" for `name`
    id: str = "id"  # the column holding the record's id
    key: str = "id"  # the column of the row page's URL
    kind_column: str | None = None  # in a table of several kinds, the column saying a row's kind

    @property
    def label_column(self) -> str:
        """The column naming the record on its row page."""
        return self.label or self.name


@dataclass(frozen=True)
class PageKind:
    """One kind of reader page. `template` None: `load` answers with its own response."""

    name: str
    route: str  # a regular expression on the path, `^/…$`; `(?P<id>…)` names the record
    template: str | None
    load: Load
    table: str | None = None  # the table its records are read from (for the raw row's link)
    label: str | None = None  # its name on a search result; with `plural`, a search filter
    plural: str | None = None
    search_body: str | None = None  # SQL for the text a result's snippet is cut from ({ids})
    id_columns: tuple[str, ...] = ()  # columns, in any table or query, that hold its ids
    listings: tuple[Listing, ...] = ()


class PageKindError(ValueError):
    """A page kind that cannot be served as declared (missing or malformed parts)."""


_NAME = re.compile(r"[a-z][a-z0-9_-]*")


def record_route(name: str) -> str:
    """The route of a record's page: `/claim/<id>`."""
    return rf"^/{name}/(?P<id>[^/]+)$"


def url_for(kind: str, record_id: str) -> str:
    """The reader page of a record: /person/<id>, /claim/<id>, /source/<id> …"""
    return f"/{kind}/{record_id}"


class Registry:
    """The page kinds in the order they were registered (the search filter's order)."""

    def __init__(self) -> None:
        self._kinds: dict[str, PageKind] = {}
        # The link maps, read for every cell of every table page: made once per change.
        self._id_columns: dict[str, str] | None = None
        self._listings: dict[str, list[tuple[PageKind, Listing]]] | None = None

    def __iter__(self) -> Iterator[PageKind]:
        return iter(list(self._kinds.values()))

    def get(self, name: str) -> PageKind | None:
        return self._kinds.get(name)

    def register(self, kind: PageKind) -> PageKind:
        """Add a page kind, refusing it (PageKindError, every problem named) when a part is
        missing or malformed or it takes a name, route or column another kind has."""
        problems = _problems(kind, list(self._kinds.values()))
        if problems:
            what = f"page kind {kind.name!r}" if isinstance(kind, PageKind) else repr(kind)
            raise PageKindError(f"{what} cannot be registered: " + "; ".join(problems))
        self._kinds[kind.name] = kind
        self._id_columns = self._listings = None
        return kind

    def remove(self, name: str) -> None:
        """Take a page kind out (a test's kind, once the test is done)."""
        self._kinds.pop(name, None)
        self._id_columns = self._listings = None

    def labels(self) -> dict[str, str]:
        """Each searchable kind's label (`claim` → Fact), in registry order."""
        return {k.name: k.label for k in self if k.label and k.plural}

    def plurals(self) -> dict[str, str]:
        """Each searchable kind's word in the search filter (`person` → People)."""
        return {k.name: k.plural for k in self if k.label and k.plural}

    def search_bodies(self) -> dict[str, str]:
        """Each kind's query for its results' snippet text, where it has one."""
        return {k.name: k.search_body for k in self if k.search_body}

    def id_columns(self) -> dict[str, str]:
        """Columns holding a record's id, anywhere, and the kind of that record."""
        if self._id_columns is None:
            self._id_columns = {column: k.name for k in self for column in k.id_columns}
        return self._id_columns

    def listings(self, table: str) -> list[tuple[PageKind, Listing]]:
        """The kinds a table's rows are records of, with how (in registry order)."""
        if self._listings is None:
            self._listings = {}
            for k in self:
                for listing in k.listings:
                    self._listings.setdefault(listing.table, []).append((k, listing))
        return self._listings.get(table, [])


def _problems(kind: object, others: list[PageKind]) -> list[str]:
    """What is wrong with a page kind, checked before it is served: each a sentence."""
    if not isinstance(kind, PageKind):
        return [f"it is a {type(kind).__name__}, not a PageKind"]
    problems = [*_problems_of_parts(kind), *_problems_of_search(kind)]
    for other in others:
        if other.name == kind.name:
            problems.append(f"the name {kind.name!r} is taken")
        if other.route == kind.route:
            problems.append(f"the route {kind.route!r} is {other.name!r}'s")
        for column in set(kind.id_columns) & set(other.id_columns):
            problems.append(f"the id column {column!r} is {other.name!r}'s")
    return problems


def _problems_of_parts(kind: PageKind) -> list[str]:
    """The name, route, template, loader, table and listings, each as it must be."""
    problems = []
    if not isinstance(kind.name, str) or not _NAME.fullmatch(kind.name):
        problems.append("the name must be lower-case letters, digits, - or _ (it is a URL's first part)")
    if not isinstance(kind.route, str) or not (kind.route.startswith("^/") and kind.route.endswith("$")):
        problems.append("the route must be a regular expression on the whole path, '^/…$'")
    else:
        try:
            re.compile(kind.route)
        except re.error as exc:
            problems.append(f"the route is no regular expression: {exc}")
    if kind.template is not None and (
        not isinstance(kind.template, str) or not (TEMPLATES / kind.template).is_file()
    ):
        problems.append(f"the template {kind.template!r} is not in {TEMPLATES.name}/")
    if not inspect.iscoroutinefunction(kind.load):
        problems.append("load must be an async function of the page (async def load(page): …)")
    if kind.table is not None and not (isinstance(kind.table, str) and kind.table):
        problems.append("the table must be a table's name, or None")
    if not all(isinstance(c, str) and c for c in kind.id_columns):
        problems.append("id_columns must be column names")
    if not all(isinstance(listing, Listing) for listing in kind.listings):
        problems.append("listings must be Listing(table, name, …) each")
    return problems


def _problems_of_search(kind: PageKind) -> list[str]:
    """A kind is in the search filter with both its words, and a snippet query needs them."""
    problems = []
    if (kind.label is None) != (kind.plural is None) or "" in (kind.label, kind.plural):
        problems.append("label and plural go together (both words, or neither)")
    if kind.search_body is not None and (kind.label is None or "{ids}" not in kind.search_body):
        problems.append("search_body needs a label and an `in ({ids})` for the results' ids")
    return problems


PAGES = Registry()  # the site's page kinds; toolkit.site.pages registers the built-in ones
