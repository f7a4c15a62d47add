"""Wording: what a record says must be what its quotes say. A text value and a position's
title are written in a quote; a former post is said to be former; a hedged figure (`dự kiến`,
`có thể`, `sẽ`) is recorded with its modality; a claim dated after its source was published
is an expectation or a plan, not a fact."""

from __future__ import annotations

import re
from collections.abc import Iterator

from toolkit.core.problems import Problem
from toolkit.core.text import fold_text
from toolkit.languages import Language
from toolkit.records.models import Claim, DateValue, Position, Quantity, TextValue
from toolkit.validate.context import Context
from toolkit.validate.readings import safe_date, safe_range
from toolkit.validate.rule import ERROR, WARNING, Code, Entry, declare
from toolkit.validate.rules.evidence import Quoted

CODES = declare(
    "wording",
    Code(
        "text-not-in-quote",
        ERROR,
        "A text value is written in none of its evidence quotes.",
        "Give the value in the source's words (the quote must contain it).",
    ),
    Code(
        "title-not-in-quote",
        ERROR,
        "A position's title is not written as such in any of its quotes.",
        "Copy the title as the page writes it (Phó Chủ tịch, not Phó chủ tịch UBND).",
    ),
    Code(
        "post-ended-current",
        ERROR,
        "A post recorded as current ended (`until`) before its source was published.",
        "Set `status: former`: the page states a post that had ended.",
    ),
    Code(
        "former-unsupported",
        ERROR,
        "A position is recorded as former, but no quote says so (`nguyên`, `cựu`, `từng`) and no "
        "end date is given.",
        "Quote the words that make the post former, give `until`, or record it as current.",
    ),
    Code(
        "modality-missing",
        ERROR,
        "The quote hedges the figure (dự kiến, có thể, sẽ, kỳ vọng, mục tiêu …) but the claim "
        "records it as a plain fact.",
        "Set `modality: expected` (a forecast or hope) or `modality: planned` (what is set to happen).",
    ),
    Code(
        "modality-unsupported",
        WARNING,
        "The claim has a modality, but none of its quotes hedges the value.",
        "Quote the hedging words, or drop `modality` if the source states a fact.",
    ),
    Code(
        "statistic-missing",
        ERROR,
        "The quote gives the figure as an average (bình quân, trung bình) but the claim records a "
        "plain amount.",
        "Set `statistic: average` and say so in statement_en.",
    ),
    Code(
        "statistic-unsupported",
        ERROR,
        "The claim records an average, but no quote says the figure is one.",
        "Drop `statistic`, or quote the words that make it an average.",
    ),
    Code(
        "date-after-publication",
        ERROR,
        "A claim is dated after its source was published but is recorded as a plain fact.",
        "Set `modality: planned` or `expected`, or correct the date.",
    ),
)

_SENTENCE_END = re.compile(r"[.;!?]\s")


def check_quoted(ctx: Context, entry: Entry, quoted: list[Quoted]) -> Iterator[Problem]:
    r = entry.record
    if isinstance(r, Position):
        yield from _position(ctx, entry, r, quoted)
    elif isinstance(r, Claim):
        if isinstance(r.value, TextValue) and len(quoted) == len(r.evidence):
            text = fold_text(r.value.text)
            if not any(text.casefold() in q.quote.casefold() for q in quoted):
                yield ctx.problem(
                    entry.doc,
                    (*entry.key, "value", "text"),
                    "text-not-in-quote",
                    f"{r.value.text!r} is in no evidence quote: a text value is the source's own words",
                )
        yield from _modality(ctx, entry, r, quoted)
        if isinstance(r.value, Quantity):
            yield from _statistic(ctx, entry, r, r.value, quoted)


def _statistic(ctx: Context, entry: Entry, r: Claim, q: Quantity, quoted: list[Quoted]) -> Iterator[Problem]:
    """`bình quân mỗi năm … 15-20 đoàn` is an average; recorded as a plain amount it overstates."""
    said = [_before(q.quote, _value_at(r, q.quote), q.language.averages) for q in quoted]
    if q.statistic is None and said and all(said):
        yield ctx.problem(
            entry.doc,
            (*entry.key, "value"),
            "statistic-missing",
            "the quote gives this figure as an average (bình quân, trung bình): set statistic: average",
        )
    elif q.statistic is not None and not any(s.language.averages.search(s.quote) for s in quoted):
        yield ctx.problem(
            entry.doc,
            (*entry.key, "value", "statistic"),
            "statistic-unsupported",
            "no quote says this figure is an average: drop statistic or quote the words that do",
        )


def _position(ctx: Context, entry: Entry, r: Position, quoted: list[Quoted]) -> Iterator[Problem]:
    if len(quoted) != len(r.evidence):
        return  # a quote not found was reported already
    title = fold_text(r.title)
    if not any(title in q.quote for q in quoted):
        yield ctx.problem(
            entry.doc,
            (*entry.key, "title"),
            "title-not-in-quote",
            f"{r.title!r} is not written in any of its quotes: a title is recorded as the page writes it",
        )
    until = safe_date(r.until)
    published = [q.published for q in quoted if q.published is not None]
    if r.status == "current" and until and published and until.last < min(p.first for p in published):
        yield ctx.problem(
            entry.doc,
            (*entry.key, "status"),
            "post-ended-current",
            f"the post ended ({r.until}) before the source was published: set status: former",
        )
    if (
        r.status == "former"
        and r.until is None
        and not any(q.language.former.search(q.quote) for q in quoted)
    ):
        yield ctx.problem(
            entry.doc,
            (*entry.key, "status"),
            "former-unsupported",
            "recorded as former, but no quote says so (nguyên, cựu, từng): quote those words or give `until`",
        )


def hedged(lang: Language, quote: str, at: int | None) -> bool:
    """Does the sentence hedge the value at `at` (or, with no position, anywhere)? Only words
    before the value count: `88% doanh nghiệp kỳ vọng …` states 88% as a fact."""
    return _before(quote, at, lang.hedges)


def _before(quote: str, at: int | None, words: re.Pattern[str]) -> bool:
    """Do `words` stand before position `at` in its sentence (anywhere, with no position)?"""
    if at is None:
        return bool(words.search(quote))
    before = quote[max(0, at - 80) : at]
    ends = list(_SENTENCE_END.finditer(before))
    if ends:
        before = before[ends[-1].end() :]
    return bool(words.search(before))


def _value_at(r: Claim, quote: str) -> int | None:
    original = getattr(r.value, "original", None)
    if original:
        found = quote.find(fold_text(original))
        return found if found >= 0 else None
    return None


def _modality(ctx: Context, entry: Entry, r: Claim, quoted: list[Quoted]) -> Iterator[Problem]:
    if isinstance(r.value, (Quantity, DateValue)):
        hedges = [hedged(q.language, q.quote, _value_at(r, q.quote)) for q in quoted]
    else:
        hedges = [hedged(q.language, q.quote, None) for q in quoted]
    if r.modality is None and isinstance(r.value, Quantity) and hedges and all(hedges):
        yield ctx.problem(
            entry.doc,
            (*entry.key, "value"),
            "modality-missing",
            "the quote hedges this figure (dự kiến, có thể, sẽ …): set modality: expected or planned",
        )
    elif r.modality is not None and not any(hedged(q.language, q.quote, None) for q in quoted):
        yield ctx.problem(
            entry.doc,
            (*entry.key, "modality"),
            "modality-unsupported",
            f"modality {str(r.modality)!r}, but no quote hedges the value: drop it if the source "
            "states a fact",
        )
    if r.modality is None:
        yield from _after_publication(ctx, entry, r, quoted)


def _after_publication(ctx: Context, entry: Entry, r: Claim, quoted: list[Quoted]) -> Iterator[Problem]:
    published = [q.published for q in quoted if q.published is not None]
    if not published:
        return
    window = max(published, key=lambda p: p.last)
    latest = window.last
    for key, span in (
        (("point_in_time",), safe_date(r.point_in_time)),
        (("value", "date"), safe_range(r.value.date) if isinstance(r.value, DateValue) else None),
    ):
        if span is not None and span.first > latest:
            yield ctx.problem(
                entry.doc,
                (*entry.key, *key),
                "date-after-publication",
                f"{span} comes after the source was published ({window}): a claim about what has not "
                "happened yet is expected or planned; set modality",
            )
