"""Evidence: each quote is found in its source's article body (after NFC and white-space
folding), never only in page furniture; typographic variants match with a warning; a quote
not found gets the closest passage as a suggestion. Once a record's quotes are found, the
rules with a `check_quoted` hook (values) compare the record with what the quotes state.

Results are cached per record file, keyed by the file's bytes and the sources it cites."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass, field

from toolkit.core.dates import Span
from toolkit.core.problems import Problem
from toolkit.core.text import Match
from toolkit.languages import DateMention, Language
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
        "quote-context-mismatch",
        ERROR,
        "The quote is in the source, but never with the given prefix or suffix around it.",
        "Fix prefix/suffix, or drop them if the quote occurs once.",
    ),
)


@dataclass
class Quoted:
    """An evidence quote found in its source, with the dates it states read once."""

    index: int
    source: str
    quote: str  # folded
    published: Span | None
    language: Language  # the source's
    _dates: list[DateMention] | None = field(default=None, repr=False)

    @property
    def dates(self) -> list[DateMention]:
        """The dates the quote states, read on first use (most quotes are never asked)."""
        if self._dates is None:
            self._dates = self.language.read_dates(self.quote)
        return self._dates


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
    for entry in entries:
        if entry.record is None or entry.kind not in EVIDENCED_KINDS:
            continue
        quoted: list[Quoted] = []
        for i, ev in enumerate(entry.record.evidence):
            found = yield from _anchor(ctx, entry, i, ev)
            if found is not None:
                info = ctx.sources.get(ev.source)
                if info is not None and info.language is not None:  # else no quote is found
                    quoted.append(Quoted(i, ev.source, found, info.published, info.language))
        if quoted:
            for hook in ctx.quoted_checks:
                yield from hook(ctx, entry, quoted)


def _anchor(ctx: Context, entry: Entry, i: int, ev: Evidence) -> Generator[Problem, None, str | None]:
    """Find the quote in its source's body; the generator's value is the folded quote."""
    text = ctx.text(ev.source)
    if text is None:
        return None  # the source itself was reported
    key = (*entry.key, "evidence", i, "quote")
    located = text.locate(ev.quote, ctx.sources[ev.source].body, ev.prefix, ev.suffix)
    if located.status == "not-found":
        hint = ""
        if located.closest is not None:
            line, passage, score = located.closest
            hint = f"; closest passage (line {line}, {score:.0f}% alike): {passage!r}"
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
