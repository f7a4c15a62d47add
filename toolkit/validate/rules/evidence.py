"""Evidence: each quote is found in its source's article body (after NFC and white-space
folding), never only in page furniture; typographic variants match with a warning; a quote
not found gets the closest passage as a suggestion. Once a record's quotes are found, the
rules with a `check_quoted` hook (values) compare the record with what the quotes state.

Results are cached per record file, keyed by the file's bytes and the sources it cites."""

from __future__ import annotations

import unicodedata
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field

from toolkit.core.closest import Budget
from toolkit.core.dates import Span
from toolkit.core.limits import MAX_FIGURES, MAX_QUOTE_CHARS
from toolkit.core.problems import Problem
from toolkit.core.text import Match
from toolkit.languages import DateMention, Language, NumberMention, RankMention
from toolkit.records.models import EVIDENCED_KINDS, Evidence
from toolkit.validate.context import Anchor, Context
from toolkit.validate.rule import ERROR, WARNING, Code, Entry, declare

CODES = declare(
    "evidence",
    Code(
        "quote-not-found",
        ERROR,
        "The quote is not in its source, even with white space and Unicode forms folded.",
        "Copy the words from the source exactly; the message shows the closest passage.",
    ),
    Code(
        "quote-outside-body",
        ERROR,
        "The quote is in the source only outside the article body (menus, related headlines).",
        "Quote the article itself: page furniture is not evidence.",
    ),
    Code(
        "quote-typography",
        WARNING,
        "The quote matches only when dashes or quotation marks are made plain.",
        "Copy the source's own characters (en dash, curly quotes).",
    ),
    Code(
        "evidence-too-long",
        ERROR,
        "A quote (with its prefix and suffix) is over 5 000 characters, or one file's quotes state "
        "over 100 000 numbers and dates in all: more than a reader can check as evidence.",
        "Quote the sentence that states the fact; split a file with that many figures into several.",
    ),
    Code(
        "quote-context-mismatch",
        ERROR,
        "The quote is in the source, but never with the given prefix or suffix around it.",
        "Fix prefix/suffix, or drop them if the quote occurs once.",
    ),
)


class TooMuchToRead(Exception):
    """A record file's quotes state more numbers and dates than one file may have read."""


@dataclass
class Reading:
    """The numbers and dates one record file's quotes have stated, each text counted once:
    past MAX_FIGURES no more are read (400 quotes of `1 1 1 …` stated a million)."""

    figures: int = 0
    seen: set[tuple[object, ...]] = field(default_factory=set)

    def check(self) -> None:
        if self.figures > MAX_FIGURES:
            raise TooMuchToRead

    def count(self, key: tuple[object, ...], found: int) -> None:
        if key not in self.seen:
            self.seen.add(key)
            self.figures += found


@dataclass
class Quoted:
    """An evidence quote found in its source, with the dates it states read once. Its numbers
    and dates, and those of any text around it, are read through it: they count against the
    file's `reading`."""

    index: int
    source: str
    quote: str  # folded
    published: Span | None
    language: Language  # the source's
    reading: Reading = field(default_factory=Reading, repr=False)
    _dates: list[DateMention] | None = field(default=None, repr=False)
    # What rules read of the quote, by what they asked (the values and figures rules ask
    # for the numbers of one claim's wording alike: read once).
    numbers_of: dict[str, tuple[list[NumberMention], bool, int]] = field(default_factory=dict, repr=False)

    @property
    def dates(self) -> list[DateMention]:
        """The dates the quote states, read on first use (most quotes are never asked)."""
        if self._dates is None:
            self._dates = self.read_dates(self.quote)
        return self._dates

    def read_dates(self, text: str) -> list[DateMention]:
        """The dates `text` states, as the source's language reads them."""
        self.reading.check()
        found = self.language.read_dates(text)
        self.reading.count(("dates", text), len(found))
        return found

    def read_numbers(
        self, text: str, words: bool = True, keep: tuple[int, int] | None = None
    ) -> list[NumberMention]:
        """The numbers `text` states, as the source's language reads them (see Language).
        They are read outside its dates, so the dates count too: where the pack reads them
        (its date hint: reading the dates of every text only to count them cost a third of a
        build's number reading)."""
        self.reading.check()
        found = self.language.read_numbers(text, words, keep)
        self.reading.count(("numbers", text, words, keep), len(found))
        if self.language.date_hint.search(unicodedata.normalize("NFC", text)):  # as packs test it
            self.reading.count(("dates", text), len(self.language.read_dates(text)))
        return found

    def read_ranks(self, text: str) -> list[RankMention]:
        """The ranks `text` states, each with the noun it ranks (see Language)."""
        self.reading.check()
        found = self.language.read_ranks(text)
        self.reading.count(("ranks", text), len(found))
        return found


def check(ctx: Context) -> Iterator[Problem]:
    """Each file's quotes, from the cache when the file and the sources it cites are as they
    were, else found again (the file is parsed for that)."""
    for display in list(ctx.summaries):
        yield from ctx.evidence_of(display, lambda entries: find_quotes(ctx, entries))


def file_anchors(
    ctx: Context, display: str, entries: list[Entry]
) -> dict[tuple[str, int, int], tuple[str, Match]]:
    """Where a file's quotes were found, by (kind, record index, evidence index), as the
    cache keeps them."""
    return {
        (e.kind, e.index, i): (a.source_id, a.match)
        for e in entries
        if e.record is not None and e.kind in EVIDENCED_KINDS
        for i in range(len(e.record.evidence))
        if (a := ctx.anchors.get((display, e.kind, e.index, i))) is not None
    }


def find_quotes(ctx: Context, entries: list[Entry]) -> Iterator[Problem]:
    """Find each record's quotes, then run the checks on what they state."""
    # The file's budgets, whatever else this process checks: the same report for any jobs.
    budget, reading = Budget(), Reading()
    for entry in entries:
        if entry.record is None or entry.kind not in EVIDENCED_KINDS:
            continue
        quoted: list[Quoted] = []
        for i, ev in enumerate(entry.record.evidence):
            found = yield from _anchor(ctx, entry, i, ev, budget)
            if found is not None:
                info = ctx.sources.get(ev.source)
                if info is not None and info.language is not None:  # else no quote is found
                    quoted.append(Quoted(i, ev.source, found, info.published, info.language, reading))
        if quoted and reading.figures <= MAX_FIGURES:
            try:
                for hook in ctx.quoted_checks:
                    yield from hook(ctx, entry, quoted)
            except TooMuchToRead:
                yield ctx.problem(
                    entry.doc,
                    (*entry.key, "evidence"),
                    "evidence-too-long",
                    f"this file's quotes state over {MAX_FIGURES:,} numbers and dates: the figures of "
                    "this record and the ones after it are not checked; split the file",
                )


def _anchor(
    ctx: Context, entry: Entry, i: int, ev: Evidence, budget: Budget
) -> Generator[Problem, None, str | None]:
    """Find the quote in its source's body; the generator's value is the folded quote."""
    text = ctx.text(ev.source)
    if text is None:
        return None  # the source itself was reported
    key = (*entry.key, "evidence", i, "quote")
    length = len(ev.quote) + len(ev.prefix or "") + len(ev.suffix or "")
    if length > MAX_QUOTE_CHARS:
        yield ctx.problem(
            entry.doc,
            key,
            "evidence-too-long",
            f"the quote is {length:,} characters with its prefix and suffix, over the limit of "
            f"{MAX_QUOTE_CHARS:,}: quote the sentence that states the fact",
        )
        return None
    refused = budget.refused
    located = text.locate(ev.quote, ctx.sources[ev.source].body, ev.prefix, ev.suffix, budget)
    if located.status == "not-found":
        hint = ""
        if located.closest is not None:
            line, passage, score = located.closest
            hint = f"; closest passage (line {line}, {score:.0f}% alike): {passage!r}"
        elif budget.refused > refused:
            hint = "; no closest passage shown: this file's other quotes not found used the time allowed"
        yield ctx.problem(entry.doc, key, "quote-not-found", f"not found in source {ev.source!r}{hint}")
        return None
    if located.status == "outside-body":
        lines = ", ".join(str(m.line) for m in located.matches[:5])
        yield ctx.problem(
            entry.doc,
            key,
            "quote-outside-body",
            f"found in source {ev.source!r} only outside the article body (line {lines}): "
            "page furniture is not evidence",
        )
        return None
    if located.match is None:
        yield ctx.problem(
            entry.doc,
            (*entry.key, "evidence", i),
            "quote-context-mismatch",
            "the quote is in the source, but never with this prefix/suffix around it",
        )
        return None
    if located.loose:
        yield ctx.problem(
            entry.doc,
            key,
            "quote-typography",
            "matches only when dashes or quotation marks are made plain: copy the source's "
            f"characters exactly (line {located.match.line})",
        )
    ctx.anchors[(entry.doc.display, entry.kind, entry.index, i)] = Anchor(ev.source, located.match)
    return located.needle
