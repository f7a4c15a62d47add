"""The page registry: a page kind registered from outside (here, a test) is routed, its ids link
to it from any table or query and it joins the search filter; a malformed kind is refused when
registered, with every problem named."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from toolkit.publish.metadata import ensure_database
from toolkit.site import plugin
from toolkit.site.pages import PAGES, Listing, Page, PageKind, PageKindError, record_route
from toolkit.site.pages.kinds import BUILT_IN
from toolkit.site.pages.registry import Context

from .conftest import ROOT
from .test_publish import Site, _site, body_of, get_status, text_of


async def _load_note(page: Page) -> Context | None:
    return None if page.id == "missing" else {"message": f"A note called {page.id}."}


def _sync_load(page: Page) -> Context:
    return {}


NOTE = PageKind(
    name="note",
    route=record_route("note"),
    template="not_found.html",  # any template of the site's will do for a test
    load=_load_note,
    label="Note",
    plural="Notes",
    id_columns=("note_id",),
)


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path, _ = ensure_database(ROOT, tmp_path_factory.mktemp("pages") / "factbase.db")
    return path


@pytest.fixture
def noted(database: Path) -> Iterator[Site]:
    """The site with a `note` page kind registered (and taken out again after the test)."""
    PAGES.register(NOTE)
    try:
        yield from _site(database, ROOT / "metadata.json")
    finally:
        PAGES.remove(NOTE.name)


def test_a_new_page_kind_is_routed_linked_and_searchable(noted: Site) -> None:
    page = noted.get("/note/hello")
    assert page.status_code == 200
    assert "A note called hello." in text_of(body_of(page.text))
    missing = noted.get("/note/missing")
    assert missing.status_code == 404
    assert "There is no note with the id missing." in text_of(missing.text)
    query = noted.get(f"/{noted.name}?sql=select+'hello'+as+note_id")
    assert 'href="/note/hello"' in query.text  # its id column links, in any query
    assert '<option value="note">Notes</option>' in noted.get("/search").text


def test_without_the_kind_its_urls_are_not_found(database: Path) -> None:
    assert PAGES.get("note") is None
    for site in _site(database, ROOT / "metadata.json"):
        assert get_status(site, "/note/hello") == 404
        assert '<option value="note">' not in site.get("/search").text
        assert 'href="/note/' not in site.get(f"/{site.name}?sql=select+'hello'+as+note_id").text


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"load": _sync_load}, "load must be an async function"),
        ({"load": None}, "load must be an async function"),
        ({"template": "no-such-page.html"}, "the template 'no-such-page.html' is not in templates/"),
        ({"route": "/note/(?P<id>.+)"}, "the route must be a regular expression on the whole path"),
        ({"route": "^/note/(?P<id>[$"}, "the route is no regular expression"),
        ({"name": "Note!"}, "the name must be lower-case letters"),
        ({"name": "claim"}, "the name 'claim' is taken"),
        ({"route": r"^/timeline$"}, "the route '^/timeline$' is 'timeline''s"),
        ({"id_columns": ("claim_id",)}, "the id column 'claim_id' is 'claim''s"),
        ({"plural": None}, "label and plural go together"),
        ({"search_body": "select id, body from notes"}, "search_body needs a label and an `in ({ids})`"),
        ({"listings": ("notes",)}, "listings must be Listing(table, name, …) each"),
    ],
)
def test_a_malformed_page_kind_is_refused(changes: dict[str, Any], problem: str) -> None:
    kind = dataclasses.replace(NOTE, **changes)
    with pytest.raises(PageKindError, match=re.escape(problem)):
        PAGES.register(kind)
    assert PAGES.get("note") is None
    assert PAGES.get("claim") in BUILT_IN and PAGES.get("timeline") in BUILT_IN


def test_every_problem_is_named_at_once() -> None:
    bad: dict[str, Any] = {"template": "nowhere.html", "load": _sync_load, "plural": None}
    kind = dataclasses.replace(NOTE, **bad)
    with pytest.raises(PageKindError) as refused:
        PAGES.register(kind)
    message = str(refused.value)
    assert message.startswith("page kind 'note' cannot be registered: ")
    assert "template" in message and "load" in message and "plural" in message


def test_a_kind_missing_a_part_is_no_page_kind() -> None:
    with pytest.raises(TypeError):
        PageKind(name="note", route=record_route("note"))  # type: ignore[call-arg]
    with pytest.raises(PageKindError, match="not a PageKind"):
        PAGES.register({"name": "note", "route": record_route("note")})  # type: ignore[arg-type]


def test_routes_and_the_search_filter_are_the_registry() -> None:
    assert [route for route, _ in plugin.register_routes(None)] == [k.route for k in PAGES]
    assert list(PAGES.labels()) == [k.name for k in BUILT_IN if k.label]
    listed = {(kind.name, listing.table) for kind in PAGES for listing in kind.listings}
    assert ("person", "entities") in listed and ("claim", "claims_flat") in listed
    assert all(isinstance(listing, Listing) for kind in PAGES for listing in kind.listings)
