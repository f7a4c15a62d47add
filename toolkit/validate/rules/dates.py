"""Dates: every date a record gives is a real calendar date, a period ends after it starts,
and the dates a claim, post or event gives are ones its quotes state (a year the text leaves
out inferred from the publication date) or, for a qualifier, hold the publication date; an
event said to be held is not dated after its source was published."""

from __future__ import annotations

from collections.abc import Iterator

from toolkit.core import dates
from toolkit.core.dates import InvalidDate, Span
from toolkit.core.problems import Problem, listed
from toolkit.core.text import fold_text
from toolkit.records.load import PathKey
from toolkit.records.models import Claim, DateValue, Event, Position
from toolkit.validate.context import Context
from toolkit.validate.readings import as_read, date_stated, safe_date, safe_range
from toolkit.validate.rule import ERROR, Code, Entry, declare
from toolkit.validate.rules.evidence import Quoted

CODES = declare(
    "dates",
    Code(
        "date-invalid", ERROR, "A date is not a real calendar date.", "Give a real date (2023-02-30 is none)."
    ),
    Code(
        "date-range-order",
        ERROR,
        "A period or range ends before it starts.",
        "Swap the ends, or correct the one that is wrong.",
    ),
    Code(
        "date-not-in-quote",
        ERROR,
        "A date the record gives is not one its quotes state.",
        "Quote the words that give the date, or correct the date.",
    ),
    Code(
        "term-unrecorded",
        ERROR,
        "A quote states the post's term of office (`nhiệm kỳ 2015-2018`) and the position does not "
        "give it as `since` and `until`.",
        "Give the term's first year as `since` and its last as `until`.",
    ),
    Code(
        "event-after-publication",
        ERROR,
        "An event said to be held is dated after its source was published.",
        "If it was announced, set `status: planned`.",
    ),
)


def check_record(ctx: Context, entry: Entry) -> Iterator[Problem]:
    """Real calendar dates, and periods in order: nothing outside the record needed."""
    r = entry.record
    if isinstance(r, Position):
        yield from _date_field(ctx, entry, ("as_of",), r.as_of)
        yield from _period(ctx, entry, (("since",), r.since), (("until",), r.until), ("until",))
    elif isinstance(r, Event):
        yield from _date_field(ctx, entry, ("date",), r.date, ranged=True)
    elif isinstance(r, Claim):
        yield from _date_field(ctx, entry, ("point_in_time",), r.point_in_time)
        if isinstance(r.value, DateValue):
            yield from _date_field(ctx, entry, ("value", "date"), r.value.date, ranged=True)
        if r.period is not None:
            start, end = (("period", "start"), r.period.start), (("period", "end"), r.period.end)
            yield from _period(ctx, entry, start, end, ("period",))


def _period(
    ctx: Context,
    entry: Entry,
    start: tuple[PathKey, str | None],
    end: tuple[PathKey, str | None],
    at: PathKey,
) -> Iterator[Problem]:
    """Both ends real dates, and the end not before the start (a claim's period, a post's term)."""
    yield from _date_field(ctx, entry, *start)
    yield from _date_field(ctx, entry, *end)
    first, last = safe_date(start[1]), safe_date(end[1])
    if first and last and last.last < first.first:
        yield ctx.problem(
            entry.doc,
            (*entry.key, *at),
            "date-range-order",
            f"{'.'.join(map(str, end[0]))} ({end[1]}) is before {'.'.join(map(str, start[0]))} ({start[1]})",
        )


def _date_field(
    ctx: Context, entry: Entry, key: PathKey, text: str | None, ranged: bool = False
) -> Iterator[Problem]:
    if text is None:
        return
    try:
        dates.parse_range(text) if ranged else dates.parse_date(text)
    except InvalidDate as exc:
        yield ctx.problem(entry.doc, (*entry.key, *key), "date-invalid", f"{exc}: give a real calendar date")


def check_quoted(ctx: Context, entry: Entry, quoted: list[Quoted]) -> Iterator[Problem]:
    r = entry.record
    if isinstance(r, Claim):
        if isinstance(r.value, DateValue):
            span = safe_range(r.value.date)
            for q in quoted:
                if span and not date_stated(span, q.dates, q.published):
                    yield _date_problem(ctx, entry, ("value", "date"), r.value.date, [q], q.index)
        yield from _qualifier(ctx, entry, ("point_in_time",), r.point_in_time, quoted)
        if r.period is not None:
            yield from _qualifier(ctx, entry, ("period", "start"), r.period.start, quoted)
            yield from _qualifier(ctx, entry, ("period", "end"), r.period.end, quoted)
    elif isinstance(r, Position):
        yield from _qualifier(ctx, entry, ("as_of",), r.as_of, quoted)
        yield from _post_dates(ctx, entry, r, quoted)
    elif isinstance(r, Event) and r.date is not None:
        yield from _event_date(ctx, entry, r, quoted)


def _post_dates(ctx: Context, entry: Entry, r: Position, quoted: list[Quoted]) -> Iterator[Problem]:
    """`since` and `until` are dates a quote states, and a term a quote states next to the
    title is given as both."""
    for key, value in (("since", r.since), ("until", r.until)):
        span = safe_date(value)
        if span is not None and not any(date_stated(span, q.dates, q.published) for q in quoted):
            yield _date_problem(ctx, entry, (key,), value or "", quoted, None)
    title = fold_text(r.title)
    for q in quoted:
        at = q.quote.find(title)
        term = q.language.terms.search(q.quote, at + len(title)) if at >= 0 else None
        if term is None or term.start() - (at + len(title)) > _TERM_REACH:
            continue
        since, until = term["since"], term["until"]
        if (r.since, r.until) != (since, until):
            yield ctx.problem(
                entry.doc,
                (*entry.key, "since" if r.since != since else "until"),
                "term-unrecorded",
                f"evidence {q.index} states the term {term.group(0)!r}: give since: {since!r} and "
                f"until: {until!r}",
            )
            return


# How far after the title a term may stand and still be the post's (`Chủ tịch Hội khóa VII
# nhiệm kỳ 2021-2026`), not another body's in the same quote.
_TERM_REACH = 60


def _event_date(ctx: Context, entry: Entry, r: Event, stated: list[Quoted]) -> Iterator[Problem]:
    span = safe_range(r.date or "")
    if span is None:
        return
    if not any(date_stated(span, q.dates, q.published) for q in stated):
        yield _date_problem(ctx, entry, ("date",), r.date or "", stated, None)
    if r.status == "held":
        for q in stated:
            if q.published is not None and span.first > q.published.last:
                yield ctx.problem(
                    entry.doc,
                    (*entry.key, "date"),
                    "event-after-publication",
                    f"held on {r.date}, after source {q.source!r} was published "
                    f"({q.published}): if it was announced, set status: planned",
                )
                break


def _qualifier(
    ctx: Context, entry: Entry, key: PathKey, value: str | None, stated: list[Quoted]
) -> Iterator[Problem]:
    """A qualifier date must be stated by a quote or hold the source's publication date (for
    a source published within a window, overlap it: the page states things as of then)."""
    span = safe_date(value)
    if span is None:
        return
    if any(q.published is not None and _holds(span, q.published) for q in stated):
        return
    if any(date_stated(span, q.dates, q.published) for q in stated):
        return
    yield _date_problem(ctx, entry, key, value or "", stated, None)


def _holds(span: Span, published: Span) -> bool:
    if published.first == published.last:
        return span.contains(published)
    return span.first <= published.last and published.first <= span.last


def _date_problem(
    ctx: Context, entry: Entry, key: PathKey, value: str, quoted: list[Quoted], index: int | None
) -> Problem:
    stated = listed(as_read(d, q.published) for q in quoted for d in q.dates) or "no date"
    where = f"evidence {index}" if index is not None else "its evidence"
    return ctx.problem(
        entry.doc,
        (*entry.key, *key),
        "date-not-in-quote",
        f"{value} is not a date that {where} states (the quote states {stated}); quote the "
        "words that give the date, or correct it",
    )
