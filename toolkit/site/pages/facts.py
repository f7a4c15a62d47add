"""What the pages of facts share (a claim, a position, a statement, an event): evidence in
whole sentences, a way to cite it, and schema.org Claim JSON-LD naming every article."""

from __future__ import annotations

from markupsafe import Markup

from toolkit.site.pages.registry import Context, Page
from toolkit.site.pages.rows import Row
from toolkit.site.pages.sentences import evidence
from toolkit.site.pages.view import jsonld


def quoted_body(kind: str) -> str:
    """Search snippets of a fact kind are cut from its quotes."""
    return (
        "select record_id as id, group_concat(quote, ' … ') as body from evidence "
        f"where record_kind = '{kind}' and record_id in ({{ids}}) group by record_id"
    )


async def context(page: Page, record: Row, text: str) -> Context:
    """A fact page's context: the record in prose (`text`), its evidence, permalink and JSON-LD."""
    items = await evidence(page.db, page.kind.name, page.id)
    return {
        "kind": page.kind.name,
        "record": record,
        "evidence": items,
        "text": text,
        "permalink": page.absolute(page.request.path),
        "jsonld": claim_jsonld(page, text, items),
        "row_url": page.row_url(page.table, page.id),
    }


def claim_jsonld(page: Page, text: str, items: list[Row]) -> Markup:
    """schema.org Claim: the fact's words, the dataset, and each article that states it."""
    data = {
        "@context": "https://schema.org",
        "@type": "Claim",
        "text": text,
        "url": page.absolute(page.request.path),
        "isPartOf": {
            "@type": "Dataset",
            "name": page.datasette.metadata().get("title"),
            "url": page.absolute("/"),
        },
        "appearance": [
            {
                "@type": "NewsArticle",
                "headline": e["title"],
                "publisher": {"@type": "Organization", "name": e["publisher"]},
                "datePublished": e["published"],
                **({"url": e["url"]} if e["url"] else {}),
                "text": e["quote"],
            }
            for e in items
        ],
    }
    return Markup(jsonld(data))
