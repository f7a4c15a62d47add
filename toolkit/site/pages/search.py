"""The search page, /search?q=…&kind=…: results of every kind (or of one), names first.
The search itself is toolkit.site.search."""

from __future__ import annotations

from datasette.database import QueryInterrupted

from toolkit.site.pages.registry import PAGES, Context, Page, PageKind
from toolkit.site.search import MAX_WORDS, query_words, search


async def load(page: Page) -> Context:
    q = page.request.args.get("q", "").strip()
    kind = page.arg("kind") or None
    if kind not in PAGES.labels():
        kind = None
    notice = None
    if query_words(q)[1]:
        notice = f"Only the first {MAX_WORDS} different words were searched for."
    try:
        results = await search(page.db, q, kind) if q else []
    except QueryInterrupted:  # past the site's time limit: say so, never a 500 with the SQL
        results, notice = [], "This search took too long. Try fewer words, or rarer ones."
    return {
        "q": q,
        "kind": kind,
        "kinds": PAGES.labels(),
        "plural": PAGES.plurals(),
        "results": results,
        "notice": notice,
    }


PAGE = PageKind(name="search", route=r"^/search$", template="search.html", load=load)
