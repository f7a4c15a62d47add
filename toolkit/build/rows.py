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
from decimal import Decimal
from functools import lru_cache
from typing import Any

from toolkit.build.tables import RECORD_TABLES, TABLES
from toolkit.build.views import SOURCE_LINES
from toolkit.core import dates
from toolkit.core.searchfold import search_key
from toolkit.core.text import decimal_text
from toolkit.records.models import (
    ENTITY_KINDS,
    EVIDENCED_KINDS,
    DateValue,
    EntityValue,
    Quantity,
    TextValue,
    singular,
)
from toolkit.validate.context import Context
from toolkit.validate.rule import Entry

CONTEXT_CHARS = 40
Row = tuple[Any, ...]
Rows = dict[str, list[Row]]
# Lines of each source text, for the reader's site (see toolkit.build.reader): made from the same
# records, created after the records' tables.
LINES = SOURCE_LINES.name
_T = TABLES


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
        yield (
            "entities",
            _T["entities"].row(
                id=r.id, kind=singular(kind), name=r.name, name_en=r.name_en, search_key=_key(*names)
            ),
        )
    if kind == "sources":
        yield from _source(ctx, r)
    elif kind == "properties":
        fields: tuple[str, ...] = ("id", "label_en", "value_type", "unit", "description")
        yield (
            kind,
            _T[kind].row(
                **{f: getattr(r, f) for f in fields},
                label_vi=r.own_label,
                nouns=json.dumps(r.nouns, ensure_ascii=False) if r.nouns else None,
            ),
        )
    elif kind in ("places", "organizations", "persons"):
        yield kind, _entity(kind, r)
    elif kind == "positions":
        fields = ("id", "person", "organization", "title", "title_en", "as_of", "status", "since", "until")
        yield kind, _T[kind].row(**{f: getattr(r, f) for f in fields}, search_key=_key(r.title, r.title_en))
    elif kind == "events":
        yield from _event(r)
    elif kind == "claims":
        yield kind, _claim(r)
    elif kind == "statements":
        fields = ("id", "speaker", "speaker_organization", "position", "event", "date", "verb", "text_en")
        yield (
            kind,
            _T[kind].row(
                **{f: getattr(r, f) for f in fields},
                topics=json.dumps(r.topics, ensure_ascii=False),
                search_key=_key(r.verb, r.text_en, *(ev.quote for ev in r.evidence)),
            ),
        )
    if kind in EVIDENCED_KINDS:
        yield from _evidence(ctx, display, e)


def _entity(kind: str, r: Any) -> Row:
    """A place, organization or person: names, aliases (a JSON list) and what only its kind has."""
    own = {"places": ("type", "parent"), "organizations": ("type", "parent", "country")}.get(kind, ())
    return _T[kind].row(
        id=r.id,
        name=r.name,
        name_en=r.name_en,
        aliases=json.dumps(r.aliases, ensure_ascii=False),
        description_en=r.description_en,
        search_key=_key(r.name, r.name_en, *r.aliases),
        **{f: getattr(r, f) for f in own},
    )


def _event(r: Any) -> Iterator[tuple[str, Row]]:
    start, end = _span_bounds(r.date)
    fields = ("id", "type", "name", "name_en", "date", "status", "place", "parent", "description_en")
    yield (
        "events",
        _T["events"].row(
            **{f: getattr(r, f) for f in fields},
            date_start=start,
            date_end=end,
            search_key=_key(r.name, r.name_en),
        ),
    )
    for role in ("organizers", "chairs", "participants"):
        for ref in sorted(set(getattr(r, role))):
            yield f"event_{role}", _T[f"event_{role}"].row(event=r.id, entity=ref)


def _source(ctx: Context, s: Any) -> Iterator[tuple[str, Row]]:
    fields = ("id", "file", "sha256", "title", "title_en", "publisher", "url", "published")
    published = dates.parse_published(s.published)  # a day, or the window the text supports
    yield (
        "sources",
        _T["sources"].row(
            **{f: getattr(s, f) for f in fields},
            published_quote=s.published_quote,
            published_note=s.published_note,
            language=s.language or ctx.project.settings.dataset.language,
            body_start_line=s.body.start_line,
            body_end_line=s.body.end_line,
            published_start=published.first.isoformat(),
            published_end=published.last.isoformat(),
            publisher_named=int(s.publisher_named),
        ),
    )
    for i, r in enumerate(s.reviews):
        checked = json.dumps(r.checked, ensure_ascii=False)
        yield (
            "reviews",
            _T["reviews"].row(
                source=s.id, by=r.by, date=r.date, checked=checked, seq=i, corrections=r.corrections
            ),
        )
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
        yield (
            LINES,
            _T[LINES].row(
                source=s.id,
                line=number,
                start=start,
                text=line.rstrip("\r"),
                part=part,
                note=reasons.get(number),
            ),
        )


def _claim(c: Any) -> Row:
    v = c.value
    values: dict[str, Any] = dict.fromkeys(_VALUE_COLUMNS)
    if isinstance(v, Quantity):
        values.update(
            value_type="quantity",
            amount=_number(v.amount),
            amount_exact=_exact(v.amount),
            lower=_number(v.lower),
            upper=_number(v.upper),
            **{f: getattr(v, f) for f in ("unit", "comparator", "original", "statistic")},
        )
    elif isinstance(v, DateValue):
        values.update(value_type="date", value_date=v.date, original=v.original)
    elif isinstance(v, EntityValue):
        values.update(value_type="entity", value_entity=v.entity)
    elif isinstance(v, TextValue):
        values.update(value_type="text", value_text=v.text, value_text_en=v.text_en)
    fields = ("id", "subject", "property", "point_in_time", "statement_en", "rank", "rank_reason")
    return _T["claims"].row(
        **values,
        **{f: getattr(c, f) for f in (*fields, "modality", "according_to")},
        period_start=c.period.start if c.period else None,
        period_end=c.period.end if c.period else None,
        search_key=_key(c.statement_en, getattr(v, "original", None), *(ev.quote for ev in c.evidence)),
    )


# The claim's columns its value fills, whichever kind of value it is.
_VALUE_COLUMNS = (
    *("value_type", "amount", "amount_exact", "unit", "comparator", "lower", "upper", "original"),
    *("statistic", "value_date", "value_entity", "value_text", "value_text_en"),
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
            _T["evidence"].row(
                id=f"{r.id}#{i}",
                record_kind=singular(e.kind),
                record_id=r.id,
                seq=i,
                source=ev.source,
                quote=ev.quote,
                exact=text[m.start : m.end],
                start=m.start,
                end=m.end,
                line=m.line,
                prefix=text[max(0, m.start - CONTEXT_CHARS) : m.start],
                suffix=text[m.end : m.end + CONTEXT_CHARS],
                verb=ev.verb,
                according_to=ev.according_to,
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
        for name, spec in [*RECORD_TABLES.items(), (LINES, TABLES[LINES])]:
            columns = ", ".join(f"[{c}]" for c in spec.names)
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
        spec = TABLES[name]
        columns = list(spec.names)
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


@lru_cache(maxsize=1 << 14)
def _folded_label(label: str) -> str:
    return search_key(label)


def _lead(label: str | None, rest: str | None, first: int) -> str:
    """A search key with the folded name of the record it leads (or ends) with."""
    lead = _folded_label(label) if label else None
    parts = (lead, rest) if first else (rest, lead)
    return " | ".join(p for p in parts if p is not None)
