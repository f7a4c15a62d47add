"""Tables the reader's site needs beside the records: every source's lines (so a source page
can show the article and a fact page a quote's whole sentence, from the database alone), and
one search table over every kind with a full-text index that folds diacritics and `đ`."""

from __future__ import annotations

import sqlite3

from toolkit.build.rows import LINES, Staging
from toolkit.build.tables import TABLES
from toolkit.build.views import SITE_SEARCH
from toolkit.build.words import claim_time_words, flat_value_words
from toolkit.core.searchfold import d_words, search_key

SEARCH_TABLE = SITE_SEARCH.name
LINES_TABLE = LINES
# bm25 weights of the search index's columns (names and their đ-words, then text and its
# đ-words): a name typed without diacritics finds the person before a common word in a quote
# (`dang`: Đặng before đang).
WEIGHTS = (10.0, 10.0, 1.0, 1.0)
# Built for the site, not part of the dataset's exports (see their declarations).
SITE_TABLES = tuple(name for name, table in TABLES.items() if not table.export)

TOKENIZE = "unicode61 remove_diacritics 2"


def _key(*texts: object) -> str:
    return " | ".join(search_key(t) for t in texts if isinstance(t, str) and t)


def _join(*texts: object) -> str:
    return " ".join(t for t in texts if isinstance(t, str) and t)


def register_functions(conn: sqlite3.Connection) -> None:
    """SQL functions the reader views are built with: values and times in words, folded keys."""
    conn.create_function("fb_value_words", 10, flat_value_words, deterministic=True)
    conn.create_function("fb_time_words", 3, claim_time_words, deterministic=True)
    conn.create_function("fb_key", -1, _key, deterministic=True)
    conn.create_function("fb_dkey", -1, d_words, deterministic=True)
    conn.create_function("fb_join", -1, _join, deterministic=True)


_QUOTES = """left join (select record_id, group_concat(quote, ' … ') as quotes from evidence
  where record_kind = '{kind}' group by record_id) q on q.record_id = {alias}.id"""
# One row per record: kind, id, the names shown (name in its language, name_en), the names
# searched (weighted) and the text searched (statements, descriptions, quotes). What a person
# said, and the posts they held, are found by their name too, but weigh as text: the person's
# own page ranks first.
_SEARCH_SOURCE = f"""
select 'person' as kind, id as record_id, name, name_en,
  name || ' ' || coalesce(name_en, '') || ' ' || aliases as names, description_en as body from persons
union all
select 'organization', id, name, name_en, name || ' ' || coalesce(name_en, '') || ' ' || aliases,
  coalesce(type, '') || ' ' || coalesce(description_en, '') from organizations
union all
select 'place', id, name, name_en, name || ' ' || coalesce(name_en, '') || ' ' || aliases,
  coalesce(type, '') || ' ' || coalesce(description_en, '') from places
union all
select 'event', ev.id, ev.name, ev.name_en, ev.name || ' ' || ev.name_en,
  fb_join(ev.description_en, pl.name, pl.name_en, q.quotes)
from events ev left join places pl on pl.id = ev.place {_QUOTES.format(kind="event", alias="ev")}
union all
select 'position', po.id, pe.name || ', ' || po.title, coalesce(pe.name_en, pe.name) || ', ' || po.title_en,
  '', fb_join(pe.name, pe.name_en, po.title, po.title_en, o.name, o.name_en, q.quotes)
from positions po join persons pe on pe.id = po.person
left join organizations o on o.id = po.organization {_QUOTES.format(kind="position", alias="po")}
union all
select 'claim', c.id, c.original, c.statement_en, '',
  fb_join(c.statement_en, c.original, c.value_text, c.value_text_en, q.quotes)
from claims c {_QUOTES.format(kind="claim", alias="c")}
union all
select 'statement', st.id, pe.name || ' ' || st.verb, coalesce(pe.name_en, pe.name) || ': ' || st.text_en,
  '', fb_join(pe.name, pe.name_en, st.verb, st.text_en, q.quotes)
from statements st join persons pe on pe.id = st.speaker {_QUOTES.format(kind="statement", alias="st")}
union all
select 'source', id, title, title_en, title || ' ' || coalesce(title_en, ''), publisher from sources
"""


def write_reader_tables(conn: sqlite3.Connection, stage: Staging) -> None:
    """Create the source lines, the site-wide search table and its full-text index, and the
    full-text index of claims_flat (after the records' tables and claims_flat exist).

    The indexes hold the original text (unicode61 folds most diacritics) plus, folded, only the
    words with `đ`, which no Unicode decomposition folds: far smaller than a folded copy of
    every quote. The site's index is contentless; snippets are read from the records."""
    with conn:
        conn.execute(
            f"create table [{LINES_TABLE}] (source text not null references sources(id), "
            "line integer not null, start integer not null, text text not null, part text not null, "
            "note text, primary key (source, line))"
        )
        stage.copy(LINES_TABLE)
        conn.execute(f"create temp table _search_source as {_SEARCH_SOURCE}")
        conn.execute(
            f"create table [{SEARCH_TABLE}] (rowid integer primary key, kind text not null, "
            "record_id text not null, name text, name_en text)"
        )
        conn.execute(
            f"insert into [{SEARCH_TABLE}] (rowid, kind, record_id, name, name_en) "
            "select rowid, kind, record_id, name, name_en from temp._search_source"
        )
        # A record's row, for the names a search finds whole (site_names).
        conn.execute(f"create index [{SEARCH_TABLE}_record] on [{SEARCH_TABLE}] (record_id, kind)")
        conn.execute(
            f"create virtual table [{SEARCH_TABLE}_fts] using fts5(names, names_d, body, body_d, "
            f"content='', tokenize='{TOKENIZE}')"
        )
        conn.execute(
            f"insert into [{SEARCH_TABLE}_fts] (rowid, names, names_d, body, body_d) "
            "select rowid, names, fb_dkey(names), body, fb_dkey(body) from temp._search_source"
        )
        conn.execute("drop table temp._search_source")
        conn.execute(
            "create virtual table [claims_flat_fts] using fts5(statement_en, subject_name, quote, "
            f"search_key, content=[claims_flat], tokenize='{TOKENIZE}')"
        )
        conn.execute("insert into [claims_flat_fts]([claims_flat_fts]) values ('rebuild')")
