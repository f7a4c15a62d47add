"""The passage of a source most like a quote that is not in it: a suggestion, never a pass.

Bounded (issue 23): rapidfuzz's partial alignment costs about (quote length)² × (text length)
/ 64 on repetitive text, so a quote of 18 KB took 146 s. Only a quote's first MAX_NEEDLE
characters are aligned (a suggestion needs no more), and a `Budget` of aligned characters caps
what the quotes of one record file may spend on suggestions."""

from __future__ import annotations

import bisect
from typing import NamedTuple

MAX_NEEDLE = 256  # characters of the folded quote aligned: longer than almost every quote
# Quote characters × text characters one record file may align: hundreds of suggestions
# against an ordinary article, about one second of the worst repetitive text.
FILE_BUDGET = 1 << 28
WORD = 64  # the longest word a passage is widened to take whole


class Closest(NamedTuple):
    """The passage most like a quote that was not found: a suggestion, never a pass."""

    line: int
    passage: str
    score: float


class Budget:
    """What is left of the characters a record file may align for suggestions."""

    def __init__(self, cells: int = FILE_BUDGET) -> None:
        self.left = cells
        self.refused = 0  # suggestions not made for want of budget

    def spend(self, needle: int, hay: int) -> bool:
        """Take the cost of aligning `needle` characters against `hay`; False when over budget."""
        cost = min(needle, MAX_NEEDLE) * hay
        if cost > self.left:
            self.refused += 1
            return False
        self.left -= cost
        return True


def align(needle: str, hay: str, starts: list[int], numbers: list[int]) -> Closest | None:
    """The passage of `hay` (folded lines joined by newlines, line `numbers[i]` starting at
    `starts[i]`) most like the start of the folded `needle`, widened to whole words and cut
    to one line. Aligned against the whole text at once, so a short line cannot win by being
    inside the quote."""
    from rapidfuzz import fuzz

    alignment = fuzz.partial_ratio_alignment(needle[:MAX_NEEDLE], hay)
    if alignment is None or alignment.score <= 0:
        return None
    start, end = alignment.dest_start, alignment.dest_end
    # Whole words: start at a word, widened back to its beginning; end at a word's end (a
    # word of more than WORD characters is cut: a hostile text may be one endless word).
    while start < end and not hay[start].isalnum():
        start += 1
    floor, ceiling = max(0, start - WORD), min(len(hay), end + WORD)
    while start > floor and hay[start - 1].isalnum():
        start -= 1
    while end < ceiling and hay[end].isalnum():
        end += 1
    line_end = hay.find("\n", start)
    if 0 <= line_end < end:  # a suggestion shows one line
        end = line_end
    at = bisect.bisect_right(starts, start) - 1
    return Closest(numbers[at], hay[start:end].strip(), alignment.score)
