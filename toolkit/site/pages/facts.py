"""What the pages of facts share (a claim, a position, a statement, an event): evidence in
whole sentences, whom the quotes name, a way to cite it and to report an error, and schema.org
Claim JSON-LD naming every article."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from toolkit.build.views import MENTIONS
from toolkit.publish.metadata import dataset_of
from toolkit.site.pages.linked import news_article, report_url
from toolkit.site.pages.registry import Context, Page
from toolkit.site.pages.rows import Row, rows
from toolkit.site.pages.sentences import evidence
from toolkit.site.pages.view import jsonld

_NAMED = (
    "select m.entity as id, m.entity_kind as kind, m.written, en.name, en.name_en "
    f"from [{MENTIONS.name}] m join entities en on en.id = m.entity "
    "where m.record_kind = ? and m.record_id = ? order by m.entity_kind, en.name"
)


def quoted_body(kind: str) -> str:
    """Search snippets of a fact kind are cut from its quotes."""
    return (
        "select record_id as id, group_concat(quote, ' … ') as body from evidence "
        f"where record_kind = '{kind}' and record_id in ({{ids}}) group by record_id"
    )


async def named(db: Any, kind: str, record_id: str) -> list[Row]:
    """The people, organizations and places a record's quotes name."""
    return await rows(db, _NAMED, [kind, record_id])


def report(page: Page, permalink: str) -> str | None:
    """The "report an error" link of the record on this page (None: no repository is set)."""
    repository = dataset_of(page.datasette.metadata()).repository
    return report_url(repository, page.kind.name, page.id, permalink)


async def context(page: Page, record: Row, text: str) -> Context:
    """A fact page's context: the record in prose (`text`), its evidence, whom it names,
    permalink, JSON-LD and the link to report an error."""
    items = await evidence(page.db, page.kind.name, page.id)
    permalink = page.absolute(page.request.path)
    return {
        "kind": page.kind.name,
        "record": record,
        "evidence": items,
        "named": await named(page.db, page.kind.name, page.id),
        "text": text,
        "permalink": permalink,
        "report": report(page, permalink),
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
        "appearance": [news_article(e, e["quote"]) for e in items],
    }
    return Markup(jsonld(data))
