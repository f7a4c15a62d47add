"""Values: dates are real calendar dates, quantities are well formed, each claim's value
has its property's type and unit, and the number, comparator, unit and dates a record gives
are the ones its quotes state, read the Vietnamese way."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from toolkit.core import dates
from toolkit.core.dates import InvalidDate, Span
from toolkit.core.problems import Problem, listed
from toolkit.core.text import decimal_text, fold_text
from toolkit.languages import DateMention, NumberMention
from toolkit.records.load import PathKey
from toolkit.records.models import Claim, DateValue, EntityValue, Event, Position, Quantity, TextValue
from toolkit.validate.context import Context
from toolkit.validate.rule import ERROR, Code, Entry, declare
from toolkit.validate.rules.evidence import Quoted

CODES = declare(
    "values",
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
        "range-invalid",
        ERROR,
        "A quantity's bounds are missing (a range needs lower and upper), reversed, or exclude its amount.",
        "Give lower ≤ amount ≤ upper.",
    ),
    Code(
        "value-type-mismatch",
        ERROR,
        "A claim's value is not of the type its property takes (a date where a quantity is needed).",
        "Give a value of the property's type, or use another property.",
    ),
    Code(
        "unit-mismatch",
        ERROR,
        "A quantity's unit is not its property's, or says percent where the quote has no "
        "percentage (or the reverse).",
        "Use the property's unit; `percent` exactly when the quote states a percentage.",
    ),
    Code(
        "amount-not-in-quote",
        ERROR,
        "The amount is not a number the quote states.",
        "Give the number the quote states (read the Vietnamese way: `9,8 triệu` is 9800000).",
    ),
    Code(
        "sign-mismatch",
        ERROR,
        "The quote states a change (`giảm 4%` is −4, `tăng 4%` +4) and the amount has the other "
        "sign, or none.",
        "A change is a signed amount: give it with the sign the wording states.",
    ),
    Code(
        "comparator-mismatch",
        ERROR,
        "The comparator disagrees with the quote's wording (`khoảng` is about, `hơn` more than …).",
        "Use the comparator the wording gives.",
    ),
    Code(
        "original-not-in-quote",
        ERROR,
        "The value's `original` wording is in none of its evidence quotes.",
        "Copy the source's own wording of the value into `original`.",
    ),
    Code(
        "date-not-in-quote",
        ERROR,
        "A date the record gives is not one its quotes state.",
        "Quote the words that give the date, or correct the date.",
    ),
    Code(
        "event-after-publication",
        ERROR,
        "An event said to be held is dated after its source was published.",
        "If it was announced, set `status: planned`.",
    ),
)


@dataclass(frozen=True)
class PropertyUse:
    """A claim's property with the type and unit of its value."""

    property: str
    value_type: str
    unit: str | None


@dataclass(frozen=True)
class PropertyType:
    value_type: str
    unit: str | None


@dataclass
class ValuesPart:
    """The properties a file's claims use and the property definitions it holds (by index)."""

    uses: list[PropertyUse] = field(default_factory=list)
    properties: dict[int, PropertyType] = field(default_factory=dict)


def value_type(value: object) -> str:
    if isinstance(value, Quantity):
        return "quantity"
    if isinstance(value, DateValue):
        return "date"
    if isinstance(value, EntityValue):
        return "entity"
    assert isinstance(value, TextValue)
    return "text"


def summarise(ctx: Context, entries: list[Entry]) -> ValuesPart:
    uses: set[PropertyUse] = set()
    out = ValuesPart()
    for e in entries:
        r = e.record
        if isinstance(r, Claim):
            unit = r.value.unit if isinstance(r.value, Quantity) else None
            uses.add(PropertyUse(r.property, value_type(r.value), unit))
        elif e.kind == "properties" and r is not None:
            out.properties[e.index] = PropertyType(str(r.value_type), r.unit)
    out.uses = sorted(uses, key=lambda u: (u.property, u.value_type, u.unit or ""))
    return out


# -- one record


def check_record(ctx: Context, entry: Entry) -> Iterator[Problem]:
    """What needs nothing outside the record: its dates and its quantity's shape."""
    r = entry.record
    if isinstance(r, Position):
        yield from _date_field(ctx, entry, ("as_of",), r.as_of)
    elif isinstance(r, Event):
        yield from _date_field(ctx, entry, ("date",), r.date, ranged=True)
    elif isinstance(r, Claim):
        yield from _date_field(ctx, entry, ("point_in_time",), r.point_in_time)
        if isinstance(r.value, DateValue):
            yield from _date_field(ctx, entry, ("value", "date"), r.value.date, ranged=True)
        if isinstance(r.value, Quantity):
            yield from _quantity_shape(ctx, entry, r.value)
        if r.period is not None:
            start, end = safe_date(r.period.start), safe_date(r.period.end)
            yield from _date_field(ctx, entry, ("period", "start"), r.period.start)
            yield from _date_field(ctx, entry, ("period", "end"), r.period.end)
            if start and end and end.last < start.first:
                yield ctx.problem(
                    entry.doc,
                    (*entry.key, "period"),
                    "date-range-order",
                    f"period ends ({r.period.end}) before it starts ({r.period.start})",
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


def _quantity_shape(ctx: Context, entry: Entry, q: Quantity) -> Iterator[Problem]:
    key = (*entry.key, "value")
    if q.comparator == "range" and (q.lower is None or q.upper is None):
        yield ctx.problem(entry.doc, key, "range-invalid", "a range needs lower and upper")
        return
    if q.lower is not None and q.upper is not None and q.upper < q.lower:
        yield ctx.problem(entry.doc, key, "range-invalid", f"upper {q.upper} is below lower {q.lower}")
    elif (q.lower is not None and q.amount < q.lower) or (q.upper is not None and q.amount > q.upper):
        yield ctx.problem(entry.doc, key, "range-invalid", f"amount {q.amount} lies outside its bounds")


# -- the whole project: properties


def _property(ctx: Context, pid: str) -> PropertyType | None:
    """Type and unit of the property with this id, if it is a valid property."""
    where = ctx.where(pid)
    if where is None or where.kind != "properties":
        return None
    return ctx.summaries[where.display].of(ValuesPart).properties.get(where.index)


def _fits(ctx: Context, use: PropertyUse) -> bool:
    prop = _property(ctx, use.property)
    return prop is None or (
        use.value_type == prop.value_type
        and not (use.unit is not None and prop.unit and use.unit != prop.unit)
    )


def check(ctx: Context) -> Iterator[Problem]:
    for display in ctx.summarised():
        if not all(_fits(ctx, use) for use in ctx.summaries[display].of(ValuesPart).uses):
            ctx.promote(display)
    for entry in ctx.entries("claims"):
        claim: Claim = entry.record
        prop = _property(ctx, claim.property)
        if prop is None:
            continue
        actual = value_type(claim.value)
        if actual != prop.value_type:
            yield ctx.problem(
                entry.doc,
                (*entry.key, "value"),
                "value-type-mismatch",
                f"property {claim.property!r} takes a {prop.value_type} value, not a {actual}",
            )
        elif isinstance(claim.value, Quantity) and prop.unit and claim.value.unit != prop.unit:
            yield ctx.problem(
                entry.doc,
                (*entry.key, "value", "unit"),
                "unit-mismatch",
                f"property {claim.property!r} is measured in {prop.unit!r}, not {claim.value.unit!r}",
            )


# -- what the quotes state


def check_quoted(ctx: Context, entry: Entry, quoted: list[Quoted]) -> Iterator[Problem]:
    r = entry.record
    if isinstance(r, Claim):
        if isinstance(r.value, Quantity):
            yield from _quantity(ctx, entry, r, r.value, quoted)
        elif isinstance(r.value, DateValue):
            yield from _date_original(ctx, entry, r.value, quoted, len(r.evidence))
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
    elif isinstance(r, Event) and r.date is not None:
        yield from _event_date(ctx, entry, r, quoted)


def _quantity(ctx: Context, entry: Entry, r: Claim, q: Quantity, stated: list[Quoted]) -> Iterator[Problem]:
    # `original` is one source's wording; each other quote must state the amount too.
    original = fold_text(q.original)
    yield from _original_quoted(ctx, entry, q.original, stated, len(r.evidence), "number")
    for s in stated:
        yield from _quantity_agrees(ctx, entry, s, q, original)


def _date_original(
    ctx: Context, entry: Entry, value: DateValue, stated: list[Quoted], evidence: int
) -> Iterator[Problem]:
    if value.original:
        yield from _original_quoted(ctx, entry, value.original, stated, evidence, "date")


def _original_quoted(
    ctx: Context, entry: Entry, original: str, stated: list[Quoted], evidence: int, what: str
) -> Iterator[Problem]:
    """`original` is one source's wording of the value: some quote must hold it (when every
    quote was found)."""
    folded = fold_text(original)
    if len(stated) == evidence and not any(folded in s.quote for s in stated):
        yield ctx.problem(
            entry.doc,
            (*entry.key, "value", "original"),
            "original-not-in-quote",
            f"{original!r} is in no evidence quote: `original` keeps the source's own wording of the {what}",
        )


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
    stated = listed(_as_read(d, q.published) for q in quoted for d in q.dates) or "no date"
    where = f"evidence {index}" if index is not None else "its evidence"
    return ctx.problem(
        entry.doc,
        (*entry.key, *key),
        "date-not-in-quote",
        f"{value} is not a date that {where} states (the quote states {stated}); quote the "
        "words that give the date, or correct it",
    )


def _as_read(m: DateMention, published: Span | None) -> str:
    """A mention as the validator read it, saying where a year it lacks came from."""
    if m.year is not None or published is None:
        return describe_date(m)
    years = inferred_years(m, published, published.first.year)
    if not years:
        return describe_date(m)
    year = years[-1] if published.first == published.last else years[0]
    window = "was published" if published.first == published.last else "was published within"
    return f"{m.text!r} = {_span(m, year)}, as the page gives no year and {window} {published}"


def _mentions(s: Quoted, original: str) -> tuple[list[NumberMention], bool]:
    """The numbers inside the recorded wording (True), or in the whole quote (False)."""
    quote = s.quote
    at = quote.find(original)
    if at < 0:
        return s.read_numbers(quote), False
    # Read only around it: the comparator word before, a range or multiplier after.
    # (30 characters hold the longest comparator or change word with its filler, 20 a
    # multiplier, range, percent sign or currency)
    lo, hi = max(0, at - 30), min(len(quote), at + len(original) + 20)
    inside = (at - lo, at - lo + len(original))
    return s.read_numbers(quote[lo:hi], words=not any(c.isdigit() for c in original), keep=inside), True


def _quantity_agrees(ctx: Context, entry: Entry, s: Quoted, q: Quantity, original: str) -> Iterator[Problem]:
    key = (*entry.key, "value")
    index = s.index
    mentions, inside = _mentions(s, original)
    wording = repr(q.original) if inside else f"the quote of evidence {index}"
    if q.comparator == "range":
        same = [m for m in mentions if m.lower == q.lower and m.upper == q.upper]
    else:
        same = [m for m in mentions if m.value == q.amount]
    if not same:
        flipped = [m for m in mentions if m.signed and abs(m.value) == abs(q.amount)]
        if flipped and q.comparator != "range":
            stated = describe_number(flipped[0])
            yield ctx.problem(
                entry.doc,
                (*key, "amount"),
                "sign-mismatch",
                f"{wording} states a change of {stated}, not {decimal_text(q.amount)}: "
                "a change is a signed amount",
            )
            return
        read = listed(describe_number(m) for m in mentions) or "no number"
        wanted = f"{q.lower}-{q.upper}" if q.comparator == "range" else decimal_text(q.amount)
        yield ctx.problem(
            entry.doc,
            (*key, "amount"),
            "amount-not-in-quote",
            f"{wanted} is not what {wording} states (read as {read})",
        )
        return
    yield from _currency(ctx, key, entry, q, same, wording)
    if not any(m.comparator == q.comparator for m in same):
        yield ctx.problem(
            entry.doc,
            (*key, "comparator"),
            "comparator-mismatch",
            f"comparator {str(q.comparator)!r} disagrees with the wording of {wording} "
            f"(read as {str(same[0].comparator)!r})",
        )
    percent_unit = q.unit in ("percent", "%")
    if any(m.percent for m in same) != percent_unit:
        yield ctx.problem(
            entry.doc,
            (*key, "unit"),
            "unit-mismatch",
            "the quote states a percentage: use unit 'percent'"
            if not percent_unit
            else "unit 'percent' but the quote states no percentage",
        )


def _currency(
    ctx: Context, key: PathKey, entry: Entry, q: Quantity, same: list[NumberMention], wording: str
) -> Iterator[Problem]:
    """A figure the quote gives in a currency (`100 tỷ Yên`) is in that currency's ISO code."""
    stated = sorted({m.currency for m in same if m.currency})
    if stated and q.unit not in stated:
        yield ctx.problem(
            entry.doc,
            (*key, "unit"),
            "unit-mismatch",
            f"{wording} gives the figure in {' or '.join(stated)}, not {q.unit!r}: money takes the ISO 4217 "
            "code of the currency the page names (Yên JPY, đồng VND, đô la USD)",
        )


# -- dates as stated


def _span(mention: DateMention, year: int | None = None) -> Span | None:
    try:
        return mention.span(year)
    except (InvalidDate, ValueError):
        return None


def _stated_spans(mention: DateMention, year: int | None = None) -> list[Span]:
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
            if span in _stated_spans(m):
                return True
            continue
        if any(span in _stated_spans(m, year) for year in inferred_years(m, published, span.first.year)):
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
        found = _span(m, year)
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
    return f"{m.text!r} = {_span(m)}"


def describe_number(m: NumberMention) -> str:
    """A number as read: `9800000 (about)`, `15-20`, `70%`."""
    if m.comparator == "range":
        return f"{decimal_text(m.lower or Decimal(0))}-{decimal_text(m.upper or Decimal(0))}"
    word = "" if m.comparator == "exact" else f" ({m.comparator})"
    sign = "+" if m.signed and m.value > 0 else ""
    return f"{sign}{decimal_text(m.value)}{'%' if m.percent else ''}{word}"


PART = ValuesPart
