"""The page of a property (/property/<id>): every value it takes, by subject and over time,
each with its source; where the values compare (quantities in one unit), a small inline SVG
chart of the page's values with the source under each bar."""

from __future__ import annotations

from typing import Any

from toolkit.build.words import plural, published_words, unit_words
from toolkit.site.pages import chart, when
from toolkit.site.pages.registry import Context, Listing, Page, PageKind, record_route
from toolkit.site.pages.rows import Row, one, rows

PROPERTY_PAGE = 25  # values a page (and bars in its chart)

_VALUES = """
select c.id, c.statement_en, c.subject, s.name as subject_name, s.name_en as subject_name_en,
  s.kind as subject_kind, c.amount, c.lower, c.upper, c.unit, c.modality, c.rank,
  cf.value_words, cf.time_words, cf.source, cf.source_title, cf.publisher, cf.published,
  (select count(distinct source) from evidence where record_kind = 'claim' and record_id = c.id) as sources
from claims c join entities s on s.id = c.subject
left join claims_flat cf on cf.rowid = (select min(rowid) from claims_flat where claim_id = c.id)
where c.property = :property and (:subject = '' or c.subject = :subject)
order by c.subject, coalesce(c.point_in_time, c.period_start, c.period_end), c.id
limit :limit offset :offset"""
# Subjects by id: the index on (property, subject) gives them in order, at any size.
_SUBJECTS = """
select s.id, s.name, s.name_en, g.facts
from (select subject, count(*) as facts from claims where property = ? group by subject) g
join entities s on s.id = g.subject order by g.subject limit 500"""


def _number(text: str) -> int:
    return int(text) if text.isdigit() and 0 < int(text) < 1_000_000 else 1


def _source_line(v: Row) -> str:
    more = v["sources"] - 1
    also = f" (and {plural(more, 'other source')})" if more > 0 else ""
    return f"{v['source_title']} — {v['publisher']}, {published_words(v['published'])}{also}"


async def _summary(db: Any, property_id: str) -> Row:
    """How many facts and subjects, and whether the values compare (one unit, quantities)."""
    # Each read from an index (property, subject or unit), or stopping at two amounts.
    found = await one(
        db,
        "select count(*) as facts, count(distinct subject) as subjects, (select count(*) from "
        "(select 1 from claims where property = ?1 and amount is not null limit 2)) as amounts "
        "from claims where property = ?1",
        [property_id],
    )
    sql = "select unit from claims where property = ? group by unit"
    units = [r["unit"] for r in await rows(db, sql, [property_id])]
    return (found or {}) | {"units": units}


async def load(page: Page) -> Context | None:
    record = await one(page.db, "select * from properties where id = ?", [page.id])
    if record is None:
        return None
    subject, number = page.arg("subject"), _number(page.arg("page"))
    summary = await _summary(page.db, page.id)
    found = await rows(
        page.db,
        _VALUES,
        {
            "property": page.id,
            "subject": subject,
            "limit": PROPERTY_PAGE + 1,
            "offset": (number - 1) * PROPERTY_PAGE,
        },
    )
    values = found[:PROPERTY_PAGE]
    dated = await when.inferred(page.db, "claim", [v["id"] for v in values])
    for v in values:
        v["when"] = v["time_words"] or when.as_of_words(dated.get(v["id"], {}))
        v["label"] = v["subject_name_en"] or v["subject_name"]
        v["time"] = v["time_words"] or when.as_of_short(dated.get(v["id"], {}))
        v["source_line"] = _source_line(v)
    drawn = [
        v | {"words": v["value_words"], "source": v["source_line"]} for v in values if v["amount"] is not None
    ]
    compares = chart.comparable(record["value_type"], summary["units"], summary["amounts"])
    return {
        "record": record,
        "unit_words": unit_words(record["unit"]) if record["unit"] else "",
        "summary": summary,
        "values": values,
        "chart": chart.bars(drawn, f"{record['label_en']}: the values on this page")
        if compares and drawn
        else None,
        "compares": compares,
        "subjects": await rows(page.db, _SUBJECTS, [page.id]),
        "subject": subject,
        "page": number,
        "first": (number - 1) * PROPERTY_PAGE + 1,
        "more": len(found) > PROPERTY_PAGE,
        "row_url": page.row_url(page.table, page.id),
    }


PAGE = PageKind(
    name="property",
    route=record_route("property"),
    template="property.html",
    load=load,
    table="properties",
    id_columns=("property",),
    listings=(Listing("properties", "label_en"),),
)
