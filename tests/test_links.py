"""The tables the build makes from several files' records: whom each quote names (mentions),
which places lie within which (places_within), the dates the records imply (inferred_dates)
and every name folded for search (site_names). Expectations come from the built database."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from toolkit.build.mentions import NameFinder
from toolkit.core.searchfold import search_key
from toolkit.core.text import fold_text
from toolkit.publish.metadata import ensure_database

from .conftest import ROOT


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    path, _ = ensure_database(ROOT, tmp_path_factory.mktemp("links") / "factbase.db")
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


def _found(finder: NameFinder, text: str) -> list[tuple[str, str]]:
    return [(m.id, m.written) for m in finder.find(text)]


def test_the_longest_name_wins_and_words_are_whole() -> None:
    finder = NameFinder(
        [
            ("Nhật Bản", "place", "japan"),
            ("Đại sứ quán Nhật Bản", "organization", "embassy"),
            ("JICA", "organization", "jica"),
            ("tổ chức JICA", "organization", "jica"),
            ("An", "person", "an"),
        ]
    )
    text = "Đại sứ quán  Nhật Bản và tổ chức JICA giúp Nhật Bản; Anh An đến."
    assert _found(finder, text) == [
        ("embassy", "Đại sứ quán Nhật Bản"),  # not also Japan; white space folded as the validator does
        ("jica", "tổ chức JICA"),
        ("japan", "Nhật Bản"),
        ("an", "An"),  # `Anh` is another word
    ]
    assert _found(finder, "JICAX và nhật bản") == []  # whole words, as written (case kept)


def _spellings(db: sqlite3.Connection) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for table in ("persons", "organizations", "places"):
        for r in db.execute(f"select id, name, name_en, aliases from {table}"):
            out[r["id"]] = [fold_text(n) for n in {r["name"], r["name_en"], *json.loads(r["aliases"])} if n]
    return out


def test_every_name_a_quote_writes_is_a_mention(db: sqlite3.Connection) -> None:
    """Wherever a quote writes an entity's name, alias or English name as whole words, and no
    longer name covers that place, the record names the entity."""
    spellings = _spellings(db)
    mentions = {(r[0], r[1], r[2]) for r in db.execute("select record_kind, record_id, entity from mentions")}
    checked = 0
    for kind, record_id, quote in db.execute("select record_kind, record_id, quote from evidence"):
        text = fold_text(quote)
        spans = [
            (m.start(), m.end(), entity)
            for entity, names in spellings.items()
            for name in names
            for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)
        ]
        for a, b, entity in spans:
            if any(x <= a and b <= y and (y - x) > (b - a) for x, y, _ in spans):
                continue  # inside a longer name
            assert (kind, record_id, entity) in mentions, (record_id, entity, text[a:b])
            checked += 1
    assert checked > 100
    for kind, record_id, entity, written in db.execute(
        "select record_kind, record_id, entity, written from mentions"
    ):
        quotes = [fold_text(q) for (q,) in db.execute(
            "select quote from evidence where record_kind = ? and record_id = ?", (kind, record_id)
        )]  # fmt: skip
        assert any(written in q for q in quotes) and written in spellings[entity]


def test_places_within_hold_every_ancestor(db: sqlite3.Connection) -> None:
    parents = dict(db.execute("select id, parent from places").fetchall())
    for place in parents:
        chain, at = [], place
        while at is not None:
            chain.append(at)
            at = parents[at]
        found = db.execute("select within, depth from places_within where place = ? order by depth", (place,))
        assert [(w, d) for w, d in found] == [(w, d) for d, w in enumerate(chain)]


def test_statements_take_their_events_dates(db: sqlite3.Connection) -> None:
    """A statement without a date of its own takes its event's date, or the dates of the first
    dated event above it; events without a date inside a dated one lie within its dates."""
    events = {r["id"]: (r["date"], r["parent"]) for r in db.execute("select id, date, parent from events")}

    def dated_above(event: str) -> str | None:
        at = events[event][1]
        while at is not None:
            if events[at][0]:
                return at
            at = events[at][1]
        return None

    inferred = {
        (r["record_kind"], r["record_id"], r["relation"]): r
        for r in db.execute("select * from inferred_dates")
    }
    for statement, date, event in db.execute("select id, date, event from statements"):
        if date or event is None:
            continue
        source = event if events[event][0] else dated_above(event)
        if source is None:
            continue
        relation = "event" if source == event else "during"
        row = inferred[("statement", statement, relation)]
        assert (row["date"], row["from_id"]) == (events[source][0], source)
    for event, (date, _) in events.items():
        above = dated_above(event)
        if not date and above:
            assert inferred[("event", event, "during")]["date"] == events[above][0]


def test_planned_and_undated_items_are_so_as_of_their_page(db: sqlite3.Connection) -> None:
    wanted = [
        *(("event", r[0]) for r in db.execute("select id from events where status = 'planned'")),
        *(("claim", r[0]) for r in db.execute(
            "select id from claims where modality is not null "
            "or coalesce(point_in_time, period_start, period_end) is null"
        )),
    ]  # fmt: skip
    assert wanted
    for kind, record_id in wanted:
        row = db.execute(
            "select d.date, s.published from inferred_dates d join sources s on s.id = d.from_id "
            "where d.record_kind = ? and d.record_id = ? and d.relation = 'as_of'",
            (kind, record_id),
        ).fetchone()
        assert row is not None, record_id
        assert row[0] == (row[1][:10] if "T" in row[1] else row[1])


def test_site_names_hold_every_spelling(db: sqlite3.Connection) -> None:
    keys = {(r[0], r[1], r[2]) for r in db.execute("select name_key, kind, record_id from site_names")}
    for kind, table in (("person", "persons"), ("organization", "organizations"), ("place", "places")):
        for r in db.execute(f"select id, name, name_en, aliases from {table}"):
            for name in (r["name"], r["name_en"], *json.loads(r["aliases"])):
                if name:
                    assert (search_key(name), kind, r["id"]) in keys


def test_the_links_are_rebuilt_identically(db: sqlite3.Connection, tmp_path: Path) -> None:
    other, _ = ensure_database(ROOT, tmp_path / "again.db")
    again = sqlite3.connect(other)
    for table in ("mentions", "places_within", "inferred_dates", "site_names"):
        ours = [tuple(r) for r in db.execute(f"select * from {table}")]
        assert ours and ours == list(again.execute(f"select * from {table}"))
    again.close()
