"""Statements: what people said is attributed to them by the source itself. The verb is the
source's, written where the quote is; the speaker is named (or referred to by title or given
name) in the quote's paragraph or the one before; a date agrees with the text. Words about an
institution's plan, with no person saying them, are a claim or an event, not a statement."""

from __future__ import annotations

import re
from collections.abc import Iterator

from toolkit.core.dates import InvalidDate, parse_date
from toolkit.core.limits import MAX_QUOTE_CHARS
from toolkit.core.problems import Problem
from toolkit.core.text import SourceText, fold_text
from toolkit.languages import Language
from toolkit.records.models import Statement
from toolkit.validate.context import Context
from toolkit.validate.readings import date_stated
from toolkit.validate.rule import ERROR, Code, Entry, declare
from toolkit.validate.rules.evidence import Quoted
from toolkit.validate.rules.names import NamesPart

CODES = declare(
    "statements",
    Code(
        "verb-not-in-source",
        ERROR,
        "A statement's verb is not written in the paragraph its quote comes from.",
        "Give the verb as the source writes it (cho biết, nhấn mạnh, khẳng định …).",
    ),
    Code(
        "statement-unattributed",
        ERROR,
        "The source does not attribute the quoted words to the speaker: neither the paragraph nor "
        "the one before names them.",
        "Quote words the source puts in this person's mouth; an institution's plan is a claim or an event.",
    ),
    Code(
        "statement-date-unstated",
        ERROR,
        "A statement's date is not one its paragraph states, nor does it cover the publication date.",
        "Give the date the text states for when it was said, or leave it out.",
    ),
)


def check_quoted(ctx: Context, entry: Entry, quoted: list[Quoted]) -> Iterator[Problem]:
    r = entry.record
    if not isinstance(r, Statement):
        return
    names = person_names(ctx).get(r.speaker, [])
    for q in quoted:
        anchor = ctx.anchors.get((entry.doc.display, entry.kind, entry.index, q.index))
        text = ctx.text(q.source)
        if anchor is None or text is None:
            continue
        here, before = _paragraphs(text, anchor.match.start, anchor.match.end)
        key = (*entry.key, "evidence", q.index, "quote")
        own = r.evidence[q.index].verb  # where the sources differ, each evidence has its own
        verb = own or r.verb
        if fold_text(verb).casefold() not in fold_text(here).casefold():
            yield ctx.problem(
                entry.doc,
                (*entry.key, "evidence", q.index, "verb") if own else (*entry.key, "verb"),
                "verb-not-in-source",
                f"{verb!r} is not written in the paragraph of evidence {q.index}: give the source's "
                "own verb (an evidence's `verb` where the sources differ)",
            )
        # The page's short forms for the speaker count too (`Thống đốc` for the governor named
        # earlier): a source's `forms`, as the relations rule reads them.
        info = ctx.sources.get(q.source)
        forms = ((info.data.get("forms") or {}).get(r.speaker) or []) if info is not None else []
        said = [*names, *forms]
        if names and not any(_refers(q.language, paragraph, said) for paragraph in (here, before)):
            yield ctx.problem(
                entry.doc,
                key,
                "statement-unattributed",
                f"the source does not attribute these words to {names[0]!r} here: a statement is words the "
                "page puts in a person's mouth",
            )
        yield from _date(ctx, entry, r, q, here)


def person_names(ctx: Context) -> dict[str, list[str]]:
    """Every person's name and aliases, by id, from the summaries (built once per run)."""
    found: dict[str, list[str]] | None = ctx.memo.get("person-names")
    if found is None:
        found = {}
        for summary in ctx.summaries.values():
            for named in summary.of(NamesPart).names:
                if named.kind == "persons":
                    found[named.id] = [named.name, *named.aliases]
        ctx.memo["person-names"] = found
    return found


def _paragraphs(text: SourceText, start: int, end: int) -> tuple[str, str]:
    """The paragraph (line) holding a quote, and the non-empty one before it: of a line
    longer than MAX_QUOTE_CHARS, only that much on either side of the quote (read for every
    statement, a whole hostile line made the work grow with the line times the statements)."""
    whole, reach = text.text, MAX_QUOTE_CHARS
    first = whole.rfind("\n", max(0, start - reach), start) + 1 or max(0, start - reach)
    last = whole.find("\n", end, end + reach)
    here = whole[first : last if last >= 0 else min(len(whole), end + reach)]
    if not first or whole[first - 1] != "\n":
        return here, ""  # the window begins inside the line: what came before is too far
    stop = first - 1
    while stop > 0 and whole[stop - 1] == "\n" and first - stop < reach:
        stop -= 1  # back over blank lines
    begin = whole.rfind("\n", max(0, stop - reach), stop) + 1 or max(0, stop - reach)
    return here, whole[begin:stop] if stop and whole[stop - 1] != "\n" else ""


def _refers(lang: Language, paragraph: str, names: list[str]) -> bool:
    """Does the paragraph name the person: in full, or a part of the name after a title?"""
    folded = fold_text(paragraph)
    for name in names:
        full = fold_text(name)
        if full in folded:
            return True
        for part in full.split():
            if len(part) > 1 and re.search(rf"(?<!\w){lang.honorifics}\s+{re.escape(part)}(?!\w)", folded):
                return True
    return False


def _date(ctx: Context, entry: Entry, r: Statement, q: Quoted, paragraph: str) -> Iterator[Problem]:
    if r.date is None:
        return
    try:
        span = parse_date(r.date)
    except InvalidDate:
        return  # reported as date-invalid
    if q.published is not None and span.contains(q.published):
        return
    if date_stated(span, q.read_dates(paragraph), q.published):
        return
    yield ctx.problem(
        entry.doc,
        (*entry.key, "date"),
        "statement-date-unstated",
        f"{r.date} is not a date the paragraph of evidence {q.index} states: give the date the text gives",
    )
