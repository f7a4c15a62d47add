"""The page of a person: names, the posts they held over time, the events they took part in,
the facts about them and what they said."""

from __future__ import annotations

from toolkit.site.pages import entities
from toolkit.site.pages.registry import Context, Listing, Page, PageKind, record_route

_POSITIONS = (
    "select po.id, po.title, po.title_en, po.as_of, po.status, o.id as org, o.name as org_name, "
    "o.name_en as org_name_en from positions po left join organizations o on o.id = po.organization "
    "where po.person = ? order by po.as_of, po.id"
)


async def load(page: Page) -> Context | None:
    record = await entities.entity(page.db, page.table, page.id)
    if record is None:
        return None
    return entities.context(page, record, await entities.related(page.db, page.id, _POSITIONS))


PAGE = PageKind(
    name="person",
    route=record_route("person"),
    template="entity.html",
    load=load,
    table="persons",
    label="Person",
    plural="People",
    search_body=entities.search_body("persons"),
    listings=(Listing("persons", "name"), entities.MIXED),
)
