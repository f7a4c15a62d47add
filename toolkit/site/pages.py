"""What each reader page shows, read from the built database: a fact (claim, position or
event) with its evidence in whole sentences, an entity with everything linked to it, a source
with its quoted spans. Pure data for the templates; the routes live in toolkit.site.plugin."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from toolkit.build.reader import LINES_TABLE
from toolkit.build.words import date_words, published_words, value_words
from toolkit.contrib.coverage import reasons_to_cover, split_sentences
from toolkit.records.models import KIND_TABLE as MODEL_KINDS

Row = dict[str, Any]
ENTITY_KINDS = ("person", "organization", "place", "event")
KIND_TABLE = {k.singular: k.plural for k in MODEL_KINDS}  # the page of a `claim` reads `claims` …
KIND_LABEL = {
    "person": "Person",
    "organization": "Organization",
    "place": "Place",
    "event": "Event",
    "claim": "Fact",
    "position": "Position",
    "statement": "What was said",
    "source": "Source",
}
# The search filter's words for each kind.
KIND_PLURAL = {
    "person": "People",
    "organization": "Organizations",
    "place": "Places",
    "event": "Events",
    "claim": "Facts",
    "position": "Positions",
    "statement": "What was said",
    "source": "Sources",
}
REASONS = {"number": "a figure", "date": "a date", "name": "a titled name", "speech": "what someone said"}


def url_for(kind: str, record_id: str) -> str:
    """The reader page of a record: /person/<id>, /claim/<id>, /source/<id> …"""
    return f"/{kind}/{record_id}"


def aliases(value: object) -> list[str]:
    """The aliases column (a JSON list) as a list, never `[]` on screen."""
    if not isinstance(value, str) or not value:
        return []
    try:
        items = json.loads(value)
    except ValueError:
        return [value]
    return [str(i) for i in items] if isinstance(items, list) else []


@dataclass
class Segment:
    """A run of text in a sentence or paragraph; `href` when a quote covers it."""

    text: str
    quoted: bool = False
    href: str | None = None
    title: str | None = None


@dataclass
class Sentence:
    segments: list[Segment]
    unquoted: str | None = None  # why it holds facts no record quotes: "a figure, a date"


@dataclass
class Paragraph:
    line: int
    part: str
    note: str | None
    sentences: list[Sentence] = field(default_factory=list)


Span = tuple[int, int, str | None, str | None]  # start, end, link, title


def _segments(text: str, offset: int, spans: list[Span]) -> list[Segment]:
    """Cut `text` (starting at `offset` in the source) where quoted spans begin and end; a
    piece inside several quotes links to the shortest and names them all."""
    end = offset + len(text)
    inside = [s for s in spans if s[0] < end and offset < s[1]]
    cuts = sorted({offset, end} | {max(offset, min(end, p)) for s in inside for p in s[:2]})
    out: list[Segment] = []
    for a, b in itertools.pairwise(cuts):
        covering = sorted((s for s in inside if s[0] <= a and b <= s[1]), key=lambda s: s[1] - s[0])
        piece = text[a - offset : b - offset]
        if not covering:
            out.append(Segment(piece))
            continue
        titles = list(dict.fromkeys(s[3] for s in covering if s[3]))
        out.append(Segment(piece, True, covering[0][2], "; ".join(titles) or None))
    return out


async def _one(db: Any, sql: str, params: list[Any]) -> Row | None:
    """The first row a query gives, as a dict (None: no such record)."""
    rows = (await db.execute(sql, params)).rows
    return dict(rows[0]) if rows else None


async def evidence(db: Any, kind: str, record_id: str) -> list[Row]:
    """Each evidence item of a record, with its source and its whole sentence(s)."""
    rows = (
        await db.execute(
            "select e.seq, e.source, e.quote, e.start, e.end, e.line, s.title, s.title_en, s.publisher, "
            "s.published, s.published_note, s.url from evidence e join sources s on s.id = e.source "
            "where e.record_kind = ? and e.record_id = ? order by e.seq",
            [kind, record_id],
        )
    ).rows
    out = []
    for r in rows:
        item = dict(r)
        item["published_words"] = published_words(r["published"])
        lines = (
            await db.execute(
                f"select line, start, text from [{LINES_TABLE}] where source = ? and line >= ? "
                "and start < ? order by line",
                [r["source"], r["line"], r["end"]],
            )
        ).rows
        pieces: list[list[Segment]] = []
        for line in lines:
            spans = [
                (a, b)
                for a, b in split_sentences(line["text"], line["start"])
                if a < r["end"] and r["start"] < b
            ]
            if spans:
                a, b = spans[0][0], spans[-1][1]
                text = line["text"][a - line["start"] : b - line["start"]]
                pieces.append(_segments(text, a, [(r["start"], r["end"], None, None)]))
        item["sentence"] = [seg for piece in pieces for seg in [*piece, Segment(" ")]][:-1]
        out.append(item)
    return out


async def claim(db: Any, claim_id: str) -> Row | None:
    """A claim with its property's labels, its subject's and value's names, value and time in words."""
    row = await _one(
        db,
        "select c.*, p.label_en, p.label_vi, s.name as subject_name, s.name_en as subject_name_en, "
        "s.kind as subject_kind, ve.name as value_entity_name, ve.name_en as value_entity_name_en, "
        "ve.kind as value_entity_kind, cf.value_words, cf.time_words, "
        "ac.name as according_to_name, ac.name_en as according_to_name_en, ac.kind as according_to_kind "
        "from claims c join properties p on p.id = c.property join entities s on s.id = c.subject "
        "left join entities ve on ve.id = c.value_entity left join entities ac on ac.id = c.according_to "
        "left join claims_flat cf on cf.claim_id = c.id where c.id = ? limit 1",
        [claim_id],
    )
    if row is None:
        return None
    row["value_words"] = row["value_words"] or value_words(row)
    row["more"] = [
        dict(r)
        for r in (
            await db.execute(
                "select id, statement_en from claims where subject = ? and id != ? order by id limit 10",
                [row["subject"], claim_id],
            )
        ).rows
    ]
    return row


async def position(db: Any, position_id: str) -> Row | None:
    """A position with the person's and organization's names and its date in words."""
    row = await _one(
        db,
        "select po.*, pe.name as person_name, pe.name_en as person_name_en, o.name as org_name, "
        "o.name_en as org_name_en from positions po join persons pe on pe.id = po.person "
        "left join organizations o on o.id = po.organization where po.id = ?",
        [position_id],
    )
    if row is None:
        return None
    row["as_of_words"] = date_words(row["as_of"])
    return row


async def statement(db: Any, statement_id: str) -> Row | None:
    """What a person said, with their name, post, organization and the event, in words."""
    row = await _one(
        db,
        "select st.*, pe.name as speaker_name, pe.name_en as speaker_name_en, "
        "o.name as org_name, o.name_en as org_name_en, po.title as position_title, "
        "po.title_en as position_title_en, ev.name as event_name, ev.name_en as event_name_en "
        "from statements st join persons pe on pe.id = st.speaker "
        "left join organizations o on o.id = st.speaker_organization "
        "left join positions po on po.id = st.position left join events ev on ev.id = st.event "
        "where st.id = ?",
        [statement_id],
    )
    if row is None:
        return None
    row["date_words"] = date_words(row["date"]) if row["date"] else None
    row["topics"] = aliases(row.get("topics"))
    return row


async def entity(db: Any, kind: str, entity_id: str) -> Row | None:
    """A person, organization, place or event with its names, parents and children."""
    table = KIND_TABLE[kind]
    row = await _one(db, f"select * from [{table}] where id = ?", [entity_id])
    if row is None:
        return None
    row["aliases"] = aliases(row.get("aliases"))
    if row.get("parent"):
        row["parent_row"] = await _one(
            db, f"select id, name, name_en from [{table}] where id = ?", [row["parent"]]
        )
    if kind in ("organization", "place", "event"):
        row["children"] = [
            dict(r)
            for r in (
                await db.execute(
                    f"select id, name, name_en from [{table}] where parent = ? order by id", [entity_id]
                )
            ).rows
        ]
    if kind == "place":
        row["organizations"] = [
            dict(r)
            for r in (
                await db.execute(
                    "select id, name, name_en from organizations where country = ? order by name", [entity_id]
                )
            ).rows
        ]
    for key in ("country", "place"):
        if row.get(key):
            found = (await db.execute("select id, name, name_en from places where id = ?", [row[key]])).rows
            row[f"{key}_row"] = dict(found[0]) if found else None
    if kind == "event":
        row["date_words"] = date_words(row.get("date"))
        for role in ("organizers", "participants"):
            row[role] = [
                dict(r)
                for r in (
                    await db.execute(
                        f"select en.id, en.kind, en.name, en.name_en from event_{role} x "
                        "join entities en on en.id = x.entity where x.event = ? order by en.kind, en.name",
                        [entity_id],
                    )
                ).rows
            ]
    return row


async def related(db: Any, kind: str, entity_id: str) -> Row:
    """What links to an entity: positions, events, claims about it or naming it."""
    out: Row = {}
    if kind == "person":
        sql = (
            "select po.id, po.title, po.title_en, po.as_of, po.status, o.id as org, o.name as org_name, "
            "o.name_en as org_name_en from positions po left join organizations o on o.id = po.organization "
            "where po.person = ? order by po.as_of, po.id"
        )
        out["positions"] = [dict(r) for r in (await db.execute(sql, [entity_id])).rows]
    elif kind == "organization":
        sql = (
            "select po.id, po.title, po.title_en, po.as_of, po.status, pe.id as person, "
            "pe.name as person_name "
            "from positions po join persons pe on pe.id = po.person where po.organization = ? "
            "order by po.as_of, pe.name"
        )
        out["positions"] = [dict(r) for r in (await db.execute(sql, [entity_id])).rows]
    for p in out.get("positions", []):
        p["as_of_words"] = date_words(p["as_of"])
    events_sql = (
        "select distinct ev.id, ev.name, ev.name_en, ev.date, ev.date_start, ev.type, ev.status, x.role "
        "from events ev join (select event, 'organizer' as role from event_organizers where entity = :id "
        "union all select event, 'participant' from event_participants where entity = :id "
        "union all select id, 'place' from events where place = :id) x on x.event = ev.id "
        "order by ev.date_start is null, ev.date_start, ev.id"
    )
    out["events"] = [
        dict(r) | {"date_words": date_words(r["date"])}
        for r in (await db.execute(events_sql, {"id": entity_id})).rows
    ]
    claims_sql = (
        "select distinct c.id, c.statement_en, c.subject = :id as about from claims c "
        "where c.subject = :id or c.value_entity = :id order by about desc, c.id limit 200"
    )
    out["claims"] = [dict(r) for r in (await db.execute(claims_sql, {"id": entity_id})).rows]
    said_sql = (
        "select st.id, st.verb, st.text_en, pe.name as speaker_name, pe.id as speaker "
        "from statements st join persons pe on pe.id = st.speaker "
        "where st.speaker = :id or st.event = :id or st.speaker_organization = :id order by st.id limit 200"
    )
    out["said"] = [dict(r) for r in (await db.execute(said_sql, {"id": entity_id})).rows]
    return out


async def source_page(db: Any, source_id: str) -> Row | None:
    """A source with its lines as paragraphs: quoted spans linked, unquoted facts marked."""
    src = await _one(db, "select * from sources where id = ?", [source_id])
    if src is None:
        return None
    src["published_words"] = published_words(src["published"])
    quotes = (
        await db.execute(
            "select e.record_kind, e.record_id, e.start, e.end, "
            "coalesce(c.statement_en, ev.name_en, pe.name || ', ' || po.title_en, "
            "sp.name || ': ' || st.text_en) as label "
            "from evidence e left join claims c on e.record_kind = 'claim' and c.id = e.record_id "
            "left join statements st on e.record_kind = 'statement' and st.id = e.record_id "
            "left join persons sp on sp.id = st.speaker "
            "left join events ev on e.record_kind = 'event' and ev.id = e.record_id "
            "left join positions po on e.record_kind = 'position' and po.id = e.record_id "
            "left join persons pe on pe.id = po.person where e.source = ? order by e.start",
            [source_id],
        )
    ).rows
    spans: list[Span] = [
        (q["start"], q["end"], url_for(q["record_kind"], q["record_id"]), q["label"]) for q in quotes
    ]
    records = {(q["record_kind"], q["record_id"]): q["label"] for q in quotes}
    src["records"] = [{"kind": k, "id": i, "label": label} for (k, i), label in records.items()]
    reviews = (await db.execute("select * from reviews where source = ? order by seq", [source_id])).rows
    src["reviews"] = [
        dict(r) | {"checked": aliases(r["checked"]), "date_words": date_words(r["date"])} for r in reviews
    ]
    not_people = tuple(
        sorted(
            {
                n
                for r in (
                    await db.execute(
                        "select name, aliases from places union all select name, aliases from organizations"
                    )
                ).rows
                for n in (r["name"], *aliases(r["aliases"]))
            },
            key=len,
            reverse=True,
        )
    )
    lines = (
        await db.execute(
            f"select line, start, text, part, note from [{LINES_TABLE}] where source = ? order by line",
            [source_id],
        )
    ).rows
    paragraphs = []
    for line in lines:
        if not line["text"].strip():
            continue
        para = Paragraph(line["line"], line["part"], line["note"])
        previous = line["start"]
        for s_start, s_end in [*split_sentences(line["text"], line["start"]), (None, None)]:
            gap_end = s_start if s_start is not None else line["start"] + len(line["text"])
            if gap_end > previous:  # the spaces between sentences, as written
                gap = line["text"][previous - line["start"] : gap_end - line["start"]]
                para.sentences.append(Sentence(_segments(gap, previous, spans)))
            if s_start is None or s_end is None:
                break
            text = line["text"][s_start - line["start"] : s_end - line["start"]]
            segments = _segments(text, s_start, spans)
            why = None
            if para.part == "body" and not any(seg.quoted for seg in segments):
                reasons = reasons_to_cover(text, not_people)
                why = ", ".join(REASONS[r] for r in reasons) or None
            para.sentences.append(Sentence(segments, why))
            previous = s_end
        paragraphs.append(para)
    article = [i for i, p in enumerate(paragraphs) if p.part != "furniture"]
    first, last = (article[0], article[-1] + 1) if article else (len(paragraphs), len(paragraphs))
    src["before"], src["article"], src["after"] = (
        paragraphs[:first],
        paragraphs[first:last],
        paragraphs[last:],
    )
    return src
