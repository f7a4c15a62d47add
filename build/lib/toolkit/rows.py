"""The rows of each table, built from validated records: one function per table, each
returning (rows, primary key, foreign keys, column types) for sqlite-utils."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from toolkit import dates
from toolkit.models import (
    ENTITY_KINDS,
    EVIDENCED_KINDS,
    Claim,
    DateValue,
    EntityValue,
    Event,
    Quantity,
    TextValue,
    singular,
)
from toolkit.text import decimal_text, search_key
from toolkit.validate import Dataset, Entry

CONTEXT_CHARS = 40
Table = tuple[list[dict[str, Any]], str | tuple[str, ...], list[tuple[str, str, str]], dict[str, type]]


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _exact(value: Decimal | None) -> str | None:
    return None if value is None else decimal_text(value)


def _span_bounds(text: str | None) -> tuple[str | None, str | None]:
    if text is None:
        return None, None
    span = dates.parse_range(text)
    return span.first.isoformat(), span.last.isoformat()


def sorted_entries(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: e.record.id)


def _key(*texts: str | None) -> str:
    """Folded text for diacritic-free search (see text.search_key)."""
    return " | ".join(search_key(t) for t in texts if t)


def _columns(names: list[str], kind: type = str) -> dict[str, type]:
    return dict.fromkeys(names, kind)


def _sources(data: Dataset) -> tuple[str, Table]:
    """The sources table."""
    return (
        "sources",
        (
            [
                {
                    "id": s.id,
                    "file": s.file,
                    "sha256": s.sha256,
                    "title": s.title,
                    "title_en": s.title_en,
                    "publisher": s.publisher,
                    "url": s.url,
                    "published": s.published,
                    "published_quote": s.published_quote,
                    "published_note": s.published_note,
                    "language": s.language,
                    "body_start_line": s.body.start_line,
                    "body_end_line": s.body.end_line,
                }
                for s in (e.record for e in sorted_entries(data.valid("sources")))
            ],
            "id",
            [],
            _columns(
                [
                    *["id", "file", "sha256", "title", "title_en", "publisher", "url", "published"],
                    *["published_quote", "published_note", "language"],
                ],
            )
            | {"body_start_line": int, "body_end_line": int},
        ),
    )


def _reviews(data: Dataset) -> tuple[str, Table]:
    """Who read each source's records against the page, when, and what they checked."""
    rows = [
        {
            "source": e.record.id,
            "seq": i,
            "by": r.by,
            "date": r.date,
            "checked": json.dumps(r.checked, ensure_ascii=False),
            "corrections": r.corrections,
        }
        for e in sorted_entries(data.valid("sources"))
        for i, r in enumerate(e.record.reviews)
    ]
    return (
        "reviews",
        (
            rows,
            ("source", "seq"),
            [("source", "sources", "id")],
            _columns(["source", "by", "date", "checked"]) | {"seq": int, "corrections": str},
        ),
    )


def table_rows(data: Dataset) -> Iterator[tuple[str, Table]]:
    yield _sources(data)
    yield _reviews(data)
    yield (
        "properties",
        (
            [
                {
                    "id": p.id,
                    "label_vi": p.label_vi,
                    "label_en": p.label_en,
                    "value_type": p.value_type,
                    "unit": p.unit,
                    "description": p.description,
                }
                for p in (e.record for e in sorted_entries(data.valid("properties")))
            ],
            "id",
            [],
            _columns(["id", "label_vi", "label_en", "value_type", "unit", "description"]),
        ),
    )
    # One table of everything a claim can be about, so `subject` has a real foreign key.
    entity_rows = []
    for kind in ENTITY_KINDS:
        for e in sorted_entries(data.valid(kind)):
            r = e.record
            names = [r.name, r.name_en, *getattr(r, "aliases", [])]
            entity_rows.append(
                {
                    "id": r.id,
                    "kind": singular(kind),
                    "name": r.name,
                    "name_en": r.name_en,
                    "search_key": _key(*names),
                }
            )
    entity_rows.sort(key=lambda row: row["id"])
    labels = {row["id"]: row["name"] for row in entity_rows}
    yield (
        "entities",
        (entity_rows, "id", [], _columns(["id", "kind", "name", "name_en", "search_key"])),
    )
    for kind in ("places", "organizations", "persons"):  # a table exists before keys point at it
        rows = []
        for e in sorted_entries(data.valid(kind)):
            r = e.record
            row: dict[str, Any] = {
                "id": r.id,
                "name": r.name,
                "name_en": r.name_en,
                "aliases": json.dumps(r.aliases, ensure_ascii=False),
                "description_en": r.description_en,
                "search_key": _key(r.name, r.name_en, *r.aliases),
            }
            if kind != "persons":
                row["type"] = r.type
                row["parent"] = r.parent
            if kind == "organizations":
                row["country"] = r.country
            rows.append(row)
        fks = []
        columns = _columns(["id", "name", "name_en", "aliases", "description_en", "search_key"])
        if kind != "persons":
            columns |= {"type": str, "parent": str}
            fks.append(("parent", kind, "id"))
        if kind == "organizations":
            columns["country"] = str
            fks.append(("country", "places", "id"))
        yield kind, (rows, "id", fks, columns)
    yield (
        "positions",
        (
            [
                {
                    "id": p.id,
                    "person": p.person,
                    "organization": p.organization,
                    "title": p.title,
                    "title_en": p.title_en,
                    "as_of": p.as_of,
                    "status": p.status,
                    "until": p.until,
                    "search_key": _key(labels.get(p.person), p.title, p.title_en),
                }
                for p in (e.record for e in sorted_entries(data.valid("positions")))
            ],
            "id",
            [("person", "persons", "id"), ("organization", "organizations", "id")],
            _columns(["id", "person", "organization", "title", "title_en", "as_of", "status", "until"])
            | _columns(["search_key"]),
        ),
    )
    yield from _events(data, labels)
    yield "claims", _claims(data, labels)
    yield "statements", _statements(data, labels)
    yield "evidence", _evidence(data)


def _statements(data: Dataset, labels: dict[str, str]) -> Table:
    """What people said: speaker, verb, the words (in `evidence`) and an English rendering."""
    rows = [
        {
            "id": r.id,
            "speaker": r.speaker,
            "speaker_organization": r.speaker_organization,
            "position": r.position,
            "event": r.event,
            "date": r.date,
            "verb": r.verb,
            "text_en": r.text_en,
            "topics": json.dumps(r.topics, ensure_ascii=False),
            "search_key": _key(labels.get(r.speaker), r.verb, r.text_en, *(ev.quote for ev in r.evidence)),
        }
        for r in (e.record for e in sorted_entries(data.valid("statements")))
    ]
    columns = _columns(["id", "speaker", "speaker_organization", "position", "event", "date", "verb"])
    return (
        rows,
        "id",
        [
            ("speaker", "persons", "id"),
            ("speaker_organization", "organizations", "id"),
            ("position", "positions", "id"),
            ("event", "events", "id"),
        ],
        columns | _columns(["text_en", "topics", "search_key"]),
    )


def _events(data: Dataset, labels: dict[str, str]) -> Iterator[tuple[str, Table]]:
    """The events table and the tables of who organized and took part in each."""
    events: list[Event] = [e.record for e in sorted_entries(data.valid("events"))]
    event_rows = []
    for ev in events:
        start, end = _span_bounds(ev.date)
        event_rows.append(
            {
                "id": ev.id,
                "type": ev.type,
                "name": ev.name,
                "name_en": ev.name_en,
                "date": ev.date,
                "date_start": start,
                "date_end": end,
                "status": ev.status,
                "place": ev.place,
                "parent": ev.parent,
                "description_en": ev.description_en,
                "search_key": _key(ev.name, ev.name_en, labels.get(ev.place or "")),
            }
        )
    yield (
        "events",
        (
            event_rows,
            "id",
            [("place", "places", "id"), ("parent", "events", "id")],
            _columns(["id", "type", "name", "name_en", "date", "date_start", "date_end", "status"])
            | _columns(["place", "parent", "description_en", "search_key"]),
        ),
    )
    for role in ("organizers", "participants"):
        yield (
            f"event_{role}",
            (
                [{"event": ev.id, "entity": ref} for ev in events for ref in sorted(set(getattr(ev, role)))],
                ("event", "entity"),
                [("event", "events", "id"), ("entity", "entities", "id")],
                {"event": str, "entity": str},
            ),
        )


def _claims(data: Dataset, labels: dict[str, str]) -> Table:
    rows = []
    for e in sorted_entries(data.valid("claims")):
        c: Claim = e.record
        v = c.value
        row: dict[str, Any] = {
            "id": c.id,
            "subject": c.subject,
            "property": c.property,
            "value_type": "quantity",
            "amount": None,
            "amount_exact": None,
            "unit": None,
            "comparator": None,
            "lower": None,
            "upper": None,
            "original": None,
            "statistic": None,
            "value_date": None,
            "value_entity": None,
            "value_text": None,
            "value_text_en": None,
            "point_in_time": c.point_in_time,
            "period_start": c.period.start if c.period else None,
            "period_end": c.period.end if c.period else None,
            "statement_en": c.statement_en,
            "rank": c.rank,
            "rank_reason": c.rank_reason,
            "modality": c.modality,
            "according_to": c.according_to,
            "search_key": _key(
                labels.get(c.subject),
                c.statement_en,
                getattr(v, "original", None),
                *(ev.quote for ev in c.evidence),
            ),
        }
        if isinstance(v, Quantity):
            row |= {
                "amount": _number(v.amount),
                "amount_exact": _exact(v.amount),
                "unit": v.unit,
                "comparator": v.comparator,
                "lower": _number(v.lower),
                "upper": _number(v.upper),
                "original": v.original,
                "statistic": v.statistic,
            }
        elif isinstance(v, DateValue):
            row |= {"value_type": "date", "value_date": v.date, "original": v.original}
        elif isinstance(v, EntityValue):
            row |= {"value_type": "entity", "value_entity": v.entity}
        elif isinstance(v, TextValue):
            row |= {"value_type": "text", "value_text": v.text, "value_text_en": v.text_en}
        rows.append(row)
    columns = _columns(list(rows[0]) if rows else ["id"])
    columns |= {"amount": float, "lower": float, "upper": float}
    return (
        rows,
        "id",
        [
            ("subject", "entities", "id"),
            ("property", "properties", "id"),
            ("value_entity", "entities", "id"),
            ("according_to", "entities", "id"),
        ],
        columns,
    )


def _evidence(data: Dataset) -> Table:
    rows = []
    for kind in EVIDENCED_KINDS:
        for e in sorted_entries(data.valid(kind)):
            for i, ev in enumerate(e.record.evidence):
                anchor = data.anchors[(e.doc.display, e.kind, e.index, i)]
                text = data.texts[ev.source].text
                m = anchor.match
                rows.append(
                    {
                        "id": f"{e.record.id}#{i}",
                        "record_kind": singular(kind),
                        "record_id": e.record.id,
                        "seq": i,
                        "source": ev.source,
                        "quote": ev.quote,
                        "exact": text[m.start : m.end],
                        "start": m.start,
                        "end": m.end,
                        "line": m.line,
                        "prefix": text[max(0, m.start - CONTEXT_CHARS) : m.start],
                        "suffix": text[m.end : m.end + CONTEXT_CHARS],
                    }
                )
    rows.sort(key=lambda r: (r["record_id"], r["seq"]))
    order = ["id", "record_kind", "record_id", "seq", "source", "quote", "exact"]
    order += ["start", "end", "line", "prefix", "suffix"]
    columns: dict[str, type] = {n: int if n in ("seq", "start", "end", "line") else str for n in order}
    return rows, "id", [("source", "sources", "id")], columns
