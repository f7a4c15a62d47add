"""The timeline: events in date order, grouped by year, undated ones last; an undated part of
a dated event sits within its parent's dates. Filtered by type and by place, a place finding
everything inside it (Japan finds Fukuoka's events), named in either language, with or without
diacritics, by an alias or its id."""

from __future__ import annotations

from typing import Any

from toolkit.build.words import date_words
from toolkit.publish.metadata import PLACE_MATCH, PLACES_INSIDE
from toolkit.site.pages.registry import Context, Page, PageKind
from toolkit.site.pages.rows import Row, rows

_EVENTS = f"""
select ev.id, ev.name, ev.name_en, ev.date, ev.type, ev.status, ev.place,
  coalesce(ev.date_start, d.date_start) as start, d.date as during, a.date as as_of,
  pl.name as place_name, pl.name_en as place_name_en,
  (select count(distinct source) from evidence where record_kind = 'event' and record_id = ev.id)
    as sources
from events ev left join places pl on pl.id = ev.place
left join inferred_dates d on d.record_kind = 'event' and d.record_id = ev.id and d.relation = 'during'
left join inferred_dates a on a.record_kind = 'event' and a.record_id = ev.id and a.relation = 'as_of'
where (:type = '' or ev.type = :type) and (:place = '' or ev.place in ({PLACES_INSIDE}))
order by start is null, start, d.date is not null, coalesce(ev.date_end, d.date_end), ev.id"""
# The places a reader can pick: those holding an event, or holding a place that does.
_PLACES = """
select distinct pl.id, pl.name, pl.name_en from events ev
join places_within w on w.place = ev.place join places pl on pl.id = w.within
order by coalesce(pl.name_en, pl.name)"""


def _by_year(found: list[Row]) -> list[dict[str, Any]]:
    """Events under their year's heading, in the order given; undated ones under their own."""
    groups: list[dict[str, Any]] = []
    for r in found:
        title = r["start"][:4] if r["start"] else "Date not stated"
        if not groups or groups[-1]["title"] != title:
            groups.append({"title": title, "events": []})
        words = date_words(r["date"]) or (f"during {date_words(r['during'])}" if r["during"] else "")
        groups[-1]["events"].append(r | {"date_words": words, "as_of_words": date_words(r["as_of"])})
    return groups


async def load(page: Page) -> Context:
    db = page.db
    kind, place = page.arg("type"), page.arg("place").strip()
    found = await rows(db, _EVENTS, {"type": kind, "place": place})
    types = [r["type"] for r in await rows(db, "select distinct type from events order by type")]
    chosen = await rows(
        db,
        f"select id, name, name_en from places where id in ({PLACE_MATCH}) order by name_en, name",
        {"place": place},
    )
    return {
        "groups": _by_year(found),
        "types": types,
        "places": await rows(db, _PLACES),
        "type": kind,
        "place": place,
        "chosen": chosen,
        "count": len(found),
    }


PAGE = PageKind(name="timeline", route=r"^/timeline$", template="timeline.html", load=load)
