"""Read the numbers and dates a Vietnamese sentence states, the way a Vietnamese reader does:
`9,8 triệu` is 9 800 000, `900.000` is 900 000, `gần 2.800` is nearly 2 800, `ngày 6/1` is
6 January, `10-12/11` is 10 to 12 November, `quý III năm 2023` is the third quarter."""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from toolkit.dates import InvalidDate, Span, day_span, half_span, month_span, quarter_span, year_span


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# ---------------------------------------------------------------- dates


@dataclass(frozen=True)
class DateMention:
    """A date the text states; `year` is None where the text leaves it to context."""

    text: str
    start: int
    end: int
    year: int | None
    build: Callable[[int], Span]
    # A range states its ends too: `(2008-2023)` states 2023, `10-12/11` states 12/11.
    ends: tuple[Callable[[int], Span], ...] = ()

    def span(self, year: int | None = None) -> Span:
        """The span of days meant, with `year` filling in a year the text does not state."""
        return self.build(self._year(year))

    def end_spans(self, year: int | None = None) -> list[Span]:
        """The spans of a range's first and last day (or year); empty for a single date."""
        return [end(self._year(year)) for end in self.ends]

    def _year(self, year: int | None) -> int:
        if self.year is not None:
            return self.year
        if year is None:
            raise ValueError("the text states no year")
        return year


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
    d1, d2, mo = int(m["d1"]), int(m["d2"]), int(m["m"])
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
    return DateMention(
        m.group(0),
        m.start(),
        m.end(),
        y1,
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
    return _mention(m, lambda y: quarter_span(y, q))


def _half(m: re.Match[str]) -> DateMention | None:
    h = 1 if m["h"].lower() == "đầu" else 2
    return _mention(m, lambda y: half_span(y, h))


def _year_range(m: re.Match[str]) -> DateMention | None:
    y1, y2 = int(m["y1"]), int(m["y2"])
    if y2 < y1:
        return None
    return DateMention(
        m.group(0),
        m.start(),
        m.end(),
        y1,
        lambda _y: Span(year_span(y1).first, year_span(y2).last),
        (lambda _y: year_span(y1), lambda _y: year_span(y2)),
    )


def _year(m: re.Match[str]) -> DateMention | None:
    y = int(m["y"])
    return DateMention(m.group(0), m.start(), m.end(), y, lambda _y: year_span(y))


def _date_patterns() -> list[tuple[re.Pattern[str], Callable[[re.Match[str]], DateMention | None]]]:
    flags = re.IGNORECASE
    sep = r"\s*[/.\-–]\s*"
    return [
        (
            re.compile(
                rf"{_B}(?P<d1>\d{{1,2}})/(?P<m1>\d{{1,2}})/(?P<y1>\d{{4}})\s*{_DASH}\s*(?P<d2>\d{{1,2}})/(?P<m2>\d{{1,2}})/(?P<y2>\d{{4}}){_E}"
            ),
            _full_range,
        ),
        (
            re.compile(r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})(?:\s+năm\s+(?P<y>\d{4}))?", flags),
            _dmy,
        ),
        (re.compile(rf"{_B}(?P<d>\d{{1,2}})(?P<s>[/.\-])(?P<m>\d{{1,2}})(?P=s)(?P<y>\d{{4}}){_E}"), _dmy),
        (
            re.compile(
                rf"{_B}(?P<d1>\d{{1,2}})\s*{_DASH}\s*(?P<d2>\d{{1,2}})/(?P<m>\d{{1,2}})(?:/(?P<y>\d{{4}}))?{_E}"
            ),
            _day_range,
        ),
        (re.compile(rf"tháng\s+(?P<m>\d{{1,2}})(?:{sep}|\s+năm\s+)(?P<y>\d{{4}}){_E}", flags), _month),
        (re.compile(rf"{_B}(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}}){_E}"), _dmy),
        (re.compile(r"quý\s+(?P<q>IV|III|II|I|[1-4])\b(?:\s*(?:năm\s+|/)(?P<y>\d{4}))?", flags), _quarter),
        (re.compile(r"6\s+tháng\s+(?P<h>đầu|cuối)\s+năm\s+(?P<y>\d{4})", flags), _half),
        (
            re.compile(
                rf"tháng\s+(?P<m>\d{{1,2}}){_E}(?!\s*(?:năm|ngày|tháng)\b)(?:\s+năm\s+(?P<y>\d{{4}}))?", flags
            ),
            _month,
        ),
        (
            re.compile(rf"{_B}(?P<y1>(?:1[89]|20)\d{{2}})\s*{_DASH}\s*(?P<y2>(?:1[89]|20)\d{{2}}){_E}"),
            _year_range,
        ),
        (re.compile(rf"{_B}(?P<y>(?:1[89]|20)\d{{2}}){_E}"), _year),
    ]


_DATE_PATTERNS = _date_patterns()


def read_dates(text: str) -> list[DateMention]:
    """Every date the text states, longest forms first, in text order; never raises."""
    text = _nfc(text)
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for pattern, make in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
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


# ---------------------------------------------------------------- numbers


@dataclass(frozen=True, slots=True)
class NumberMention:
    """A number the text states, with the comparator its wording implies."""

    text: str
    start: int
    end: int
    value: Decimal
    comparator: str = "exact"
    lower: Decimal | None = None
    upper: Decimal | None = None
    percent: bool = False


_MULTIPLIERS = {
    "nghìn": Decimal(1000),
    "ngàn": Decimal(1000),
    "triệu": Decimal(1_000_000),
    "tỷ": Decimal(1_000_000_000),
    "tỉ": Decimal(1_000_000_000),
}
_COMPARATORS = [
    ("ít nhất", "at_least"),
    ("tối thiểu", "at_least"),
    ("tối đa", "at_most"),
    ("lên tới", "at_most"),
    ("lên đến", "at_most"),
    ("chưa đầy", "less_than"),
    ("chưa đến", "less_than"),
    ("chưa tới", "less_than"),
    ("xấp xỉ", "about"),
    ("khoảng", "about"),
    ("chừng", "about"),
    ("gần", "nearly"),
    ("hơn", "more_than"),
    ("trên", "more_than"),
    ("dưới", "less_than"),
]
_WORDS = {
    "một": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
}
_ORDINALS = {"nhất": 1, "tư": 4, "năm": 5, **_WORDS}

_NUM = r"(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?|\d+\.\d{1,2}(?!\d))"
_MULT = r"(?:\s+(?P<mult>nghìn|ngàn|triệu|tỷ|tỉ)\b)?"
_NUMBER_RE = re.compile(
    rf"(?<![\w.,/:+])(?P<a>{_NUM})(?:\s*(?:{_DASH}|đến|tới)\s*(?P<b>{_NUM}))?(?P<pct>\s*%)?{_MULT}(?![\w/:]|[.,]\d)",
    re.IGNORECASE,
)
_WORD_RE = re.compile(
    r"(?<!\w)(?P<thu>thứ\s+)?(?P<w>" + "|".join(sorted(_ORDINALS, key=len, reverse=True)) + r")(?!\w)",
    re.IGNORECASE,
)
COMPARATOR_RE = re.compile(
    r"(?<!\w)(?P<c>" + "|".join(c for c, _ in _COMPARATORS) + r")\s+(?:từ\s+)?$", re.IGNORECASE
)


_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_DECIMAL_COMMA = re.compile(r"\d+(?:,\d+)?")
_DECIMAL_DOT = re.compile(r"\d+\.\d{1,2}")
# Text with none of these states no date (a cheap test before eleven date patterns).
_DATE_HINT = re.compile(r"\d\s*[/.\-–—‐‑]\s*\d|(?<!\d)(?:1[89]|20)\d\d(?!\d)|tháng|quý|ngày", re.IGNORECASE)


def parse_number(token: str) -> Decimal:
    """A Vietnamese numeral: dots group thousands, a comma marks decimals (9,8 -> 9.8).

    `2.5` (a dot followed by one or two digits) is read as an English decimal point."""
    token = token.strip()
    if _GROUPED.fullmatch(token):
        return Decimal(token.replace(".", "").replace(",", "."))
    if _DECIMAL_COMMA.fullmatch(token):
        return Decimal(token.replace(",", "."))
    if _DECIMAL_DOT.fullmatch(token):
        return Decimal(token)
    raise InvalidOperation(f"{token!r} is not a number")


def _comparator_before(text: str, start: int) -> str:
    m = COMPARATOR_RE.search(text[max(0, start - 16) : start])
    if not m:
        return "exact"
    word = m["c"].lower()
    return next(c for w, c in _COMPARATORS if w == word)


def read_numbers(text: str, words: bool = True) -> list[NumberMention]:
    """Every number the text states (dates excluded), with comparator, range and multiplier.

    `words=False` skips numbers written as words (`thứ nhất`), for text known to use digits."""
    text = _nfc(text)
    dates = [(d.start, d.end) for d in read_dates(text)] if _DATE_HINT.search(text) else []
    found: list[NumberMention] = []

    def in_date(s: int, e: int) -> bool:
        return any(s < de and ds < e for ds, de in dates)

    for m in _NUMBER_RE.finditer(text):
        if in_date(m.start(), m.end()):
            continue
        mult = _MULTIPLIERS[m["mult"].lower()] if m["mult"] else Decimal(1)
        try:
            a = parse_number(m["a"]) * mult
            b = parse_number(m["b"]) * mult if m["b"] else None
        except InvalidOperation:
            continue
        comparator = _comparator_before(text, m.start())
        percent = bool(m["pct"])
        if b is not None and b > a:
            found.append(NumberMention(m.group(0), m.start(), m.end(), a, "range", a, b, percent))
        elif b is not None:
            # `3-2` is not a range; keep both numbers as stated.
            found.append(NumberMention(m["a"], m.start("a"), m.end("a"), a, comparator, percent=percent))
            found.append(NumberMention(m["b"], m.start("b"), m.end("b"), b, "exact", percent=percent))
        else:
            found.append(NumberMention(m.group(0), m.start(), m.end(), a, comparator, percent=percent))
    for m in _WORD_RE.finditer(text) if words else ():
        word = m["w"].lower()
        if word not in _WORDS and not m["thu"]:
            continue  # `năm` (year/five), `tư` (private/fourth), `nhất` (most/first): ordinals only
        value = Decimal(_ORDINALS[word])
        found.append(
            NumberMention(m.group(0), m.start(), m.end(), value, _comparator_before(text, m.start()))
        )
    return sorted(found, key=lambda n: n.start)
