"""One search over every kind of record: the words of a query, diacritics and `đ` folded,
matched in the site's FTS5 index; a whole name ranks first (`Japan`: the place), then names
before words in quotes (`dang` finds Đặng before the word đang), and each result gets a snippet
of its own text with the matches marked. Results come a page at a time, in the database's
order, so the pages follow on from each other."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from toolkit.build.reader import SEARCH_TABLE, WEIGHTS
from toolkit.build.views import SITE_NAMES
from toolkit.core.searchfold import search_key
from toolkit.site.pages.registry import PAGES, url_for
from toolkit.site.pages.sentences import Segment, segments

SEARCH_LIMIT = 50  # results a page
# A reader searches for a few words: 4 000 copies of one common word ran the full-text query
# past the time limit, and the reader got a 500 with the SQL. The distinct words count, and
# only the first MAX_WORDS of them.
MAX_WORDS = 16
_TOKEN = re.compile(r"\w+")


def _fold_map(text: str) -> tuple[str, list[int]]:
    """`text` folded for search character by character, with each folded character's origin."""
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(unicodedata.normalize("NFC", text)):
        folded = search_key(ch) if not ch.isspace() else " "
        out.append(folded)
        origin.extend([i] * len(folded))
    return "".join(out), origin


def query_words(q: str) -> tuple[list[str], bool]:
    """The distinct words of a query, folded for search, at most MAX_WORDS of them; True
    when some were left out."""
    words = list(dict.fromkeys(_TOKEN.findall(search_key(q))))
    return words[:MAX_WORDS], len(words) > MAX_WORDS


def snippet(text: str | None, tokens: list[str], width: int = 220) -> list[Segment]:
    """A window of `text` around the first match, cut at spaces, with every match marked."""
    if not text:
        return []
    text = unicodedata.normalize("NFC", text)
    folded, origin = _fold_map(text)
    hits: list[tuple[int, int]] = []
    for token in tokens:
        for m in re.finditer(rf"(?<!\w){re.escape(token)}\w*", folded):
            hits.append((origin[m.start()], origin[m.end() - 1] + 1))
    first = min((h[0] for h in hits), default=0)
    start = max(0, first - width // 3)
    start = text.rfind(" ", 0, start) + 1 if start else 0
    end = min(len(text), start + width)
    if end < len(text):
        end = max(text.rfind(" ", start, end), first + 1)
    piece = text[start:end]
    marked = segments(piece, start, [(s, e, None, None) for s, e in hits])
    if start:
        marked.insert(0, Segment("…"))
    if end < len(text):
        marked.append(Segment("…"))
    return marked


async def _bodies(db: Any, rows: list[Any]) -> dict[tuple[str, str], str]:
    """The text a result's snippet is cut from (its quotes or description), read for the
    results only: the search index keeps no copy. Each page kind says how (its search_body)."""
    out: dict[tuple[str, str], str] = {}
    for kind, sql in PAGES.search_bodies().items():
        ids = [r["record_id"] for r in rows if r["kind"] == kind]
        if ids:
            query = sql.format(ids=", ".join("?" * len(ids)))
            for r in (await db.execute(query, ids)).rows:
                out[(kind, r["id"])] = r["body"] or ""
    return out


@dataclass(frozen=True)
class Found:
    """One page of results, and whether another follows."""

    results: list[dict[str, Any]]
    more: bool


async def _exact(db: Any, key: str, kind: str | None) -> list[Any]:
    """The records one of whose whole names, English names, aliases or titles is the query
    (the place Japan for `Japan`): they come first, whatever their bm25 score."""
    where = "and n.kind = :kind" if kind else ""
    return list(
        (
            await db.execute(
                f"select s.rowid, s.kind, s.record_id, s.name, s.name_en, 0.0 as score "
                f"from [{SITE_NAMES.name}] n join [{SEARCH_TABLE}] s "
                f"on s.kind = n.kind and s.record_id = n.record_id "
                f"where n.name_key = :key {where} order by s.rowid",
                {"key": key, "kind": kind},
            )
        ).rows
    )


async def _ranked(
    db: Any, tokens: list[str], kind: str | None, skip: list[int], offset: int, limit: int
) -> list[Any]:
    """Records holding every word, those naming them all first, then by bm25 (names weigh more
    than text), `limit` of them from `offset`: the order is the database's, so pages follow on."""
    match = " ".join(f'"{t}"' for t in tokens)
    where = "and s.kind = :kind" if kind else ""
    if skip:
        where += f" and s.rowid not in ({', '.join(str(int(r)) for r in skip)})"
    weights = ", ".join(str(w) for w in WEIGHTS)
    sql = (
        f"select s.rowid, s.kind, s.record_id, s.name, s.name_en, f.score from ("
        f"select rowid, bm25([{SEARCH_TABLE}_fts], {weights}) as score from [{SEARCH_TABLE}_fts] "
        f"where [{SEARCH_TABLE}_fts] match :match) f join [{SEARCH_TABLE}] s on s.rowid = f.rowid "
        f"where 1 {where} order by s.rowid in "
        f"(select rowid from [{SEARCH_TABLE}_fts] where [{SEARCH_TABLE}_fts] match :names) desc, "
        f"f.score, s.rowid limit :limit offset :offset"
    )
    names = "{names names_d} : (" + match + ")"
    params = {"match": match, "names": names, "kind": kind, "limit": limit, "offset": offset}
    return list((await db.execute(sql, params)).rows)


async def search(db: Any, q: str, kind: str | None = None, page: int = 1) -> Found:
    """Every kind of record whose names or text hold all the words of `q`, diacritics and `đ`
    folded, `SEARCH_LIMIT` a page: a whole name first (`Japan` finds the place Japan), then names
    (`dang` finds Đặng before the word đang), then bm25; typed with diacritics, the exact
    spelling first within the page."""
    tokens, _ = query_words(q)
    if not tokens:
        return Found([], False)
    offset = (max(page, 1) - 1) * SEARCH_LIMIT
    exact = await _exact(db, " ".join(search_key(q).split()), kind)
    rows = exact[offset : offset + SEARCH_LIMIT + 1]
    wanted = SEARCH_LIMIT + 1 - len(rows)
    if wanted:
        skip = [r["rowid"] for r in exact]
        rows += await _ranked(db, tokens, kind, skip, max(0, offset - len(exact)), wanted)
    more, rows = len(rows) > SEARCH_LIMIT, rows[:SEARCH_LIMIT]
    bodies = await _bodies(db, rows)
    typed = unicodedata.normalize("NFC", q).lower()
    accented = typed != search_key(q)
    labels = PAGES.labels()
    results = []
    for r in rows:
        names = " ".join(x for x in (r["name"], r["name_en"]) if x)
        name_hit = r["kind"] != "claim" and all(t in _TOKEN.findall(search_key(names)) for t in tokens)
        body = bodies.get((r["kind"], r["record_id"]), "")
        exact_spelling = accented and typed in f"{names} {body}".lower()
        results.append(
            {
                "kind": r["kind"],
                "id": r["record_id"],
                "url": url_for(r["kind"], r["record_id"]),
                "label": labels[r["kind"]],
                "name": r["name"],
                "name_en": r["name_en"],
                "rank": not exact_spelling if accented else False,
                "snippet": [] if name_hit else snippet(body, tokens),
            }
        )
    results.sort(key=lambda x: x["rank"])  # stable: the database's order within each
    return Found(results, more)
