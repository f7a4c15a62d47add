"""The tables made from what several record files hold, once the records' tables exist: whom each
quote names, which places lie within which, the dates the records imply, and every name folded
for search. Each is declared in toolkit/build/views.py and its rows are made by column name."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

import sqlite_utils

from toolkit.build.mentions import NameFinder
from toolkit.build.table import Table
from toolkit.build.views import INFERRED_DATES, MENTIONS, PLACES_WITHIN, SITE_NAMES
from toolkit.core import dates
from toolkit.core.aside import Aside, can_fork
from toolkit.core.searchfold import search_key

Row = tuple[Any, ...]
# The entities a quote can name, with the table each is read from.
NAMED = (("person", "persons"), ("organization", "organizations"), ("place", "places"))


def find_mentions(conn: sqlite3.Connection, fork: bool) -> Aside[list[Row]]:
    """The mentions table's rows, in order, found from the records' tables as they are now:
    with `fork`, in another process while this one writes the rest (the quotes are read here,
    the names found there)."""
    if not (fork and can_fork()):  # found when asked, reading the quotes then (never all held)
        return Aside(lambda: _found(_names(conn), _quotes(conn)), False)
    names, quotes = list(_names(conn)), _quotes(conn).fetchall()
    # Wanted before the cross-file rules' verdict (which the build asks for last): less nice.
    return Aside(lambda: _found(names, quotes), niceness=4)


def _quotes(conn: sqlite3.Connection) -> sqlite3.Cursor:
    return conn.execute(
        "select id, record_kind, record_id, quote from evidence order by record_kind, record_id, seq"
    )


def _found(names: Iterable[tuple[str, str, str]], quotes: Iterable[Row]) -> list[Row]:
    return sorted(mention_rows(names, quotes), key=_order(MENTIONS))


def write_links(db: sqlite_utils.Database, mentions: Aside[list[Row]]) -> None:
    """Create and fill the link tables (after the records' tables, before the views)."""
    conn = db.conn
    made: list[tuple[Table, Iterable[Row]]] = [
        (MENTIONS, mentions.result()),
        (PLACES_WITHIN, within_rows(conn)),
        (INFERRED_DATES, inferred_rows(conn)),
        (SITE_NAMES, name_rows(conn)),
    ]
    with conn:
        for spec, rows in made:
            sqlite_utils.db.Table(db, spec.name).create(spec.types, pk=spec.pk, foreign_keys=list(spec.fks))
            marks = ", ".join("?" * len(spec.names))
            columns = ", ".join(f"[{c}]" for c in spec.names)
            ordered = rows if spec is MENTIONS else sorted(rows, key=_order(spec))  # (found in order)
            conn.executemany(f"insert into [{spec.name}] ({columns}) values ({marks})", ordered)
    for spec, column in ((MENTIONS, "entity"), (PLACES_WITHIN, "within")):
        db.conn.execute(f"create index [{spec.name}_{column}] on [{spec.name}] ([{column}])")


def _order(spec: Table) -> Any:
    """A row's sort key: the table's declared order, None before any text."""
    at = [spec.names.index(c) for c in spec.order]
    return lambda row: tuple((row[i] is not None, row[i] if row[i] is not None else 0) for i in at)


def _names(conn: sqlite3.Connection) -> Iterator[tuple[str, str, str]]:
    """(name, kind, id) for each name, English name and alias of every person, organization, place."""
    for kind, table in NAMED:
        for entity_id, name, name_en, aliases in conn.execute(
            f"select id, name, name_en, aliases from [{table}]"
        ):
            for spelling in {name, name_en, *json.loads(aliases or "[]")}:
                if spelling:
                    yield spelling, kind, entity_id


def mention_rows(names: Iterable[tuple[str, str, str]], quotes: Iterable[Row]) -> Iterator[Row]:
    """One row per record and entity its quotes name, with the first spelling and evidence
    (`quotes`: evidence id, record kind and id, quote, in the records' order)."""
    finder = NameFinder(names)
    seen: set[tuple[str, str, str]] = set()
    for evidence_id, kind, record_id, quote in quotes:
        for m in finder.find(quote):
            key = (kind, record_id, m.id)
            if key in seen:
                continue
            seen.add(key)
            yield MENTIONS.row(
                record_kind=kind,
                record_id=record_id,
                entity=m.id,
                entity_kind=m.kind,
                written=m.written,
                evidence_id=evidence_id,
            )


def within_rows(conn: sqlite3.Connection) -> Iterator[Row]:
    """Each place with itself and every place above it (the validator refuses parent cycles;
    a seen set guards anyway, so no build can loop)."""
    parents = dict(conn.execute("select id, parent from places").fetchall())
    for place in parents:
        at: str | None = place
        depth = 0
        seen: set[str] = set()
        while at is not None and at not in seen and at in parents:
            seen.add(at)
            yield PLACES_WITHIN.row(place=place, within=at, depth=depth)
            at, depth = parents[at], depth + 1


def _dated_ancestor(events: dict[str, tuple[str | None, str | None]], event: str) -> str | None:
    """The nearest event above `event` (not itself) that has a date."""
    seen = {event}
    at = events[event][1]
    while at is not None and at in events and at not in seen:
        if events[at][0]:
            return at
        seen.add(at)
        at = events[at][1]
    return None


def _dated(kind: str, record_id: str, relation: str, text: str, source: tuple[str, str]) -> Row:
    span = dates.parse_published(text)
    return INFERRED_DATES.row(
        record_kind=kind,
        record_id=record_id,
        relation=relation,
        date=text,
        date_start=span.first.isoformat(),
        date_end=span.last.isoformat(),
        from_kind=source[0],
        from_id=source[1],
    )


def inferred_rows(conn: sqlite3.Connection) -> Iterator[Row]:
    """Statements at dated events, undated parts of dated events, and what is so as of a
    source's publication: planned events and claims, and records dated no other way."""
    events = {r[0]: (r[1], r[2]) for r in conn.execute("select id, date, parent from events")}
    as_of = _publications(conn)
    for statement, said, event in conn.execute("select id, date, event from statements"):
        if said:
            continue
        if event in events and events[event][0]:
            yield _dated("statement", statement, "event", str(events[event][0]), ("event", event))
        elif event in events and (above := _dated_ancestor(events, event)):
            yield _dated("statement", statement, "during", str(events[above][0]), ("event", above))
        elif ("statement", statement) in as_of:
            yield _dated("statement", statement, "as_of", *as_of["statement", statement])
    for event, status in conn.execute("select id, status from events"):
        above = None if events[event][0] else _dated_ancestor(events, event)
        if above is not None:
            yield _dated("event", event, "during", str(events[above][0]), ("event", above))
        if (status == "planned" or (not events[event][0] and above is None)) and ("event", event) in as_of:
            yield _dated("event", event, "as_of", *as_of["event", event])
    for (claim,) in conn.execute(
        "select id from claims where modality is not null "
        "or coalesce(point_in_time, period_start, period_end) is null"
    ):
        if ("claim", claim) in as_of:
            yield _dated("claim", claim, "as_of", *as_of["claim", claim])


def _publications(conn: sqlite3.Connection) -> dict[tuple[str, str], tuple[str, tuple[str, str]]]:
    """Each statement's, event's and claim's earliest source: its publication date as records
    write dates (the day of a date-time, or the window) and the source."""
    out: dict[tuple[str, str], tuple[str, tuple[str, str]]] = {}
    for kind, record_id, source, published in conn.execute(
        "select e.record_kind, e.record_id, s.id, s.published from evidence e "
        "join sources s on s.id = e.source "
        "left join claims c on e.record_kind = 'claim' and c.id = e.record_id "
        "where e.record_kind in ('statement', 'event') or c.modality is not null "
        "or (c.id is not null and coalesce(c.point_in_time, c.period_start, c.period_end) is null) "
        "order by e.record_kind, e.record_id, s.published_start, s.id"
    ):
        if (kind, record_id) not in out:
            day = published[:10] if "T" in published else published
            out[(kind, record_id)] = (day, ("source", source))
    return out


def name_rows(conn: sqlite3.Connection) -> Iterator[Row]:
    """Every folded name of each record a reader searches by name."""
    queries = [
        *((kind, f"select id, name, name_en, aliases from [{table}]") for kind, table in NAMED),
        ("event", "select id, name, name_en, '[]' from events"),
        ("source", "select id, title, title_en, '[]' from sources"),
    ]
    for kind, sql in queries:
        for record_id, name, name_en, aliases in conn.execute(sql):
            keys = {search_key(n) for n in (name, name_en, *json.loads(aliases or "[]")) if n}
            for key in sorted(k for k in keys if k):
                yield SITE_NAMES.row(name_key=key, kind=kind, record_id=record_id)
