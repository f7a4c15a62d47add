"""When a record holds, said in words even where its own record gives no date: a statement made
at a dated event takes the event's date, an undated part of a dated event lies within its
parent's dates, and a planned or expected item is so as of its page's publication date (the
build's inferred_dates table)."""

from __future__ import annotations

from typing import Any

from toolkit.build.views import INFERRED_DATES
from toolkit.build.words import date_words
from toolkit.site.pages.rows import Row, rows

_READ = (
    "select d.record_kind, d.record_id, d.relation, d.date, d.date_start, d.from_kind, d.from_id, "
    "ev.name as from_name, ev.name_en as from_name_en "
    f"from [{INFERRED_DATES.name}] d left join events ev on d.from_kind = 'event' and ev.id = d.from_id "
    "where d.record_kind = ? and d.record_id in ({ids})"
)


async def inferred(db: Any, kind: str, ids: list[str]) -> dict[str, dict[str, Row]]:
    """Each record's inferred dates by relation (event, during, as_of), with the date in words."""
    out: dict[str, dict[str, Row]] = {}
    for start in range(0, len(ids), 500):  # SQLite takes at most 999 parameters
        chunk = ids[start : start + 500]
        for r in await rows(db, _READ.format(ids=", ".join("?" * len(chunk))), [kind, *chunk]):
            r["words"] = date_words(r["date"])
            out.setdefault(r["record_id"], {})[r["relation"]] = r
    return out


async def one(db: Any, kind: str, record_id: str) -> dict[str, Row]:
    """One record's inferred dates by relation."""
    return (await inferred(db, kind, [record_id])).get(record_id, {})


def as_of_words(dates: dict[str, Row]) -> str:
    """`as of 3 June 2023, the page's date`, or "" when the record needs none."""
    found = dates.get("as_of")
    return f"as of {found['words']}, the page's date" if found else ""


def as_of_short(dates: dict[str, Row]) -> str:
    """`as of 3 June 2023`, for lists (the page's date said once, in their heading)."""
    found = dates.get("as_of")
    return f"as of {found['words']}" if found else ""


def during_words(dates: dict[str, Row]) -> str:
    """`during 10–12 November 2023`, or "" for a record with a date of its own."""
    found = dates.get("during")
    return f"during {found['words']}" if found else ""


def at(words: str) -> str:
    """A date in words with its preposition: `on 3 June 2023`, `in 2023`, `in the first half
    of 2023`, `during 10–12 November 2023`."""
    if not words:
        return ""
    if "–" in words:
        return f"during {words}"
    if words[0].isdigit() and not words.isdigit():
        return f"on {words}"
    return f"in the {words}" if words.startswith(("first", "second", "third", "fourth")) else f"in {words}"


def said_words(own: str | None, dates: dict[str, Row]) -> str:
    """When a statement was made: its own date, its event's, within a larger event's dates,
    or (no date at all) when the page reported it."""
    if own:
        return at(date_words(own))
    if "event" in dates:
        return at(dates["event"]["words"])
    if "during" in dates:
        return during_words(dates)
    if "as_of" in dates:
        return f"reported as of {dates['as_of']['words']}, the page's date"
    return ""
