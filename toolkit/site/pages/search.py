"""The search page, /search?q=…&kind=…: results of every kind (or of one), names first.
The search itself is toolkit.site.search."""

from __future__ import annotations

from toolkit.site.pages.registry import PAGES, Context, Page, PageKind
from toolkit.site.search import search


async def load(page: Page) -> Context:
    q = page.request.args.get("q", "").strip()
    kind = page.arg("kind") or None
    if kind not in PAGES.labels():
        kind = None
    results = await search(page.db, q, kind) if q else []
    return {"q": q, "kind": kind, "kinds": PAGES.labels(), "plural": PAGES.plurals(), "results": results}


PAGE = PageKind(name="search", route=r"^/search$", template="search.html", load=load)
