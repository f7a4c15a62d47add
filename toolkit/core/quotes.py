"""Where a folded quote stands in a folded text: its occurrences that start in given spans
(the article body), and those with a given context just before and after.

Searched with `str.find` from each span, never by listing every occurrence: a quote that
occurs 300 000 times in its source made 300 000 matches for each record quoting it, and a
wrong prefix folded the whole text before each of them (issue 23)."""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from toolkit.core.closest import Closest

MAX_MATCHES = 100  # occurrences a Located lists: messages show five, callers take the first
Segments = Sequence[tuple[int, int]]  # folded [start, end) spans, in order, not overlapping


@dataclass(frozen=True)
class Match:
    """Where a quote lies in the original text."""

    start: int
    end: int
    line: int
    end_line: int
    loose: bool


@dataclass(frozen=True)
class Located:
    """Where a quote is in a source. `status` is found, typography (found only with dashes
    and quotation marks made plain), outside-body, context-mismatch or not-found."""

    status: str
    match: Match | None  # the chosen occurrence, when found
    matches: list[Match]  # the first occurrences (inside the body, unless status is outside-body)
    needle: str  # the folded quote, as matched
    loose: bool
    closest: Closest | None = None

    @property
    def found(self) -> bool:
        return self.match is not None


def positions(text: str, needle: str, start: int = 0, end: int | None = None) -> Iterator[int]:
    """Where `needle` starts in `text` at `start` or after and before `end`, overlapping
    occurrences too; nowhere for an empty needle."""
    start, stop = max(0, start), len(text) if end is None else min(end, len(text))
    if not needle or stop <= start:
        return
    bound = stop + len(needle) - 1  # an occurrence starting before `stop` may end after it
    pos = text.find(needle, start, bound)
    while pos != -1:
        yield pos
        pos = text.find(needle, pos + 1, bound)


def starts_in(text: str, needle: str, segments: Segments | None) -> Iterator[int]:
    """Where `needle` starts inside one of `segments` (anywhere when None), in text order."""
    for start, end in [(0, len(text))] if segments is None else segments:
        yield from positions(text, needle, start, end)


def in_context(text: str, needle: str, before: str, after: str, segments: Segments | None) -> Iterator[int]:
    """Where `needle` starts inside `segments` with `before` just before it and `after` just
    after (one space between at most, as folding leaves; "" for no context), in text order.
    Context and quote are searched as one string."""
    gaps_before = ("", " ") if before else ("",)
    gaps_after = ("", " ") if after else ("",)
    for start, end in [(0, len(text))] if segments is None else segments:
        found = [
            _shifted(text, before + gap + needle + gap_after + after, len(before) + len(gap), start, end)
            for gap in gaps_before
            for gap_after in gaps_after
        ]
        last = -1
        for pos in heapq.merge(*found):
            if pos != last:
                yield pos
            last = pos


def _shifted(text: str, pattern: str, offset: int, start: int, end: int) -> Iterator[int]:
    """Where the needle `offset` characters into `pattern` starts, for each occurrence of
    `pattern` that puts it in [start, end)."""
    for at in positions(text, pattern, start - offset, end - offset):
        yield at + offset
