"""The page of a position: who held which post in which organization, as of when, and where
the sources say so."""

from __future__ import annotations

from typing import Any

from toolkit.build.words import date_words, period_words
from toolkit.site.pages import facts
from toolkit.site.pages.registry import Context, Listing, Page, PageKind, record_route
from toolkit.site.pages.rows import Row, one


async def read(db: Any, position_id: str) -> Row | None:
    """A position with the person's and organization's names and its date in words."""
    row = await one(
        db,
        "select po.*, pe.name as person_name, pe.name_en as person_name_en, o.name as org_name, "
        "o.name_en as org_name_en from positions po join persons pe on pe.id = po.person "
        "left join organizations o on o.id = po.organization where po.id = ?",
        [position_id],
    )
    if row is None:
        return None
    row["as_of_words"] = date_words(row["as_of"])
    row["term_words"] = period_words(row.get("since"), row.get("until"))
    return row


async def load(page: Page) -> Context | None:
    record = await read(page.db, page.id)
    if record is None:
        return None
    text = f"{record['person_name']}: {record['title_en']}" + (
        f", {record['org_name_en'] or record['org_name']}" if record["org_name"] else ""
    )
    return await facts.context(page, record, text)


PAGE = PageKind(
    name="position",
    route=record_route("position"),
    template="position.html",
    load=load,
    table="positions",
    label="Position",
    plural="Positions",
    search_body=facts.quoted_body("position"),
    id_columns=("position_id",),
    listings=(Listing("positions", "title", label="title_en"),),
)
