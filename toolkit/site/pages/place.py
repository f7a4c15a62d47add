"""The page of a place: names, the places inside it, the organizations of the country, the
events held there and the figures about it."""

from __future__ import annotations

from toolkit.site.pages import entities
from toolkit.site.pages.registry import Context, Listing, Page, PageKind, record_route
from toolkit.site.pages.rows import rows


async def load(page: Page) -> Context | None:
    record = await entities.entity(page.db, page.table, page.id)
    if record is None:
        return None
    record["children"] = await entities.children(page.db, page.table, page.id)
    record["organizations"] = await rows(
        page.db, "select id, name, name_en from organizations where country = ? order by name", [page.id]
    )
    return entities.context(page, record, await entities.related(page.db, page.id))


PAGE = PageKind(
    name="place",
    route=record_route("place"),
    template="entity.html",
    load=load,
    table="places",
    label="Place",
    plural="Places",
    search_body=entities.search_body("places"),
    listings=(Listing("places", "name"), entities.MIXED),
)
