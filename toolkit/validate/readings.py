"""Dates and numbers as the quotes state them, for the rules that compare them with a record:
whether a mention states exactly a span (a year the text leaves out inferred from the
publication date), and how a mention is described in messages."""

from __future__ import annotations

from decimal import Decimal

from toolkit.core import dates
from toolkit.core.dates import InvalidDate, Span
from toolkit.core.text import decimal_text
from toolkit.languages import DateMention, NumberMention


def span_of(mention: DateMention, year: int | None = None) -> Span | None:
    try:
        return mention.span(year)
    except (InvalidDate, ValueError):
        return None


def stated_spans(mention: DateMention, year: int | None = None) -> list[Span]:
    """The span a mention states and, for a range, its ends."""
    try:
        return [mention.span(year), *mention.end_spans(year)]
    except (InvalidDate, ValueError):
        return []


def safe_date(text: str | None) -> Span | None:
    if text is None:
        return None
    try:
        return dates.parse_date(text)
    except InvalidDate:
        return None


def safe_range(text: str) -> Span | None:
    try:
        return dates.parse_range(text)
    except InvalidDate:
        return None


def date_stated(span: Span, mentions: list[DateMention], published: Span | None) -> bool:
    """Does a mention state exactly this span? A year the text leaves out is inferred from
    the publication date: see `inferred_year`."""
    for m in mentions:
        if m.year is not None:
            if span in stated_spans(m):
                return True
            continue
        if any(span in stated_spans(m, year) for year in inferred_years(m, published, span.first.year)):
            return True
    return False


def inferred_years(m: DateMention, published: Span | None, fallback: int) -> list[int]:
    """The years a date the text states without one can be in. Published on a known day: the
    publication year, and the year that puts the date nearest that day (a `20/12` in a paper
    of 6 January is last December). Published within a window (a year, or START/END): the
    year of the window that puts the date nearest it, so a date the window cannot hold is
    refused. Publication unknown: `fallback`."""
    if published is None:
        return [fallback]
    if published.first == published.last:
        candidates = range(published.first.year - 1, published.first.year + 2)
    else:
        candidates = range(published.first.year, published.last.year + 1)

    def distance(year: int) -> int:
        found = span_of(m, year)
        if found is None:
            return 10**6
        if published is not None and found.last < published.first:
            return (published.first - found.last).days
        if published is not None and found.first > published.last:
            return (found.first - published.last).days
        return 0

    best = min(candidates, key=distance)
    found = [best] if distance(best) < 10**6 else []
    if published.first == published.last and published.first.year not in found:
        found.append(published.first.year)
    return found


def describe_date(m: DateMention) -> str:
    """A date as the text states it and as read: `'3/6' (no year)`, `'3-6-2023' = 2023-06-03`."""
    if m.year is None:
        return f"{m.text!r} (no year)"
    return f"{m.text!r} = {span_of(m)}"


def describe_number(m: NumberMention) -> str:
    """A number as read: `9800000 (about)`, `15-20`, `70%`."""
    if m.comparator == "range":
        return f"{decimal_text(m.lower or Decimal(0))}-{decimal_text(m.upper or Decimal(0))}"
    word = "" if m.comparator == "exact" else f" ({m.comparator})"
    sign = "+" if m.signed and m.value > 0 else ""
    return f"{sign}{decimal_text(m.value)}{'%' if m.percent else ''}{word}"


def as_read(m: DateMention, published: Span | None) -> str:
    """A mention as the validator read it, saying where a year it lacks came from."""
    if m.year is not None or published is None:
        return describe_date(m)
    years = inferred_years(m, published, published.first.year)
    if not years:
        return describe_date(m)
    year = years[-1] if published.first == published.last else years[0]
    window = "was published" if published.first == published.last else "was published within"
    return f"{m.text!r} = {span_of(m, year)}, as the page gives no year and {window} {published}"
