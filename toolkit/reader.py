"""Tables the reader's site needs beside the records: every source's lines (so a source page
can show the article and a fact page a quote's whole sentence, from the database alone), and
one search table over every kind with a full-text index that folds diacritics and `đ`."""

from __future__ import annotations

import sqlite3
from typing import Any

from toolkit.text import search_key
from toolkit.validate import Dataset
from toolkit.words import claim_time_words, value_words

SEARCH_TABLE = "site_search"
LINES_TABLE = "source_lines"
# bm25 weights of the search index's columns (names, then text): a name typed without
# diacritics finds the person before a common word in a quote (`dang`: Đặng before đang).
NAME_WEIGHT = 10.0
# Built for the site, not part of the dataset's exports: the search index is derived, and the
# source texts remain their publishers' (records are CC BY; the texts are not).
SITE_TABLES = (SEARCH_TABLE, LINES_TABLE)
TEXT_WEIGHT = 1.0


def _key(*texts: object) -> str:
    return " | ".join(search_key(t) for t in texts if isinstance(t, str) and t)


def _value_words(*args: Any) -> str:
    names = ("value_type", "amount_exact", "unit", "comparator", "lower", "upper", "value_date")
    row = dict(zip(names, args[:7], strict=True))
    row |= {"value_entity_name_en": args[7], "value_text": args[8], "value_text_en": args[9]}
    return value_words(row)


def register_functions(conn: sqlite3.Connection) -> None:
    """SQL functions the reader views are built with: values and times in words, folded keys."""
    conn.create_function("fb_value_words", 10, _value_words, deterministic=True)
    conn.create_function("fb_time_words", 3, claim_time_words, deterministic=True)
    conn.create_function("fb_key", -1, _key, deterministic=True)


def _source_lines(data: Dataset) -> list[tuple[str, int, int, str, str, str | None]]:
    rows = []
    for entry in sorted(data.valid("sources"), key=lambda e: e.record.id):
        src = entry.record
        text = data.texts.get(src.id)
        if text is None:
            continue
        body = src.body.lines()
        reasons = {n: r.reason for r in src.body.exclude for n in range(r.start_line, r.end_line + 1)}
        for number, start in enumerate(text.lines.starts, start=1):
            end = text.text.find("\n", start)
            line = text.text[start : end if end >= 0 else len(text.text)].rstrip("\r")
            if number in body:
                part = "body"
            elif src.body.start_line <= number <= src.body.end_line:
                part = "excluded"
            else:
                part = "furniture"
            rows.append((src.id, number, start, line, part, reasons.get(number)))
    return rows


_SEARCH_ROWS = f"""
insert into {SEARCH_TABLE} (kind, record_id, name, name_en, body, name_key, body_key)
select 'person', id, name, name_en, description_en, search_key, fb_key(description_en) from persons
union all
select 'organization', id, name, name_en, description_en, search_key, fb_key(description_en)
  from organizations
union all
select 'place', id, name, name_en, description_en, search_key, fb_key(description_en) from places
union all
select 'event', ev.id, ev.name, ev.name_en, q.quotes, fb_key(ev.name, ev.name_en),
  fb_key(ev.description_en, pl.name, pl.name_en, q.quotes)
from events ev left join places pl on pl.id = ev.place
left join (select record_id, group_concat(quote, ' … ') as quotes from evidence
  where record_kind = 'event' group by record_id) q on q.record_id = ev.id
union all
select 'position', po.id, pe.name || ', ' || po.title, coalesce(pe.name_en, pe.name) || ', ' || po.title_en,
  q.quotes, fb_key(pe.name, pe.name_en), fb_key(po.title, po.title_en, o.name, o.name_en, q.quotes)
from positions po join persons pe on pe.id = po.person
left join organizations o on o.id = po.organization
left join (select record_id, group_concat(quote, ' … ') as quotes from evidence
  where record_kind = 'position' group by record_id) q on q.record_id = po.id
union all
select 'claim', c.id, c.original, c.statement_en, q.quotes, '',
  fb_key(c.statement_en, c.original, c.value_text, c.value_text_en, q.quotes)
from claims c
left join (select record_id, group_concat(quote, ' … ') as quotes from evidence
  where record_kind = 'claim' group by record_id) q on q.record_id = c.id
union all
select 'source', id, title, title_en, publisher, fb_key(title, title_en), fb_key(publisher) from sources
"""


def write_reader_tables(conn: sqlite3.Connection, data: Dataset) -> None:
    """Create the source lines, the site-wide search table and its full-text index, and the
    full-text index of claims_flat (after the records' tables and claims_flat exist)."""
    with conn:
        conn.execute(
            f"create table [{LINES_TABLE}] (source text not null references sources(id), "
            "line integer not null, start integer not null, text text not null, part text not null, "
            "note text, primary key (source, line))"
        )
        conn.executemany(f"insert into [{LINES_TABLE}] values (?, ?, ?, ?, ?, ?)", _source_lines(data))
        conn.execute(
            f"create table [{SEARCH_TABLE}] (rowid integer primary key, kind text not null, "
            "record_id text not null, name text, name_en text, body text, name_key text, body_key text)"
        )
        conn.execute(_SEARCH_ROWS)
        conn.execute(
            f"create virtual table [{SEARCH_TABLE}_fts] using fts5(name_key, body_key, "
            f"content=[{SEARCH_TABLE}], content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')"
        )
        conn.execute(f"insert into [{SEARCH_TABLE}_fts]([{SEARCH_TABLE}_fts]) values ('rebuild')")
        conn.execute(
            "create virtual table [claims_flat_fts] using fts5(statement_en, subject_name, quote, "
            "search_key, content=[claims_flat], tokenize='unicode61 remove_diacritics 2')"
        )
        conn.execute("insert into [claims_flat_fts]([claims_flat_fts]) values ('rebuild')")
