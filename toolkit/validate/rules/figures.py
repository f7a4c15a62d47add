"""Figures: what a claim's number counts or ranks is what its property measures. The number
a quote states for the amount counts the property's noun (`4 ngày` is days, `40 hoạt động`
is not); a rank is an ordinal the quote states for the noun the property ranks (in `nhà đầu
tư thứ 3 và thương mại thứ 4` the investor rank is 3); a figure the page gives only as a
conversion (`tương đương`, `quy đổi`) is no figure of its own. Read by the pack of the
source's language, with the property's `nouns` and the pack's nouns for common units."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from toolkit.core.limits import MAX_QUOTE_CHARS
from toolkit.core.problems import Problem, listed
from toolkit.core.text import decimal_text, fold_text
from toolkit.languages.base import counted_noun, noun_named
from toolkit.records.models import Claim, Quantity
from toolkit.validate.context import Context
from toolkit.validate.rule import ERROR, Code, Entry, Summary, Where, declare
from toolkit.validate.rules.evidence import Quoted, Reading, TooMuchToRead
from toolkit.validate.rules.relations import RelationsPart
from toolkit.validate.rules.values import RANK, PropertyType, property_type, same_amount, stated_numbers

CODES = declare(
    "figures",
    Code(
        "unit-noun-mismatch",
        ERROR,
        "The number the quote states for the amount counts another noun than the property's unit "
        "(`40 hoạt động` is no count of days).",
        "Quote the number that counts what the property measures, use another property, or add the "
        "page's word for it to the property's `nouns`.",
    ),
    Code(
        "rank-not-in-quote",
        ERROR,
        "A rank (unit `rank`) is not an ordinal the quote states (`thứ 3`, `số một`, `lớn nhất`), or "
        "the ordinal ranks another noun than the property's `nouns`: an ordinal belongs to its noun.",
        "Give the rank the quote states for what the property ranks.",
    ),
    Code(
        "value-is-conversion",
        ERROR,
        "The amount is a figure the quote gives only as a conversion of another (`tương đương`, "
        "`quy đổi`, `equivalent to`).",
        "Record the page's own figure, in its own unit or currency.",
    ),
)
_CURRENCY = re.compile(r"^[A-Z]{3}$")


class Counted(NamedTuple):
    """A claim's figure in a unit that names what it counts or ranks, as its file's summary
    keeps it: the property's nouns are known only once every file is. (Its quotes are the
    relations part's, kept once per record.) A tuple of what the check reads, not the
    record's Quantity: a summary of 100 000 claims keeps one per claim."""

    record: int  # the claim's index in its file
    property: str
    amount: Decimal
    unit: str
    comparator: str
    lower: Decimal | None
    upper: Decimal | None
    original: str

    @classmethod
    def of(cls, record: int, prop: str, q: Quantity) -> Counted:
        return cls(record, prop, q.amount, q.unit, str(q.comparator), q.lower, q.upper, q.original)


@dataclass
class FiguresPart:
    counted: list[Counted] = field(default_factory=list)


PART = FiguresPart


def _names_a_noun(unit: str) -> bool:
    return unit not in ("percent", "%") and not _CURRENCY.match(unit)


def summarise(ctx: Context, entries: list[Entry]) -> FiguresPart:
    out = FiguresPart()
    for e in entries:
        r = e.record
        if isinstance(r, Claim) and isinstance(r.value, Quantity) and _names_a_noun(r.value.unit):
            out.counted.append(Counted.of(e.index, r.property, r.value))
    return out


# -- a conversion: the quotes alone say it


def check_quoted(ctx: Context, entry: Entry, quoted: list[Quoted]) -> Iterator[Problem]:
    r = entry.record
    if not isinstance(r, Claim) or not isinstance(r.value, Quantity) or r.value.unit == RANK:
        return
    original = fold_text(r.value.original)
    for s in quoted:
        mentions, _, lo = stated_numbers(s, original)
        same = same_amount(mentions, r.value)
        if same and all(_converted(s, lo + m.start) for m in same):
            yield ctx.problem(
                entry.doc,
                (*entry.key, "value", "amount"),
                "value-is-conversion",
                f"evidence {s.index} gives {same[0].text!r} only as a conversion of another figure: "
                "record the page's own figure",
            )


def _converted(s: Quoted, at: int) -> bool:
    return s.language.conversions.search(s.quote[max(0, at - 40) : at]) is not None


# -- what a figure counts or ranks: the property's nouns, once every file is summarised


def check(ctx: Context) -> Iterator[Problem]:
    for display, summary in ctx.summaries.items():
        counted = summary.of(FiguresPart).counted
        if not counted:
            continue
        quotes = {p.index: p.quotes for p in summary.of(RelationsPart).pointers if p.kind == "claims"}
        props = {c.property: property_type(ctx, c.property) for c in counted}
        # One verdict per file: a key per claim cost more to make and keep than the check.
        key = _verdict_key(ctx, counted, props, quotes)
        if ctx.passed("figures", display, key):
            continue
        reading = Reading()  # the file's budget of figures read, as when its quotes were found
        found: list[Problem] = []
        try:
            found.extend(_file(ctx, display, summary, counted, props, quotes, reading))
        except TooMuchToRead:
            pass  # the evidence rule reported the file's quotes as too much to read: never passed
        else:
            if not found:
                ctx.mark_passed("figures", display, key)
        yield from found  # with what was read before any budget ran out


def _file(
    ctx: Context,
    display: str,
    summary: Summary,
    counted: list[Counted],
    props: dict[str, PropertyType | None],
    quotes: dict[int, tuple[tuple[str, str, bool], ...]],
    reading: Reading,
) -> Iterator[Problem]:
    for c in counted:
        prop = props[c.property]
        if prop is None or prop.unit != c.unit:
            continue  # the identity and values rules report it
        said = tuple((source, quote) for source, quote, _ in quotes.get(c.record, ()))
        where = Where(display, "claims", c.record, summary.in_list)
        check = _rank if c.unit == RANK else _counted
        yield from check(ctx, where, c, prop, _quotes(ctx, said, reading))


def _verdict_key(
    ctx: Context,
    counted: list[Counted],
    props: dict[str, PropertyType | None],
    quotes: dict[int, tuple[tuple[str, str, bool], ...]],
) -> str:
    """What a file's verdict depends on: its counted figures and their quotes, the
    properties they use, and the texts of the sources quoted."""
    said = [quotes.get(c.record) for c in counted]
    cited = {s for q in said for s, *_ in q or ()}
    sources = sorted((s, ctx.sources[s].fingerprint if s in ctx.sources else "") for s in cited)
    return hashlib.sha256(repr((counted, sorted(props.items()), said, sources)).encode()).hexdigest()


def _quotes(ctx: Context, said: tuple[tuple[str, str], ...], reading: Reading) -> list[Quoted]:
    """The claim's quotes whose source a pack reads, folded as the quote rules fold them
    (a quote over the length limit is the evidence rule's to report, and is not read)."""
    return [
        Quoted(i, source, fold_text(quote), info.published, info.language, reading)
        for i, (source, quote) in enumerate(said)
        if (info := ctx.sources.get(source)) is not None
        and info.language is not None
        and len(quote) <= MAX_QUOTE_CHARS
    ]


def _counted(
    ctx: Context, where: Where, c: Counted, prop: PropertyType, quoted: list[Quoted]
) -> Iterator[Problem]:
    """Some number stating the amount counts one of the unit's nouns, or nothing named."""
    original = fold_text(c.original)
    for s in quoted:
        nouns = (*prop.nouns, *s.language.unit_nouns.get(c.unit, ()))
        if not nouns:
            continue
        mentions, _, lo = stated_numbers(s, original)
        same = [m for m in same_amount(mentions, c) if not (m.percent or m.currency)]
        if not same or any(counted_noun(s.quote, lo + m.end, nouns) is not False for m in same):
            continue
        word = " ".join(s.quote[lo + same[0].end :].split()[:2])
        yield ctx.problem_at(
            where,
            ("value", "unit"),
            "unit-noun-mismatch",
            f"evidence {s.index} states {same[0].text!r} of {word!r}, not of {c.unit!r} "
            f"(looked for {listed(repr(n) for n in nouns)} after the number)",
        )


def _rank(
    ctx: Context, where: Where, c: Counted, prop: PropertyType, quoted: list[Quoted]
) -> Iterator[Problem]:
    """Each quote states the rank as an ordinal of the property's noun."""
    original = fold_text(c.original)
    for s in quoted:
        ranks = s.read_ranks(s.quote)
        at = s.quote.find(original)
        if at >= 0:  # the recorded wording picks the ordinal, when it holds one
            ranks = [r for r in ranks if r.start < at + len(original) and at < r.end] or ranks
        same = [r for r in ranks if r.value == c.amount]
        nouns = prop.nouns
        if any(not nouns or noun_named(s.quote[r.noun_start : r.noun_end], nouns) for r in same):
            continue
        read = listed(f"{r.text!r} of {s.quote[r.noun_start : r.noun_end]!r}" for r in ranks) or "no rank"
        why = f"it ranks none of {listed(repr(n) for n in nouns)}" if same else "no ordinal states it"
        yield ctx.problem_at(
            where,
            ("value", "amount"),
            "rank-not-in-quote",
            f"rank {decimal_text(c.amount)} is not what evidence {s.index} states ({why}; read {read})",
        )
