"""Partial dates as records write them (2023, 2023-06, 2023-06-03, 2023-Q3, 2023-H2, START/END),
turned into spans of calendar days so that precision is part of equality: `2023-06` is the
whole of June, never the 1st."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime

_D = r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?|-Q[1-4]|-H[12])?"
DATE_PATTERN = rf"^{_D}$"
DATE_OR_RANGE_PATTERN = rf"^{_D}(?:/{_D})?$"
PUBLISHED_PATTERN = (
    rf"^(?:{_D}(?:/{_D})?|\d{{4}}-\d{{2}}-\d{{2}}T\d{{2}}:\d{{2}}(?::\d{{2}})?(?:Z|[+-]\d{{2}}:\d{{2}}))$"
)

_DATE_RE = re.compile(DATE_PATTERN)


class InvalidDate(ValueError):
    """A date string that is not a real calendar date or not in a recognised form."""


@dataclass(frozen=True, order=True)
class Span:
    """A closed span of calendar days; a day is a span of one."""

    first: date
    last: date

    def contains(self, other: Span) -> bool:
        return self.first <= other.first and other.last <= self.last

    def __str__(self) -> str:
        return format_span(self)


def month_span(year: int, month: int) -> Span:
    return Span(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))


def quarter_span(year: int, quarter: int) -> Span:
    return Span(month_span(year, 3 * quarter - 2).first, month_span(year, 3 * quarter).last)


def half_span(year: int, half: int) -> Span:
    return Span(month_span(year, 6 * half - 5).first, month_span(year, 6 * half).last)


def year_span(year: int) -> Span:
    return Span(date(year, 1, 1), date(year, 12, 31))


def day_span(year: int, month: int, day: int) -> Span:
    try:
        d = date(year, month, day)
    except ValueError:
        raise InvalidDate(f"{year:04d}-{month:02d}-{day:02d} is not a calendar date") from None
    return Span(d, d)


def parse_date(text: str) -> Span:
    """Parse one partial date (no range)."""
    if not _DATE_RE.match(text):
        raise InvalidDate(f"{text!r} is not a date like 2023, 2023-06, 2023-06-03 or 2023-Q3")
    year = int(text[:4])
    rest = text[5:]
    if not rest:
        return year_span(year)
    if rest[0] == "Q":
        return quarter_span(year, int(rest[1]))
    if rest[0] == "H":
        return half_span(year, int(rest[1]))
    parts = rest.split("-")
    if len(parts) == 1:
        return month_span(year, int(parts[0]))
    return day_span(year, int(parts[0]), int(parts[1]))


def parse_range(text: str) -> Span:
    """Parse a date or a START/END range; the range must be ordered."""
    if "/" not in text:
        return parse_date(text)
    start_text, end_text = text.split("/", 1)
    start, end = parse_date(start_text), parse_date(end_text)
    if end.last < start.first:
        raise InvalidDate(f"range {text!r} ends before it starts")
    return Span(start.first, end.last)


def parse_published(text: str) -> Span:
    """Parse a publication date: an ISO date-time with zone, a partial date, or a range of
    them (`2023-11-12/2024-01`) where the text supports only a window."""
    if "T" in text:
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise InvalidDate(f"{text!r} is not a real date-time") from None
        return Span(moment.date(), moment.date())
    return parse_range(text)


def format_span(span: Span) -> str:
    """The shortest record form of a span (inverse of parse_range where one exists)."""
    f, last = span.first, span.last
    if f == last:
        return f.isoformat()
    if f.year == last.year and f.month == 1 and f.day == 1 and last.month == 12 and last.day == 31:
        return str(f.year)
    if f.year == last.year and f.day == 1 and span == _month_run(f.year, f.month, last.month):
        if f.month == last.month:
            return f"{f.year:04d}-{f.month:02d}"
        if (f.month - 1) % 3 == 0 and last.month == f.month + 2:
            return f"{f.year:04d}-Q{(f.month + 2) // 3}"
        if f.month in (1, 7) and last.month == f.month + 5:
            return f"{f.year:04d}-H{1 if f.month == 1 else 2}"
    # A range of whole months (`9 tháng đầu năm`) keeps month precision at both ends.
    start = f"{f.year:04d}-{f.month:02d}" if f.day == 1 else f.isoformat()
    whole_last = last == month_span(last.year, last.month).last
    end = f"{last.year:04d}-{last.month:02d}" if whole_last and f.day == 1 else last.isoformat()
    if f.day != 1:
        start = f.isoformat()
    return f"{start}/{end}"


def _month_run(year: int, first_month: int, last_month: int) -> Span:
    return Span(month_span(year, first_month).first, month_span(year, last_month).last)
