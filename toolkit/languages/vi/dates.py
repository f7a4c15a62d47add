"""Read the dates a Vietnamese sentence states, the way a Vietnamese reader does: `ngày 6/1` is
6 January, `10-12/11` is 10 to 12 November, `quý III năm 2023` is the third quarter."""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from toolkit.core.dates import InvalidDate, Span, day_span, half_span, month_span, quarter_span, year_span
from toolkit.core.spans import Spans
from toolkit.languages.base import DateMention
from toolkit.languages.vi import numbers


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# ---------------------------------------------------------------- dates


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_DASH = r"[-–—‐‑]"
_B = r"(?<![\d/.,])"  # not inside a longer number or date
_E = r"(?![\d]|/\d)"


def _valid_day(day: int, month: int) -> bool:
    # 2000 is a leap year: 29/2 is a day-month some year has.
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(2000, month)[1]


def _mention(
    m: re.Match[str], build: Callable[[int], Span], ends: tuple[Callable[[int], Span], ...] = ()
) -> DateMention:
    year = m.groupdict().get("y")
    return DateMention(m.group(0), m.start(), m.end(), int(year) if year else None, build, ends)


def _dmy(m: re.Match[str]) -> DateMention | None:
    d, mo = int(m["d"]), int(m["m"])
    if not _valid_day(d, mo):
        return None
    return _mention(m, lambda y: day_span(y, mo, d))


def _day_range(m: re.Match[str]) -> DateMention | None:
    d1, d2, mo = int(m["d1"] or m["w1"]), int(m["d2"]), int(m["m"])  # w1: `ngày 15 đến 18/12`
    if not (_valid_day(d1, mo) and _valid_day(d2, mo)) or d2 < d1:
        return None
    return _mention(
        m,
        lambda y: Span(day_span(y, mo, d1).first, day_span(y, mo, d2).last),
        (lambda y: day_span(y, mo, d1), lambda y: day_span(y, mo, d2)),
    )


def _full_range(m: re.Match[str]) -> DateMention | None:
    d1, m1, y1 = int(m["d1"]), int(m["m1"]), int(m["y1"])
    d2, m2, y2 = int(m["d2"]), int(m["m2"]), int(m["y2"])
    if not (_valid_day(d1, m1) and _valid_day(d2, m2)):
        return None
    first, last = day_span(y1, m1, d1), day_span(y2, m2, d2)
    if last.last < first.first:
        return None
    return _between(m, y1, first, last)


def _between(m: re.Match[str], year: int, first: Span, last: Span) -> DateMention:
    """A range with both ends dated: from the start of `first` to the end of `last`, stating
    each end too."""
    return DateMention(
        m.group(0),
        m.start(),
        m.end(),
        year,
        lambda _y: Span(first.first, last.last),
        (lambda _y: first, lambda _y: last),
    )


def _month(m: re.Match[str]) -> DateMention | None:
    mo = int(m["m"])
    if not 1 <= mo <= 12:
        return None
    return _mention(m, lambda y: month_span(y, mo))


def _quarter(m: re.Match[str]) -> DateMention | None:
    q = _ROMAN[m["q"].lower()]
    return _mention(m, lambda y: quarter_span(y, q), _month_ends(3 * q - 2, 3 * q))


def _half(m: re.Match[str]) -> DateMention | None:
    """`6 tháng đầu năm`, `nửa đầu năm`: the first half; `cuối` or `sau`: the second."""
    h = 1 if m["h"].lower() == "đầu" else 2
    return _mention(m, lambda y: half_span(y, h), _month_ends(6 * h - 5, 6 * h))


def _year_range(m: re.Match[str]) -> DateMention | None:
    y1, y2 = int(m["y1"]), int(m["y2"])
    if y2 < y1:
        return None
    return _between(m, y1, year_span(y1), year_span(y2))


_MONTH_COUNT = {**{w: d for w, d in numbers.DIGITS.items() if d}, "mười": 10}
_MONTH_COUNT_RE = r"(?P<n>\d{1,2}|mười một|mười hai|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)"


def _count(word: str) -> int:
    word = " ".join(word.lower().split())
    if word.isdigit():
        return int(word)
    return {"mười một": 11, "mười hai": 12}.get(word) or _MONTH_COUNT[word]


def _months(m: re.Match[str]) -> DateMention | None:
    """`9 tháng đầu năm 2023` and `10 tháng năm 2023`: the first N months; `3 tháng cuối năm`:
    the last N."""
    n = _count(m["n"])
    if not 1 <= n <= 12:
        return None
    last = (m.groupdict().get("p") or "").lower() == "cuối"
    first_month, last_month = (13 - n, 12) if last else (1, n)
    return _mention(
        m,
        lambda y: Span(month_span(y, first_month).first, month_span(y, last_month).last),
        (lambda y: month_span(y, first_month), lambda y: month_span(y, last_month)),
    )


def _month_ends(first: int, last: int) -> tuple[Callable[[int], Span], Callable[[int], Span]]:
    """A span of months states its first and last month too (a period's start and end)."""
    return (lambda y: month_span(y, first), lambda y: month_span(y, last))


def _part_of_year(m: re.Match[str]) -> DateMention | None:
    """`đầu năm 2023`, `cuối năm`: within that year."""
    return _mention(m, year_span)


def _year(m: re.Match[str]) -> DateMention | None:
    y = int(m["y"])
    return DateMention(m.group(0), m.start(), m.end(), y, lambda _y: year_span(y))


Pattern = tuple[re.Pattern[str], Callable[[re.Match[str]], DateMention | None], tuple[str, ...]]


def _date_patterns() -> list[Pattern]:
    """Each pattern, what makes its mention, and the words one of which a text must hold for the
    pattern to match there (lower case; none: always tried): most quotes need few patterns.
    Longest forms first: days and day ranges, then months, quarters, halves and years."""
    return [*_day_patterns(), *_period_patterns()]


def _day_patterns() -> list[Pattern]:
    """Full ranges, days and day ranges, a month of a year, a day and month."""
    flags = re.IGNORECASE
    sep = r"\s*[/.\-–]\s*"
    return [
        (
            re.compile(
                rf"{_B}(?P<d1>\d{{1,2}})/(?P<m1>\d{{1,2}})/(?P<y1>\d{{4}})\s*{_DASH}\s*(?P<d2>\d{{1,2}})/(?P<m2>\d{{1,2}})/(?P<y2>\d{{4}}){_E}"
            ),
            _full_range,
            ("/",),
        ),
        (
            # A day range, its year too (`15-18/12/2023`, `từ ngày 15 đến 18/12/2023`): before a
            # single day, which read only its last day.
            re.compile(
                rf"(?:ngày\s+(?P<w1>\d{{1,2}})\s+(?:đến|tới)(?:\s+ngày)?\s+|(?:ngày\s+)?{_B}(?P<d1>\d{{1,2}})\s*{_DASH}\s*)"
                rf"(?P<d2>\d{{1,2}})/(?P<m>\d{{1,2}})(?:/(?P<y>\d{{4}}))?{_E}",
                flags,
            ),
            _day_range,
            ("/",),
        ),
        (
            re.compile(r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})(?:\s+năm\s+(?P<y>\d{4}))?", flags),
            _dmy,
            ("ngày",),
        ),
        (
            re.compile(rf"{_B}(?P<d>\d{{1,2}})(?P<s>[/.\-])(?P<m>\d{{1,2}})(?P=s)(?P<y>\d{{4}}){_E}"),
            _dmy,
            ("/", ".", "-"),
        ),
        (
            re.compile(rf"tháng\s+(?P<m>\d{{1,2}})(?:{sep}|\s+năm\s+)(?P<y>\d{{4}}){_E}", flags),
            _month,
            ("tháng",),
        ),
        (re.compile(rf"{_B}(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}}){_E}"), _dmy, ("/",)),
    ]


def _period_patterns() -> list[Pattern]:
    """Quarters, halves, months counted in a year, parts of a month or year, months, years."""
    flags = re.IGNORECASE
    return [
        (
            re.compile(r"quý\s+(?P<q>IV|III|II|I|[1-4])\b(?:\s*(?:năm\s+|/)(?P<y>\d{4}))?", flags),
            _quarter,
            ("quý",),
        ),
        (re.compile(r"6\s+tháng\s+(?P<h>đầu|cuối)\s+năm\s+(?P<y>\d{4})", flags), _half, ("tháng",)),
        (
            re.compile(
                rf"(?<!\w){_MONTH_COUNT_RE}\s+tháng\s+(?P<p>đầu|cuối)\s+năm(?:\s+(?P<y>\d{{4}}))?(?!\w)",
                flags,
            ),
            _months,
            ("tháng",),
        ),
        (
            re.compile(rf"(?<!\w){_MONTH_COUNT_RE}\s+tháng\s+(?:năm|của năm)\s+(?P<y>\d{{4}})(?!\d)", flags),
            _months,
            ("tháng",),
        ),
        (
            re.compile(r"(?<!\w)nửa\s+(?P<h>đầu|cuối|sau)\s+năm(?:\s+(?P<y>\d{4}))?(?!\w)", flags),
            _half,
            ("nửa",),
        ),
        (
            re.compile(
                r"(?<!\w)(?:đầu|giữa|cuối)\s+tháng\s+(?P<m>\d{1,2})(?:(?:/|\s+năm\s+)(?P<y>\d{4}))?(?![\d/])",
                flags,
            ),
            _month,
            ("tháng",),  # đầu, giữa, cuối tháng 11: within that month
        ),
        (re.compile(r"(?<!\w)(?:đầu|cuối)\s+năm(?:\s+(?P<y>\d{4}))?(?!\w)", flags), _part_of_year, ("năm",)),
        (
            re.compile(
                rf"tháng\s+(?P<m>\d{{1,2}}){_E}(?!\s*(?:năm|ngày|tháng)\b)(?:\s+năm\s+(?P<y>\d{{4}}))?", flags
            ),
            _month,
            ("tháng",),
        ),
        (
            re.compile(rf"{_B}(?P<y1>(?:1[89]|20)\d{{2}})\s*{_DASH}\s*(?P<y2>(?:1[89]|20)\d{{2}}){_E}"),
            _year_range,
            tuple("-–—‐‑"),
        ),
        (re.compile(rf"{_B}(?P<y>(?:1[89]|20)\d{{2}}){_E}"), _year, ()),
    ]


_DATE_PATTERNS = _date_patterns()


def read_dates(text: str) -> list[DateMention]:
    """Every date the text states, longest forms first, in text order; never raises.

    Memoised per distinct text: quotes and their windows repeat across records."""
    return list(_read_dates(text))


@lru_cache(maxsize=1 << 16)
def _read_dates(text: str) -> tuple[DateMention, ...]:
    return tuple(_dates_of(text))


def _dates_of(text: str) -> list[DateMention]:
    """Every date the text states, longest forms first, in text order; never raises."""
    text = _nfc(text)
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    lowered = text.lower()
    for pattern, make, needs in _DATE_PATTERNS:
        if needs and not any(n in lowered for n in needs):
            continue
        # A pattern's own matches never overlap: only the earlier patterns' spans can.
        earlier = Spans(taken)
        for m in pattern.finditer(text):
            if earlier.overlaps(m.start(), m.end()):
                continue
            try:
                mention = make(m)
                if mention is not None and mention.year is not None:
                    mention.span()  # a stated year must give a real calendar date
            except (InvalidDate, ValueError):
                mention = None
            if mention is not None:
                found.append(mention)
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)
