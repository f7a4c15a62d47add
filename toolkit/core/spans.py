"""Spans of text, [start, end): whether a span overlaps any of many, in logarithmic time.

The readers of numbers and dates keep the spans already taken (a date, a number in digits)
and skip a mention overlapping one; checking each mention against every earlier span made a
line of 30 000 dates take minutes (issue 23)."""

from __future__ import annotations

import bisect
from collections.abc import Iterable


class Spans:
    """A fixed set of spans, sorted by start with the furthest end reached so far: a span
    [s, e) overlaps one of them exactly when some span starting before e ends after s."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        ordered = sorted((s, e) for s, e in spans if e > s)  # an empty span overlaps nothing
        self._starts = [s for s, _ in ordered]
        self._reach: list[int] = []
        furthest = -1
        for _, end in ordered:
            furthest = max(furthest, end)
            self._reach.append(furthest)

    def __len__(self) -> int:
        return len(self._starts)

    def overlaps(self, start: int, end: int) -> bool:
        """Does [start, end) share a character with one of the spans?"""
        if end <= start:
            return False
        i = bisect.bisect_left(self._starts, end) - 1
        return i >= 0 and self._reach[i] > start
