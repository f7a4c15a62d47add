"""What the pages of entities share (a person, an organization, a place, an event): the
record with its names, parent and place, and everything that links to it."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from toolkit.build.words import date_words
from toolkit.site.pages.registry import Context, Listing, Page
from toolkit.site.pages.rows import Row, aliases, one, rows

# Rows of the `entities` table (every entity, its kind in a column) link to their own kind's page.
MIXED = Listing("entities", "name", kind_column="kind")

_EVENTS = (
    "select distinct ev.id, ev.name, ev.name_en, ev.date, ev.date_start, ev.type, ev.status, x.role, "
    "d.date as during from events ev join (select event, 'organizer' as role from event_organizers "
    "where entity = :id union all select event, 'participant' from event_participants where entity = :id "
    "union all select id, 'place' from events where place = :id) x on x.event = ev.id "
    "left join inferred_dates d on d.record_kind = 'event' and d.record_id = ev.id and d.relation = 'during' "
    "order by coalesce(ev.date_start, d.date_start) is null, coalesce(ev.date_start, d.date_start), ev.id"
)
_CLAIMS = (
    "select distinct c.id, c.statement_en, c.subject = :id as about from claims c "
    "where c.subject = :id or c.value_entity = :id order by about desc, c.id limit 200"
)
# The records whose quotes name the entity, less those the page lists already (facts about it,
# what it said or was said at it, its events and posts): what else names it.
_NAMED_IN = """
select m.record_kind as kind, m.record_id as id, m.written,
  coalesce(c.statement_en, ev.name_en, pe.name || ', ' || po.title_en, sp.name || ': ' || st.text_en) as label
from mentions m
left join claims c on m.record_kind = 'claim' and c.id = m.record_id
left join events ev on m.record_kind = 'event' and ev.id = m.record_id
left join positions po on m.record_kind = 'position' and po.id = m.record_id
left join persons pe on pe.id = po.person
left join statements st on m.record_kind = 'statement' and st.id = m.record_id
left join persons sp on sp.id = st.speaker
where m.entity = :id
  and not (m.record_kind = 'claim' and :id in (c.subject, coalesce(c.value_entity, '')))
  and not (m.record_kind = 'statement'
    and :id in (st.speaker, coalesce(st.event, ''), coalesce(st.speaker_organization, '')))
  and not (m.record_kind = 'event' and (coalesce(ev.place, '') = :id
    or ev.id in (select event from event_organizers where entity = :id
      union all select event from event_participants where entity = :id)))
  and not (m.record_kind = 'position' and :id in (po.person, coalesce(po.organization, '')))
order by case m.record_kind when 'claim' then 0 when 'statement' then 1 when 'event' then 2 else 3 end,
  m.record_id
limit 201"""
_SAID = (
    "select st.id, st.verb, st.text_en, pe.name as speaker_name, pe.id as speaker "
    "from statements st join persons pe on pe.id = st.speaker "
    "where st.speaker = :id or st.event = :id or st.speaker_organization = :id order by st.id limit 200"
)


def search_body(table: str) -> str:
    """Search snippets of an entity kind are cut from its English description."""
    return f"select id, description_en as body from {table} where id in ({{ids}})"


async def entity(db: Any, table: str, entity_id: str) -> Row | None:
    """An entity with its aliases as a list, its parent, and the country or place it is in."""
    row = await one(db, f"select * from [{table}] where id = ?", [entity_id])
    if row is None:
        return None
    row["aliases"] = aliases(row.get("aliases"))
    if row.get("parent"):
        row["parent_row"] = await one(
            db, f"select id, name, name_en from [{table}] where id = ?", [row["parent"]]
        )
    for key in ("country", "place"):
        if row.get(key):
            row[f"{key}_row"] = await one(db, "select id, name, name_en from places where id = ?", [row[key]])
    return row


async def children(db: Any, table: str, entity_id: str) -> list[Row]:
    """The entities whose parent it is (the places in a place, the bodies of a body …)."""
    return await rows(
        db, f"select id, name, name_en from [{table}] where parent = ? order by id", [entity_id]
    )


async def related(db: Any, entity_id: str, positions: str | None = None) -> Row:
    """What links to an entity: its events, the claims about or naming it, what was said by it
    or at it, and (with the `positions` query, the id its one parameter) the posts held."""
    out: Row = {}
    if positions is not None:
        out["positions"] = await rows(db, positions, [entity_id])
    for p in out.get("positions", []):
        p["as_of_words"] = date_words(p["as_of"])
    out["events"] = [
        dict(r)
        | {"date_words": date_words(r["date"]) or (r["during"] and f"during {date_words(r['during'])}")}
        for r in (await db.execute(_EVENTS, {"id": entity_id})).rows
    ]
    out["claims"] = await rows(db, _CLAIMS, {"id": entity_id})
    out["said"] = await rows(db, _SAID, {"id": entity_id})
    named_in = await rows(db, _NAMED_IN, {"id": entity_id})
    out["named_in"], out["named_in_more"] = named_in[:200], len(named_in) > 200
    return out


def context(
    page: Page, record: Row, links: Row, evidence: list[Row] | None = None, jsonld: Markup | None = None
) -> Context:
    """An entity page's context; only an event has evidence and JSON-LD of its own."""
    return {
        "kind": page.kind.name,
        "record": record,
        "related": links,
        "evidence": evidence or [],
        "permalink": page.absolute(page.request.path),
        "row_url": page.row_url(page.table, page.id),
        "jsonld": jsonld,
    }
