"""The search page, /search?q=…&kind=…&page=…: results of every kind (or of one), a whole name
first, then names, a page at a time. The search itself is toolkit.site.search."""

from __future__ import annotations

from urllib.parse import urlencode

from datasette.database import QueryInterrupted

from toolkit.site.pages.registry import PAGES, Context, Page, PageKind
from toolkit.site.search import MAX_WORDS, SEARCH_LIMIT, query_words, search


def _page_number(text: str) -> int:
    """?page=, 1 when absent or not a page number."""
    return int(text) if text.isdigit() and 0 < int(text) < 100_000 else 1


async def load(page: Page) -> Context:
    q = page.request.args.get("q", "").strip()
    kind = page.arg("kind") or None
    if kind not in PAGES.labels():
        kind = None
    number = _page_number(page.arg("page"))
    notice = None
    if query_words(q)[1]:
        notice = f"Only the first {MAX_WORDS} different words were searched for."
    try:
        found = await search(page.db, q, kind, number) if q else None
    except QueryInterrupted:  # past the site's time limit: say so, never a 500 with the SQL
        found, notice = None, "This search took too long. Try fewer words, or rarer ones."

    def link(to: int) -> str:
        return "/search?" + urlencode(
            {"q": q, **({"kind": kind} if kind else {}), **({"page": to} if to > 1 else {})}
        )

    return {
        "q": q,
        "kind": kind,
        "kinds": PAGES.labels(),
        "plural": PAGES.plurals(),
        "results": found.results if found else [],
        "page": number,
        "first": (number - 1) * SEARCH_LIMIT + 1,
        "previous": link(number - 1) if found and number > 1 else None,
        "next": link(number + 1) if found and found.more else None,
        "notice": notice,
    }


PAGE = PageKind(name="search", route=r"^/search$", template="search.html", load=load)
