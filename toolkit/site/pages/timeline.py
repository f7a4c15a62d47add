"""The timeline: events in date order, grouped by year, undated ones last; filtered by type
and place."""

from __future__ import annotations

from typing import Any

from toolkit.build.words import date_words
from toolkit.site.pages.registry import Context, Page, PageKind

_EVENTS = (
    "select ev.id, ev.name, ev.name_en, ev.date, ev.date_start, ev.type, ev.status, ev.place, "
    "pl.name as place_name, pl.name_en as place_name_en, "
    "(select count(distinct source) from evidence where record_kind = 'event' and record_id = ev.id) "
    "as sources from events ev left join places pl on pl.id = ev.place "
    "where (:type = '' or ev.type = :type) and (:place = '' or ev.place = :place) "
    "order by ev.date_start is null, ev.date_start, ev.date_end, ev.id"
)


def _by_year(rows: list[Any]) -> list[dict[str, Any]]:
    """Events under their year's heading, in the order given; undated ones under their own."""
    groups: list[dict[str, Any]] = []
    for r in rows:
        title = r["date_start"][:4] if r["date_start"] else "Date not stated"
        if not groups or groups[-1]["title"] != title:
            groups.append({"title": title, "events": []})
        groups[-1]["events"].append(dict(r) | {"date_words": date_words(r["date"])})
    return groups


async def load(page: Page) -> Context:
    db = page.db
    kind, place = page.arg("type"), page.arg("place")
    rows = (await db.execute(_EVENTS, {"type": kind, "place": place})).rows
    types = [r[0] for r in (await db.execute("select distinct type from events order by type")).rows]
    places = (
        await db.execute(
            "select distinct pl.id, pl.name, pl.name_en from events ev join places pl on pl.id = ev.place "
            "order by pl.name_en, pl.name"
        )
    ).rows
    return {
        "groups": _by_year(rows),
        "types": types,
        "places": places,
        "type": kind,
        "place": place,
        "count": len(rows),
    }


PAGE = PageKind(name="timeline", route=r"^/timeline$", template="timeline.html", load=load)
