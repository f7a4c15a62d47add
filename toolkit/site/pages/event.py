"""The page of an event: when and where, who organized and took part, its parts, the
evidence in whole sentences and a way to cite it."""

from __future__ import annotations

from toolkit.build.words import date_words
from toolkit.site.pages import entities, facts, when
from toolkit.site.pages.registry import Context, Listing, Page, PageKind, record_route
from toolkit.site.pages.rows import rows
from toolkit.site.pages.sentences import evidence


async def load(page: Page) -> Context | None:
    record = await entities.entity(page.db, page.table, page.id)
    if record is None:
        return None
    record["children"] = await entities.children(page.db, page.table, page.id)
    record["date_words"] = date_words(record.get("date"))
    # An undated part of a dated event lies within its dates; a planned one is so as of its page.
    record["inferred"] = await when.one(page.db, "event", page.id)
    record["as_of"] = when.as_of_words(record["inferred"])
    for role in ("organizers", "participants"):
        record[role] = await rows(
            page.db,
            f"select en.id, en.kind, en.name, en.name_en from event_{role} x "
            "join entities en on en.id = x.entity where x.event = ? order by en.kind, en.name",
            [page.id],
        )
    items = await evidence(page.db, page.kind.name, page.id)
    jsonld = facts.claim_jsonld(page, record.get("name_en") or record["name"], items)
    out = entities.context(page, record, await entities.related(page.db, page.id), items, jsonld)
    out["named"] = await facts.named(page.db, page.kind.name, page.id)
    out["report"] = facts.report(page, out["permalink"])
    return out


PAGE = PageKind(
    name="event",
    route=record_route("event"),
    template="entity.html",
    load=load,
    table="events",
    label="Event",
    plural="Events",
    search_body=facts.quoted_body("event"),
    listings=(Listing("events", "name"), entities.MIXED),
)
