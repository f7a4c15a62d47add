"""Values: quantities are well formed, each claim's value has its property's type and unit,
and the number, comparator, sign, unit and currency a claim gives are the ones its quotes
state, read by the pack of the source's language."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from toolkit.core.problems import Problem, listed
from toolkit.core.text import decimal_text, fold_text
from toolkit.languages import NumberMention
from toolkit.records.load import PathKey
from toolkit.records.models import Claim, DateValue, EntityValue, Quantity, TextValue
from toolkit.validate.context import Context
from toolkit.validate.readings import (
    describe_number,
)
from toolkit.validate.rule import ERROR, Code, Entry, declare
from toolkit.validate.rules.evidence import Quoted

CODES = declare(
    "values",
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
        "Give the number the quote states, read the way the page's language writes it (`9,8 triệu` and "
        "`9.8 million` are 9800000).",
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
)


RANK = "rank"  # the unit of a place in an order: its value is an ordinal the quote states


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
    nouns: tuple[str, ...] = ()  # what its figures count or rank, folded


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
            nouns = tuple(fold_text(n) for n in r.nouns)
            out.properties[e.index] = PropertyType(str(r.value_type), r.unit, nouns)
    out.uses = sorted(uses, key=lambda u: (u.property, u.value_type, u.unit or ""))
    return out


# -- one record


def check_record(ctx: Context, entry: Entry) -> Iterator[Problem]:
    """What needs nothing outside the record: its quantity's shape (its dates: rules/dates.py)."""
    r = entry.record
    if isinstance(r, Claim) and isinstance(r.value, Quantity):
        yield from _quantity_shape(ctx, entry, r.value)


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


def property_type(ctx: Context, pid: str) -> PropertyType | None:
    """Type and unit of the property with this id, if it is a valid property."""
    where = ctx.where(pid)
    if where is None or where.kind != "properties":
        return None
    return ctx.summaries[where.display].of(ValuesPart).properties.get(where.index)


def _fits(ctx: Context, use: PropertyUse) -> bool:
    prop = property_type(ctx, use.property)
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
        prop = property_type(ctx, claim.property)
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
    if isinstance(r, Claim) and isinstance(r.value, Quantity):
        yield from _quantity(ctx, entry, r, r.value, quoted)
    elif isinstance(r, Claim) and isinstance(r.value, DateValue) and r.value.original:
        yield from original_quoted(ctx, entry, r.value.original, quoted, len(r.evidence), "date")


def _quantity(ctx: Context, entry: Entry, r: Claim, q: Quantity, stated: list[Quoted]) -> Iterator[Problem]:
    # `original` is one source's wording; each other quote must state the amount too.
    original = fold_text(q.original)
    yield from original_quoted(ctx, entry, q.original, stated, len(r.evidence), "number")
    if q.unit == RANK:
        return  # a rank is an ordinal, not a number: see rules/figures.py
    for s in stated:
        yield from _quantity_agrees(ctx, entry, s, q, original)


def original_quoted(
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


class Stated(Protocol):
    """What a recorded amount gives: a Quantity, or the figures rule's summary of one."""

    @property
    def amount(self) -> Decimal: ...
    @property
    def comparator(self) -> str: ...
    @property
    def lower(self) -> Decimal | None: ...
    @property
    def upper(self) -> Decimal | None: ...


def same_amount(mentions: list[NumberMention], q: Stated) -> list[NumberMention]:
    """The mentions that state the quantity's amount (its bounds, for a range)."""
    if q.comparator == "range":
        return [m for m in mentions if m.lower == q.lower and m.upper == q.upper]
    return [m for m in mentions if m.value == q.amount]


def stated_numbers(s: Quoted, original: str) -> tuple[list[NumberMention], bool, int]:
    """The numbers inside the recorded wording (True), or in the whole quote (False), and
    where in the quote the text they were read in starts."""
    found = s.numbers_of.get(original)
    if found is None:
        found = s.numbers_of[original] = _stated_numbers(s, original)
    return found


def _stated_numbers(s: Quoted, original: str) -> tuple[list[NumberMention], bool, int]:
    quote = s.quote
    at = quote.find(original)
    if at < 0:
        return s.read_numbers(quote), False, 0
    # Read only around it: the comparator word before, a range or multiplier after.
    # (30 characters hold the longest comparator or change word with its filler, 20 a
    # multiplier, range, percent sign or currency)
    lo, hi = max(0, at - 30), min(len(quote), at + len(original) + 20)
    inside = (at - lo, at - lo + len(original))
    words = not any(c.isdigit() for c in original)
    return s.read_numbers(quote[lo:hi], words=words, keep=inside), True, lo


def _quantity_agrees(ctx: Context, entry: Entry, s: Quoted, q: Quantity, original: str) -> Iterator[Problem]:
    key = (*entry.key, "value")
    index = s.index
    mentions, inside, _ = stated_numbers(s, original)
    wording = repr(q.original) if inside else f"the quote of evidence {index}"
    same = same_amount(mentions, q)
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


PART = ValuesPart
