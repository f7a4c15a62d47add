"""The page of an organization: names, the bodies inside it, the people and their posts, its
events and the facts about it."""

from __future__ import annotations

from toolkit.site.pages import entities
from toolkit.site.pages.registry import Context, Listing, Page, PageKind, record_route

_POSITIONS = (
    "select po.id, po.title, po.title_en, po.as_of, po.status, pe.id as person, "
    "pe.name as person_name "
    "from positions po join persons pe on pe.id = po.person where po.organization = ? "
    "order by po.as_of, pe.name"
)


async def load(page: Page) -> Context | None:
    record = await entities.entity(page.db, page.table, page.id)
    if record is None:
        return None
    record["children"] = await entities.children(page.db, page.table, page.id)
    return entities.context(page, record, await entities.related(page.db, page.id, _POSITIONS))


PAGE = PageKind(
    name="organization",
    route=record_route("organization"),
    template="entity.html",
    load=load,
    table="organizations",
    label="Organization",
    plural="Organizations",
    search_body=entities.search_body("organizations"),
    listings=(Listing("organizations", "name"), entities.MIXED),
)
