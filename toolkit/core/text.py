"""Text folding and quote finding with offsets back into the original bytes' text.

Two foldings, both keeping a map from folded positions to original ones:
- `strict`: NFC and runs of white space (NBSP, thin spaces, line breaks) become one space;
  zero-width characters vanish. A quote found this way is the source's words.
- `loose`: strict plus typographic variants (en/em dashes, curly quotes, ellipsis) made plain.
  A quote found only this way is reported as a warning, never silently accepted."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from toolkit.core.closest import Budget, align
from toolkit.core.closest import Closest as Closest
from toolkit.core.quotes import MAX_MATCHES, Segments, in_context, starts_in
from toolkit.core.quotes import Located as Located  # where callers have always found them
from toolkit.core.quotes import Match as Match

_ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}
_TYPOGRAPHIC = {
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2026": "...",
}


@dataclass(frozen=True)
class Folded:
    """A folded string and, for each of its characters, the original offset it came from."""

    text: str
    origin: list[int] = field(repr=False)
    origin_end: list[int] = field(repr=False)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) of the folded slice [start, end) (end > start)."""
        return self.origin[start], self.origin_end[end - 1]

    def to_folded(self, offset: int) -> int:
        """The first folded position whose original offset is `offset` or after."""
        return bisect.bisect_left(self.origin, offset)


@dataclass(frozen=True)
class ShiftFolded(Folded):
    """A fold where only runs of white space shrank: offsets differ by a running shift, kept
    at the folded positions where it changes (far smaller than a table per character)."""

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        # origin: folded positions where the shift changes; origin_end: the shift from there.
        i = bisect.bisect_right(self.origin, start) - 1
        j = bisect.bisect_right(self.origin, end - 1) - 1
        return start + self.origin_end[i], end + self.origin_end[j]

    def to_folded(self, offset: int) -> int:
        # The run of positions sharing one shift that holds `offset`, or the next run.
        runs = range(len(self.origin))
        k = bisect.bisect_right(runs, offset, key=lambda i: self.origin[i] + self.origin_end[i])
        pos = offset - self.origin_end[k - 1] if k else 0
        return min(pos, self.origin[k]) if k < len(self.origin) else min(pos, len(self.text))


def _chunks(text: str) -> list[tuple[int, str]]:
    """Split before each starter (combining class 0) so each chunk normalises on its own."""
    out: list[tuple[int, str]] = []
    start = 0
    for i in range(1, len(text) + 1):
        # White space and zero-width characters stand alone: a stray mark after one starts
        # a chunk of its own, as it does when the whole string is normalised at once.
        if (
            i == len(text)
            or unicodedata.combining(text[i]) == 0
            or text[i - 1].isspace()
            or text[i - 1] in _ZERO_WIDTH
        ):
            out.append((start, text[start:i]))
            start = i
    return out


_WHITESPACE = re.compile(r"\s+")
# White space that folding changes: a run at either end, a run of two or more, or one
# character other than a plain space.
_CHANGING_WHITESPACE = re.compile(r"\A\s+|\s+\Z|\s{2,}|[^\S ]")
_DROP_ZERO_WIDTH = str.maketrans("", "", "".join(_ZERO_WIDTH))
_PLAIN = str.maketrans(_TYPOGRAPHIC)
_ONE_FOR_ONE = str.maketrans({k: v for k, v in _TYPOGRAPHIC.items() if len(v) == 1})
_ZERO_WIDTH_CHAR = re.compile("[" + "".join(sorted(_ZERO_WIDTH)) + "]")
_TYPOGRAPHIC_CHAR = re.compile("[" + "".join(sorted(_TYPOGRAPHIC)) + "]")
_OTHER_SPACE = re.compile(r"[^\S ]")  # white space other than a plain space


def fold(text: str, loose: bool = False) -> Folded:
    """Fold `text` (see module doc), keeping the map back to original offsets."""
    if (
        unicodedata.is_normalized("NFC", text)
        and not any(z in text for z in _ZERO_WIDTH)
        and not (loose and "\u2026" in text)
    ):
        return _fold_simple(text, loose)
    return _fold_chunks(text, loose)


def _fold_simple(text: str, loose: bool) -> Folded:
    """The common case (NFC, no zero-width, no ellipsis): only white space runs change, so a
    shift table maps offsets back."""
    body = text.translate(_ONE_FOR_ONE) if loose else text
    positions, shifts = [0], [0]
    shift = 0
    out = len(body)
    pieces: list[str] = []
    pos = 0
    folded_len = 0
    # Only the runs that change: a lone plain space between words stays as it is.
    for m in _CHANGING_WHITESPACE.finditer(body):
        a, b = m.span()
        keep = 0 if a == 0 or b == out else 1  # leading and trailing white space goes
        pieces.append(body[pos:a])
        folded_len += a - pos
        if keep:
            pieces.append(" ")
            folded_len += 1
        dropped = (b - a) - keep
        if dropped:
            shift += dropped
            positions.append(folded_len)
            shifts.append(shift)
        pos = b
    pieces.append(body[pos:])
    return ShiftFolded("".join(pieces), positions, shifts)


def _fold_chunks(text: str, loose: bool) -> Folded:
    """Any text: normalise chunk by chunk so every folded character keeps its origin."""
    chars: list[str] = []
    origin: list[int] = []
    origin_end: list[int] = []
    pending_space = False
    ascii_fast = text.isascii()
    pieces = ((i, c) for i, c in enumerate(text)) if ascii_fast else _chunks(text)
    for offset, chunk in pieces:
        if chunk.isspace():
            pending_space = bool(chars)
            continue
        if chunk in _ZERO_WIDTH:
            continue
        norm = chunk if ascii_fast else unicodedata.normalize("NFC", chunk)
        if loose:
            norm = "".join(_TYPOGRAPHIC.get(c, c) for c in norm)
        if pending_space:
            chars.append(" ")
            origin.append(offset)
            origin_end.append(offset)
            pending_space = False
        # Every character of a normalised chunk maps to the whole original chunk.
        end = offset + len(chunk)
        for c in norm:
            chars.append(c)
            origin.append(offset)
            origin_end.append(end)
    return Folded("".join(chars), origin, origin_end)


@lru_cache(maxsize=1 << 16)
def fold_text(text: str, loose: bool = False) -> str:
    """The folded string alone (no offsets needed, so whole-string operations suffice).
    Memoised: one quote is folded by several rules."""
    # Each step runs only where its characters occur: a dict-table translate of a Vietnamese
    # sentence costs ten times the search that finds nothing to translate.
    folded = unicodedata.normalize("NFC", text)
    if _ZERO_WIDTH_CHAR.search(folded):
        folded = folded.translate(_DROP_ZERO_WIDTH)
    if loose and _TYPOGRAPHIC_CHAR.search(folded):
        folded = folded.translate(_PLAIN)
    if "  " in folded or _OTHER_SPACE.search(folded):
        folded = _WHITESPACE.sub(" ", folded)
    return folded.strip()


class LineIndex:
    """Offsets to 1-based line numbers."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        pos = text.find("\n")
        while pos != -1:
            self.starts.append(pos + 1)
            pos = text.find("\n", pos + 1)

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def column_of(self, offset: int) -> int:
        return offset - self.starts[self.line_of(offset) - 1] + 1


def decimal_text(value: Decimal) -> str:
    """A Decimal as a person writes it: `9800000`, not `9.8E+6` or `9800000.0`; `0.5` as is."""
    if not value.is_finite() or abs(value.adjusted()) > 40:
        return str(value)  # written out, a huge exponent would be a huge string
    if value == value.to_integral_value():
        return format(value.normalize(), "f")
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class SourceText:
    """A source's text, folded once, searched many times."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: LineIndex | None = None
        self._strict: Folded | None = None
        self._loose: Folded | None = None
        self._body_fold: tuple[frozenset[int] | None, str, list[int], list[int]] | None = None
        # The body's spans, by folding, for the body set last asked (a source's quotes all
        # ask with its one body: the spans were remade for each of 10 000 quotes).
        self._spans: dict[bool, tuple[frozenset[int], Segments | None]] = {}

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:  # indexed on first search, like the folds
            self._lines = LineIndex(self.text)
        return self._lines

    @property
    def line_count(self) -> int:
        return self.text.count("\n") + 1

    def line(self, number: int) -> tuple[int, str]:
        """Line `number` (1-based): where it starts in the text, and its text without the end."""
        start = self.lines.starts[number - 1]
        end = self.text.find("\n", start)
        return start, self.text[start : end if end >= 0 else len(self.text)]

    def numbered_lines(self) -> Iterator[tuple[int, int, str]]:
        """Every line: its number (from 1), where it starts, its text without the end."""
        start = 0
        for number, line in enumerate(self.text.split("\n"), start=1):
            yield number, start, line
            start += len(line) + 1

    @property
    def strict(self) -> Folded:
        if self._strict is None:  # folded on first search: a cached run may never search
            self._strict = fold(self.text)
        return self._strict

    @property
    def loose(self) -> Folded:
        if self._loose is None:
            self._loose = fold(self.text, loose=True)
        return self._loose

    def prepare(self) -> None:
        """Index and fold now (before worker processes fork, so they share the work)."""
        _ = self.lines, self.strict

    def find_all(self, quote: str, loose: bool = False) -> list[Match]:
        """The first occurrences of `quote` under the given folding (MAX_MATCHES at most)."""
        return self.find_folded(fold_text(quote, loose), loose)

    def find_folded(self, needle: str, loose: bool = False) -> list[Match]:
        """The first occurrences of an already folded `needle` (MAX_MATCHES at most)."""
        return self._matches(starts_in(self._folded(loose).text, needle, None), len(needle), loose, None)

    def _folded(self, loose: bool) -> Folded:
        return self.loose if loose else self.strict

    def _matches(
        self, found: Iterator[int], length: int, loose: bool, body: set[int] | None, limit: int = MAX_MATCHES
    ) -> list[Match]:
        """Matches of a folded needle from the folded positions `found` (each starting in the
        body), those ending in the body too, until `limit`."""
        folded, out = self._folded(loose), []
        for pos in found:
            start, end = folded.to_original(pos, pos + length)
            line, end_line = self.lines.line_of(start), self.lines.line_of(max(start, end - 1))
            if body is None or end_line in body:
                out.append(Match(start, end, line, end_line, loose))
                if len(out) == limit:
                    break
        return out

    def _segments(self, body: set[int] | None, loose: bool) -> Segments | None:
        """The body's runs of lines as folded spans (None: the whole text)."""
        if body is None:
            return None
        known = self._spans.get(loose)
        if known is not None and known[0] == body:
            return known[1]
        found = self._body_segments(body, loose)
        self._spans[loose] = (frozenset(body), found)
        return found

    def _body_segments(self, body: set[int], loose: bool) -> Segments:
        folded, starts, out = self._folded(loose), self.lines.starts, []
        numbers = sorted(n for n in body if 1 <= n <= len(starts))
        for i, n in enumerate(numbers):
            if i and numbers[i - 1] == n - 1:
                continue  # inside the run that began earlier
            last = n
            while last < len(starts) and last + 1 in body:
                last += 1
            end = folded.to_folded(starts[last]) if last < len(starts) else len(folded.text)
            out.append((folded.to_folded(starts[n - 1]), end))
        return out

    def locate(
        self,
        quote: str,
        body: set[int] | None = None,
        prefix: str | None = None,
        suffix: str | None = None,
        budget: Budget | None = None,
    ) -> Located:
        """Find a quote the one way every stage does: folded (NFC, whitespace), then with
        typographic variants made plain; inside the body lines; with its prefix and suffix.
        The closest passage is only computed for a quote not found (within `budget`), and
        only suggests. Occurrences are searched from each body span, never all listed."""
        needle, loose = fold_text(quote), False
        if not needle or needle not in self.strict.text:
            needle, loose = fold_text(quote, loose=True), True
            if not needle or needle not in self.loose.text:
                return Located("not-found", None, [], needle, False, self.closest(quote, body, budget))
        text, segments = self._folded(loose).text, self._segments(body, loose)
        inside = self._matches(starts_in(text, needle, segments), len(needle), loose, body)
        if not inside:
            return Located("outside-body", None, self.find_folded(needle, loose), needle, loose)
        before = fold_text(prefix, loose) if prefix is not None else ""
        after = fold_text(suffix, loose) if suffix is not None else ""
        fits = (
            self._matches(in_context(text, needle, before, after, segments), len(needle), loose, body, 1)
            if before or after
            else inside[:1]  # no context to fit: the first match inside is the one
        )
        if not fits:
            return Located("context-mismatch", None, inside, needle, loose)
        return Located("typography" if loose else "found", fits[0], inside, needle, loose)

    def closest(
        self, quote: str, lines: set[int] | None = None, budget: Budget | None = None
    ) -> Closest | None:
        """The passage most like `quote` (line, folded text, similarity 0-100) in these lines
        (or the whole text), within `budget` when one is given (see toolkit.core.closest)."""
        needle = fold_text(quote)
        hay, starts, numbers = self._folded_lines(lines) if needle else ("", [], [])
        if not hay or (budget is not None and not budget.spend(len(needle), len(hay))):
            return None
        return align(needle, hay, starts, numbers)

    def _folded_lines(self, lines: set[int] | None) -> tuple[str, list[int], list[int]]:
        """The folded text of these lines joined by newlines, with where each line starts."""
        key = frozenset(lines) if lines is not None else None
        if self._body_fold is None or self._body_fold[0] != key:
            parts: list[str] = []
            starts: list[int] = []
            numbers: list[int] = []
            at = 0
            for number, line in enumerate(self.text.split("\n"), start=1):
                if lines is not None and number not in lines:
                    continue
                folded = fold_text(line)
                if not folded:
                    continue
                starts.append(at)
                numbers.append(number)
                parts.append(folded)
                at += len(folded) + 1
            self._body_fold = (key, "\n".join(parts), starts, numbers)
        return self._body_fold[1], self._body_fold[2], self._body_fold[3]
