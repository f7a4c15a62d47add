"""/facts: every fact as a reader's list — the statement, its value and when, what it is about
and its source — a page at a time, searchable with or without diacritics and filtered by
property or subject. The wide table of every fact and quote stays for data users; this page
says why its row count differs from the number of facts."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from toolkit.build.views import CLAIMS_FLAT
from toolkit.build.words import plural
from toolkit.core.searchfold import search_key
from toolkit.site.pages import when
from toolkit.site.pages.registry import Context, Page, PageKind
from toolkit.site.pages.rows import Row, one, rows

FACTS_PAGE = 50
_WORD = re.compile(r"\w+")

_FACTS = """
select c.id, c.statement_en, c.subject, c.property, c.modality, p.label_en,
  s.name as subject_name, s.name_en as subject_name_en, s.kind as subject_kind
from claims c join properties p on p.id = c.property join entities s on s.id = c.subject
where {where} order by c.id limit :limit offset :offset"""
# The first quote's row of each fact on the page: its value and time in words and its source.
_DETAILS = """
select f.claim_id, f.value_words, f.time_words, f.source, f.source_title, s.title_en as source_title_en,
  f.publisher, min(f.rowid) as first, count(distinct f.source) as sources
from claims_flat f join sources s on s.id = f.source where f.claim_id in ({ids}) group by f.claim_id"""


def _where(q: str, prop: str, subject: str) -> tuple[str, dict[str, Any]]:
    """The condition and parameters of the list's filters (all optional)."""
    tests, params = ["1"], {}
    if q:
        # Each word of the query, folded (the claims' index holds the folded subject and quotes).
        words = _WORD.findall(search_key(q))
        if words:
            tests.append("c.rowid in (select rowid from claims_fts where claims_fts match :match)")
            params["match"] = " ".join(f'"{w}"' for w in words)
        else:
            tests.append("0")
    if prop:
        tests.append("c.property = :property")
        params["property"] = prop
    if subject:
        tests.append("c.subject = :subject")
        params["subject"] = subject
    return " and ".join(tests), params


async def _details(db: Any, facts: list[Row]) -> None:
    """Each fact's value, time and first source (from the flat list), and when a fact without a
    time of its own holds (as of its page's date)."""
    ids = [f["id"] for f in facts]
    if not ids:
        return
    found = {r["claim_id"]: r for r in await rows(db, _DETAILS.format(ids=", ".join("?" * len(ids))), ids)}
    dated = await when.inferred(db, "claim", ids)
    for f in facts:
        d = found.get(f["id"], {})
        keys = ("value_words", "time_words", "source", "source_title", "source_title_en", "publisher")
        f |= {k: d.get(k) for k in keys}
        f["sources"] = d.get("sources") or 0
        f["when"] = d.get("time_words") or when.as_of_short(dated.get(f["id"], {}))


def _number(text: str) -> int:
    return int(text) if text.isdigit() and 0 < int(text) < 1_000_000 else 1


async def load(page: Page) -> Context:
    db = page.db
    q, prop, subject = page.arg("q").strip(), page.arg("property"), page.arg("subject")
    number = _number(page.arg("page"))
    where, params = _where(q, prop, subject)
    found = await rows(
        db,
        _FACTS.format(where=where),
        params | {"limit": FACTS_PAGE + 1, "offset": (number - 1) * FACTS_PAGE},
    )
    facts = found[:FACTS_PAGE]
    await _details(db, facts)
    totals = await one(
        db, "select (select count(*) from claims) as facts, (select count(*) from claims_flat) as rows", []
    )
    filtered = q or prop or subject
    matched = (
        (await db.execute(f"select count(*) from claims c where {where}", params)).first()[0]
        if filtered
        else None
    )

    def link(to: int) -> str:
        args = {k: v for k, v in (("q", q), ("property", prop), ("subject", subject)) if v}
        return "/facts?" + urlencode(args | ({"page": to} if to > 1 else {}))

    return {
        "facts": facts,
        "q": q,
        "property": await one(db, "select id, label_en from properties where id = ?", [prop])
        if prop
        else None,
        "subject": await one(db, "select id, kind, name, name_en from entities where id = ?", [subject])
        if subject
        else None,
        "totals": totals,
        "facts_words": plural(totals["facts"] if totals else 0, "fact"),
        "rows_words": plural(totals["rows"] if totals else 0, "row"),
        "matched": matched,
        "flat_columns": len(CLAIMS_FLAT.columns),
        "first": (number - 1) * FACTS_PAGE + 1,
        "page": number,
        "previous": link(number - 1) if number > 1 else None,
        "next": link(number + 1) if len(found) > FACTS_PAGE else None,
    }


PAGE = PageKind(name="facts", route=r"^/facts$", template="facts.html", load=load)
