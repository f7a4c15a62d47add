"""The rows of each table, built from one record file's validated records at a time.

A file's rows are made where the file is checked (in a worker process when the build runs
on several cores) and staged in the database at once, so the build holds neither every
record nor every row. What needs other files is done as the staged rows are copied into
their tables: the order of the rows (by id) and the name of the entity that leads some
search keys (a claim's subject, a post's holder, an event's place)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from toolkit.core import dates
from toolkit.records.models import (
    ENTITY_KINDS,
    EVIDENCED_KINDS,
    DateValue,
    EntityValue,
    Quantity,
    TextValue,
    singular,
)
from toolkit.validate.rule import Entry
from toolkit.validate.context import Context
from toolkit.core.text import decimal_text, search_key

CONTEXT_CHARS = 40
Row = tuple[Any, ...]
Rows = dict[str, list[Row]]


@dataclass(frozen=True)
class TableSpec:
    """One table: its columns (in order, with types), keys, row order and, where its search
    key starts or ends with another record's name, which column names that record."""

    columns: dict[str, type]
    pk: str | tuple[str, ...]
    fks: tuple[tuple[str, str, str], ...] = ()
    order: tuple[str, ...] = ("id",)
    label: str | None = None  # the column holding the id whose name joins the search key
    label_first: bool = True


def _str(*names: str) -> dict[str, type]:
    return dict.fromkeys(names, str)


_NAMED = _str("id", "name", "name_en", "aliases", "description_en", "search_key")
_CLAIM = _str(
    *["id", "subject", "property", "value_type", "amount", "amount_exact", "unit", "comparator"],
    *["lower", "upper", "original", "statistic", "value_date", "value_entity", "value_text"],
    *["value_text_en", "point_in_time", "period_start", "period_end", "statement_en", "rank"],
    *["rank_reason", "modality", "according_to", "search_key"],
) | {"amount": float, "lower": float, "upper": float}
_EVIDENCE = _str(
    "id", "record_kind", "record_id", "seq", "source", "quote", "exact", "start", "end", "line"
) | {
    "seq": int,
    "start": int,
    "end": int,
    "line": int,
    "prefix": str,
    "suffix": str,
}
_ROLE = TableSpec(
    _str("event", "entity"),
    ("event", "entity"),
    (("event", "events", "id"), ("entity", "entities", "id")),
    ("event", "entity"),
)

# In the order they are created: a table exists before keys point at it.
TABLES: dict[str, TableSpec] = {
    "sources": TableSpec(
        _str("id", "file", "sha256", "title", "title_en", "publisher", "url", "published")
        | _str("published_quote", "published_note", "language")
        | {"body_start_line": int, "body_end_line": int},
        "id",
    ),
    "reviews": TableSpec(
        _str("source", "by", "date", "checked") | {"seq": int, "corrections": str},
        ("source", "seq"),
        (("source", "sources", "id"),),
        ("source", "seq"),
    ),
    "properties": TableSpec(_str("id", "label_vi", "label_en", "value_type", "unit", "description"), "id"),
    # One table of everything a claim can be about, so `subject` has a real foreign key.
    "entities": TableSpec(_str("id", "kind", "name", "name_en", "search_key"), "id"),
    "places": TableSpec(_NAMED | _str("type", "parent"), "id", (("parent", "places", "id"),)),
    "organizations": TableSpec(
        _NAMED | _str("type", "parent", "country"),
        "id",
        (("parent", "organizations", "id"), ("country", "places", "id")),
    ),
    "persons": TableSpec(_NAMED, "id"),
    "positions": TableSpec(
        _str("id", "person", "organization", "title", "title_en", "as_of", "status", "until", "search_key"),
        "id",
        (("person", "persons", "id"), ("organization", "organizations", "id")),
        label="person",
    ),
    "events": TableSpec(
        _str("id", "type", "name", "name_en", "date", "date_start", "date_end", "status")
        | _str("place", "parent", "description_en", "search_key"),
        "id",
        (("place", "places", "id"), ("parent", "events", "id")),
        label="place",
        label_first=False,
    ),
    "event_organizers": _ROLE,
    "event_participants": _ROLE,
    "claims": TableSpec(
        _CLAIM,
        "id",
        (
            ("subject", "entities", "id"),
            ("property", "properties", "id"),
            ("value_entity", "entities", "id"),
            ("according_to", "entities", "id"),
        ),
        label="subject",
    ),
    "statements": TableSpec(
        _str("id", "speaker", "speaker_organization", "position", "event", "date", "verb", "text_en")
        | _str("topics", "search_key"),
        "id",
        (
            ("speaker", "persons", "id"),
            ("speaker_organization", "organizations", "id"),
            ("position", "positions", "id"),
            ("event", "events", "id"),
        ),
        label="speaker",
    ),
    "evidence": TableSpec(_EVIDENCE, "id", (("source", "sources", "id"),), ("record_id", "seq")),
}
# Lines of each source text, for the reader's site (see toolkit.build.reader): made from the same
# records, created after the records' tables.
LINES = "source_lines"


def _key(*texts: str | None) -> str | None:
    """Folded text for diacritic-free search (see text.search_key); None when there is none,
    so `finish` can join the label's part without a stray separator."""
    parts = [search_key(t) for t in texts if t]
    return " | ".join(parts) if parts else None


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


# ------------------------------------------------------------------ one file


def file_rows(ctx: Context, display: str, entries: Iterable[Entry]) -> Rows:
    """The rows a file's valid records give, table by table (search keys still without the
    names of records in other files)."""
    out: Rows = {}
    for e in entries:
        r = e.record
        if r is None:
            continue
        for table, row in _record_rows(ctx, display, e):
            out.setdefault(table, []).append(row)
    return out


def _record_rows(ctx: Context, display: str, e: Entry) -> Iterator[tuple[str, Row]]:
    r, kind = e.record, e.kind
    if kind in ENTITY_KINDS:
        names = (r.name, r.name_en, *getattr(r, "aliases", []))
        yield "entities", (r.id, singular(kind), r.name, r.name_en, _key(*names))
    if kind == "sources":
        yield from _source(ctx, r)
    elif kind == "properties":
        yield kind, (r.id, r.label_vi, r.label_en, r.value_type, r.unit, r.description)
    elif kind in ("places", "organizations", "persons"):
        row: Row = (r.id, r.name, r.name_en, json.dumps(r.aliases, ensure_ascii=False), r.description_en)
        row += (_key(r.name, r.name_en, *r.aliases),)
        if kind != "persons":
            row += (r.type, r.parent)
        if kind == "organizations":
            row += (r.country,)
        yield kind, row
    elif kind == "positions":
        row = (r.id, r.person, r.organization, r.title, r.title_en, r.as_of, r.status, r.until)
        yield kind, (*row, _key(r.title, r.title_en))
    elif kind == "events":
        start, end = _span_bounds(r.date)
        row = (r.id, r.type, r.name, r.name_en, r.date, start, end, r.status, r.place, r.parent)
        yield kind, (*row, r.description_en, _key(r.name, r.name_en))
        for role in ("organizers", "participants"):
            for ref in sorted(set(getattr(r, role))):
                yield f"event_{role}", (r.id, ref)
    elif kind == "claims":
        yield kind, _claim(r)
    elif kind == "statements":
        topics = json.dumps(r.topics, ensure_ascii=False)
        key = _key(r.verb, r.text_en, *(ev.quote for ev in r.evidence))
        row = (r.id, r.speaker, r.speaker_organization, r.position, r.event, r.date, r.verb, r.text_en)
        yield kind, (*row, topics, key)
    if kind in EVIDENCED_KINDS:
        yield from _evidence(ctx, display, e)


def _source(ctx: Context, s: Any) -> Iterator[tuple[str, Row]]:
    row = (s.id, s.file, s.sha256, s.title, s.title_en, s.publisher, s.url, s.published)
    yield (
        "sources",
        (*row, s.published_quote, s.published_note, s.language, s.body.start_line, s.body.end_line),
    )
    for i, r in enumerate(s.reviews):
        yield "reviews", (s.id, r.by, r.date, json.dumps(r.checked, ensure_ascii=False), i, r.corrections)
    text = ctx.text(s.id)
    if text is None:
        return
    body = s.body.lines()
    reasons = {n: x.reason for x in s.body.exclude for n in range(x.start_line, x.end_line + 1)}
    for number, start, line in text.numbered_lines():
        if number in body:
            part = "body"
        elif s.body.start_line <= number <= s.body.end_line:
            part = "excluded"
        else:
            part = "furniture"
        yield LINES, (s.id, number, start, line.rstrip("\r"), part, reasons.get(number))


def _claim(c: Any) -> Row:
    v = c.value
    amount = exact = unit = comparator = lower = upper = original = statistic = None
    value_date = value_entity = value_text = value_text_en = None
    value_type = "quantity"
    if isinstance(v, Quantity):
        amount, exact, unit, comparator = _number(v.amount), _exact(v.amount), v.unit, v.comparator
        lower, upper, original, statistic = _number(v.lower), _number(v.upper), v.original, v.statistic
    elif isinstance(v, DateValue):
        value_type, value_date, original = "date", v.date, v.original
    elif isinstance(v, EntityValue):
        value_type, value_entity = "entity", v.entity
    elif isinstance(v, TextValue):
        value_type, value_text, value_text_en = "text", v.text, v.text_en
    key = _key(c.statement_en, getattr(v, "original", None), *(ev.quote for ev in c.evidence))
    return (
        *(c.id, c.subject, c.property, value_type, amount, exact, unit, comparator, lower, upper),
        *(original, statistic, value_date, value_entity, value_text, value_text_en, c.point_in_time),
        *(c.period.start if c.period else None, c.period.end if c.period else None, c.statement_en),
        *(c.rank, c.rank_reason, c.modality, c.according_to, key),
    )


def _evidence(ctx: Context, display: str, e: Entry) -> Iterator[tuple[str, Row]]:
    r = e.record
    for i, ev in enumerate(r.evidence):
        anchor, source = ctx.anchors.get((display, e.kind, e.index, i)), ctx.text(ev.source)
        if anchor is None or source is None:
            continue  # not found: the build refuses the records anyway
        m, text = anchor.match, source.text
        yield (
            "evidence",
            (
                *(f"{r.id}#{i}", singular(e.kind), r.id, i, ev.source, ev.quote, text[m.start : m.end]),
                *(m.start, m.end, m.line, text[max(0, m.start - CONTEXT_CHARS) : m.start]),
                text[m.end : m.end + CONTEXT_CHARS],
            ),
        )


# ------------------------------------------------------------------ every file


class Staging:
    """Rows as the files' passes hand them over, kept in temporary tables of the database
    being built (never all in memory), then copied into their tables in order."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.placed: dict[str, list[tuple[str, int, int]]] = {}  # file -> (table, first, last rowid)
        self.hashes: dict[str, int] = {}  # file -> sum of its rows' hashes
        conn.create_function("fb_lead", 3, _lead, deterministic=True)
        for name, spec in [*TABLES.items(), (LINES, LINES_SPEC)]:
            columns = ", ".join(f"[{c}]" for c in spec.columns)
            conn.execute(f"create temp table [stage_{name}] ({columns})")

    def make(self, ctx: Context, display: str, entries: list[Entry]) -> tuple[Rows, int]:
        """One file's rows and their hash (called in the worker that made the file's pass)."""
        rows = file_rows(ctx, display, entries)
        return rows, rows_hash(rows)

    def add(self, display: str, rows: Rows, hashed: int | None = None) -> None:
        """Keep one file's rows (and the sum of their hashes, when the pass made it)."""
        placed = self.placed.setdefault(display, [])
        for name, table in rows.items():
            last = self._last(name)
            marks = ", ".join("?" * len(table[0]))
            self.conn.executemany(f"insert into temp.[stage_{name}] values ({marks})", table)
            placed.append((name, last + 1, self._last(name)))
        self.hashes[display] = rows_hash(rows) if hashed is None else hashed

    def _last(self, name: str) -> int:
        found = self.conn.execute(f"select max(rowid) from temp.[stage_{name}]").fetchone()[0]
        return int(found or 0)

    def drop(self, display: str) -> None:
        """Forget one file's rows (they are made again)."""
        for name, first, last in self.placed.pop(display, []):
            self.conn.execute(f"delete from temp.[stage_{name}] where rowid between ? and ?", (first, last))
        self.hashes.pop(display, None)

    def content_hash(self) -> str:
        """A hash of every row, whatever file held it and in whatever order they came."""
        return format(sum(self.hashes.values()) % (1 << 256), "064x")

    def copy(self, name: str) -> int:
        """Fill table `name` (created already) from its staged rows, in order, search keys
        completed with the names they lead with; the number of rows."""
        spec = LINES_SPEC if name == LINES else TABLES[name]
        columns = list(spec.columns)
        chosen = [f"s.[{c}]" for c in columns]
        join = ""
        if spec.label is not None:
            chosen[columns.index("search_key")] = f"fb_lead(l.name, s.search_key, {int(spec.label_first)})"
            join = f"left join main.entities l on l.id = s.[{spec.label}]"
        order = ", ".join(f"s.[{c}]" for c in spec.order)
        cursor = self.conn.execute(
            f"insert into main.[{name}] ({', '.join(f'[{c}]' for c in columns)}) "
            f"select {', '.join(chosen)} from temp.[stage_{name}] s {join} order by {order}"
        )
        self.conn.execute(f"drop table temp.[stage_{name}]")
        return cursor.rowcount


def rows_hash(rows: Rows) -> int:
    """The sum of the rows' hashes (of their repr, which equal values share): a hash of the
    rows as a set, so files can be hashed apart, in worker processes, and added up."""
    total = 0
    for name, table in rows.items():
        for row in table:
            total += int.from_bytes(hashlib.sha256(repr((name, row)).encode()).digest())
    return total


LINES_SPEC = TableSpec(
    {"source": str, "line": int, "start": int, "text": str, "part": str, "note": str},
    ("source", "line"),
    order=("source", "line"),
)


@lru_cache(maxsize=1 << 14)
def _folded_label(label: str) -> str:
    return search_key(label)


def _lead(label: str | None, rest: str | None, first: int) -> str:
    """A search key with the folded name of the record it leads (or ends) with."""
    lead = _folded_label(label) if label else None
    parts = (lead, rest) if first else (rest, lead)
    return " | ".join(p for p in parts if p is not None)
