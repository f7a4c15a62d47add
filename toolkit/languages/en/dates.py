"""Read the dates an English sentence states: `12 March 2024`, `March 12, 2024`, `March 2024`,
`from 15 to 18 December 2024`, `15–18 December`, `December 15-18, 2024`, `the first quarter of
2024`, `the first half of 2024`, ISO `2024-03-12`, a year. An all-numeric date (`03/12/2024`) is
read only where the pack says which order its pages write (`day_first`): in English it is
ambiguous, and a date read the wrong way round is worse than one not read."""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from toolkit.core.dates import InvalidDate, Span, day_span, half_span, month_span, quarter_span, year_span
from toolkit.languages.base import DateMention

MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<{g}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{g}>(?:1[89]|20)\d\d)"
_DASH = r"\s*(?:[-–—‐‑]|to|until|till|and)\s*"
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
Maker = Callable[[re.Match[str]], DateMention | None]


def _g(pattern: str, name: str) -> str:
    return pattern.replace("{g}", name)


def _valid(day: int, month: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(2000, month)[1]


def _year(m: re.Match[str]) -> int | None:
    y = m.groupdict().get("y")
    return int(y) if y else None


def _day(m: re.Match[str], d: str = "d", mo: str = "m") -> DateMention | None:
    day, month = int(m[d]), MONTHS[m[mo].lower()]
    if not _valid(day, month):
        return None
    return DateMention(m.group(0), m.start(), m.end(), _year(m), lambda y: day_span(y, month, day))


def _days(m: re.Match[str]) -> DateMention | None:
    """`15–18 December 2024`, `December 15-18`, `from 15 to 18 December`."""
    d1, d2, month = int(m["d1"]), int(m["d2"]), MONTHS[m["m"].lower()]
    if not (_valid(d1, month) and _valid(d2, month)) or d2 < d1:
        return None
    return DateMention(
        m.group(0),
        m.start(),
        m.end(),
        _year(m),
        lambda y: Span(day_span(y, month, d1).first, day_span(y, month, d2).last),
        (lambda y: day_span(y, month, d1), lambda y: day_span(y, month, d2)),
    )


def _month(m: re.Match[str]) -> DateMention | None:
    month = MONTHS[m["m"].lower()]
    return DateMention(m.group(0), m.start(), m.end(), _year(m), lambda y: month_span(y, month))


def _iso(m: re.Match[str]) -> DateMention | None:
    y, month, day = int(m["y"]), int(m["mo"]), int(m["d"])
    if not _valid(day, month):
        return None
    return DateMention(m.group(0), m.start(), m.end(), y, lambda _y: day_span(y, month, day))


def _quarter(m: re.Match[str]) -> DateMention | None:
    q = _ORDINALS.get(m["q"].lower()) or int(m["q"][-1])
    return DateMention(m.group(0), m.start(), m.end(), _year(m), lambda y: quarter_span(y, q))


def _half(m: re.Match[str]) -> DateMention | None:
    h = 1 if m["h"].lower() in ("first", "1st") else 2
    return DateMention(m.group(0), m.start(), m.end(), _year(m), lambda y: half_span(y, h))


def _a_year(m: re.Match[str]) -> DateMention | None:
    y = int(m["y"])
    return DateMention(m.group(0), m.start(), m.end(), y, lambda _y: year_span(y))


def _numeric(day_first: bool) -> Maker:
    def make(m: re.Match[str]) -> DateMention | None:
        a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
        day, month = (a, b) if day_first else (b, a)
        if not _valid(day, month):
            return None
        return DateMention(m.group(0), m.start(), m.end(), y, lambda _y: day_span(y, month, day))

    return make


def _patterns(day_first: bool | None) -> list[tuple[re.Pattern[str], Maker]]:
    """Longest forms first; each with what makes its mention."""
    i = re.IGNORECASE
    b, e = r"(?<![\w/.-])", r"(?![\w/-]|\.\d)"
    year = r"(?:,?\s+" + _g(_YEAR, "y") + ")?"
    day, d1, d2, month = _g(_DAY, "d"), _g(_DAY, "d1"), _g(_DAY, "d2"), _g(_MONTH, "m")
    nth = r"(?P<q>first|second|third|fourth|[1-4](?:st|nd|rd|th))"
    found: list[tuple[re.Pattern[str], Maker]] = [
        (re.compile(rf"{b}(?:from\s+|between\s+)?{d1}{_DASH}{d2}\s+{month}{year}{e}", i), _days),
        (re.compile(rf"{b}{month}\s+{d1}{_DASH}{d2}{year}{e}", i), _days),
        (re.compile(rf"{b}{day}\s+(?:of\s+)?{month}{year}{e}", i), _day),
        (re.compile(rf"{b}{month}\s+{day}{year}{e}", i), _day),
        (re.compile(rf"{b}(?P<y>(?:1[89]|20)\d\d)-(?P<mo>[01]\d)-(?P<d>[0-3]\d){e}"), _iso),
        (re.compile(rf"{b}(?:the\s+)?{nth}\s+quarter(?:\s+of)?{year}{e}", i), _quarter),
        (re.compile(rf"{b}Q(?P<q>[1-4])\s*{_g(_YEAR, 'y')}{e}"), _quarter),
        (re.compile(rf"{b}(?:the\s+)?(?P<h>first|second|1st|2nd)\s+half(?:\s+of)?{year}{e}", i), _half),
        (re.compile(rf"{b}{month}(?:\s+(?:of\s+)?{_g(_YEAR, 'y')}){e}", i), _month),
        (re.compile(rf"{b}(?:in|since|until|by|during|from|of)\s+{month}{e}", i), _month),
        (re.compile(rf"{b}{_g(_YEAR, 'y')}{e}"), _a_year),
    ]
    if day_first is not None:
        numeric = re.compile(rf"{b}(?P<a>[0-3]?\d)[/.](?P<b>[0-3]?\d)[/.](?P<y>(?:1[89]|20)\d\d){e}")
        found.insert(4, (numeric, _numeric(day_first)))
    return found


_PATTERNS = {choice: _patterns(choice) for choice in (None, True, False)}


@lru_cache(maxsize=1 << 14)
def read_dates(text: str, day_first: bool | None = None) -> tuple[DateMention, ...]:
    """Every date the text states, longest forms first, in text order; never raises."""
    text = unicodedata.normalize("NFC", text)
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for pattern, make in _PATTERNS[day_first]:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            try:
                mention = make(m)
                if mention is not None and mention.year is not None:
                    mention.span()  # a stated year must give a real calendar date
            except (InvalidDate, ValueError, KeyError):
                mention = None
            if mention is not None:
                found.append(mention)
                taken.append((m.start(), m.end()))
    return tuple(sorted(found, key=lambda d: d.start))
