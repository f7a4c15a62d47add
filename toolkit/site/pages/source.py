"""The page of a source: the archived article as paragraphs, each quoted span linked to the
records that quote it, sentences with facts no record quotes marked, furniture set aside."""

from __future__ import annotations

import asyncio
from typing import Any

from markupsafe import Markup

from toolkit.build.reader import LINES_TABLE
from toolkit.build.words import date_words, published_words
from toolkit.site.pages.linked import news_article
from toolkit.site.pages.registry import Context, Listing, Page, PageKind, record_route, url_for
from toolkit.site.pages.rows import Row, aliases, one, rows
from toolkit.site.pages.sentences import Span, pack, paragraphs
from toolkit.site.pages.view import jsonld

# Each quote with a label for its record: a claim's statement, an event's name, a person and
# their post, a speaker and their words.
_QUOTES = (
    "select e.record_kind, e.record_id, e.start, e.end, "
    "coalesce(c.statement_en, ev.name_en, pe.name || ', ' || po.title_en, "
    "sp.name || ': ' || st.text_en) as label "
    "from evidence e left join claims c on e.record_kind = 'claim' and c.id = e.record_id "
    "left join statements st on e.record_kind = 'statement' and st.id = e.record_id "
    "left join persons sp on sp.id = st.speaker "
    "left join events ev on e.record_kind = 'event' and ev.id = e.record_id "
    "left join positions po on e.record_kind = 'position' and po.id = e.record_id "
    "left join persons pe on pe.id = po.person where e.source = ? order by e.start"
)


async def read(db: Any, source_id: str) -> Row | None:
    """A source with its records, its reviews and its lines as paragraphs: quoted spans
    linked, unquoted facts marked, the article apart from the furniture before and after it."""
    src = await one(db, "select * from sources where id = ?", [source_id])
    if src is None:
        return None
    src["published_words"] = published_words(src["published"])
    quotes = (await db.execute(_QUOTES, [source_id])).rows
    spans: list[Span] = [
        (q["start"], q["end"], url_for(q["record_kind"], q["record_id"]), q["label"]) for q in quotes
    ]
    records = {(q["record_kind"], q["record_id"]): q["label"] for q in quotes}
    src["records"] = [{"kind": k, "id": i, "label": label} for (k, i), label in records.items()]
    reviews = (await db.execute("select * from reviews where source = ? order by seq", [source_id])).rows
    src["reviews"] = [
        dict(r) | {"checked": aliases(r["checked"]), "date_words": date_words(r["date"])} for r in reviews
    ]
    lines = (
        await db.execute(
            f"select line, start, text, part, note from [{LINES_TABLE}] where source = ? order by line",
            [source_id],
        )
    ).rows
    # A long page is split and marked off the event loop: other readers never wait on it.
    paras = await asyncio.to_thread(paragraphs, pack(src["language"]), lines, spans, await _not_people(db))
    article = [i for i, p in enumerate(paras) if p.part != "furniture"]
    first, last = (article[0], article[-1] + 1) if article else (len(paras), len(paras))
    src["before"], src["article"], src["after"] = paras[:first], paras[first:last], paras[last:]
    return src


async def _not_people(db: Any) -> tuple[str, ...]:
    """Every name and alias of a place or organization, longest first: a titled name among
    them is no person to quote."""
    names = await rows(
        db, "select name, aliases from places union all select name, aliases from organizations"
    )
    found = {n for r in names for n in (r["name"], *aliases(r["aliases"]))}
    return tuple(sorted(found, key=len, reverse=True))


async def load(page: Page) -> Context | None:
    source = await read(page.db, page.id)
    if source is None:
        return None
    article = {"@context": "https://schema.org", **news_article(source)}
    article["mainEntityOfPage"] = page.absolute(page.request.path)
    article["isPartOf"] = {
        "@type": "Dataset",
        "name": page.datasette.metadata().get("title"),
        "url": page.absolute("/"),
    }
    return {
        "source": source,
        "row_url": page.row_url(page.table, source["id"]),
        "jsonld": Markup(jsonld(article)),
    }


PAGE = PageKind(
    name="source",
    route=record_route("source"),
    template="source.html",
    load=load,
    table="sources",
    label="Source",
    plural="Sources",
    search_body="select id, publisher as body from sources where id in ({ids})",
    listings=(Listing("sources", "title"),),
)
