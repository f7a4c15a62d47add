"""Conflicts and duplicates: claims of one subject, property and time must agree, or one of
them be ranked preferred or deprecated; one fact is one claim, with a second source as a
second evidence item, not a copy.

A group inside one file is judged when the file is parsed (its summary keeps the verdict);
only a group across files needs its files parsed on a later run."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from toolkit.core.problems import Problem
from toolkit.core.text import decimal_text, fold_text
from toolkit.records.models import Claim, DateValue, EntityValue, Quantity
from toolkit.validate.context import Context
from toolkit.validate.rule import WARNING, Code, Entry, declare

CODES = declare(
    "conflicts",
    Code(
        "conflict",
        WARNING,
        "Two sources give different values for one subject, property and time.",
        "Rank one claim preferred or deprecated, with a reason (never delete it).",
    ),
    Code(
        "duplicate-claim",
        WARNING,
        "Two claims state the same fact.",
        "Move the second claim's evidence into the first and delete the second.",
    ),
    Code(
        "duplicate-position",
        WARNING,
        "Two positions record the same post of the same person (same organization, title and status).",
        "Keep one record and give it the other's evidence (`toolkit cite`).",
    ),
)


@dataclass
class ConflictsPart:
    """The file's groups of claims that could conflict, and its verdicts on local groups."""

    groups: dict[str, int] = field(default_factory=dict)  # claims per (subject, property, when)
    ranked: list[str] = field(default_factory=list)  # groups with a preferred or deprecated claim
    verdicts: dict[str, list[Problem]] = field(default_factory=dict)  # local group -> its problems
    posts: dict[str, int] = field(default_factory=dict)  # positions per (person, organization, title)
    post_verdicts: dict[str, list[Problem]] = field(default_factory=dict)  # local duplicates


def group_of(claim: Claim) -> str:
    """Claims about the same subject, property and time: the ones that can conflict."""
    when = claim.point_in_time or (f"{claim.period.start}/{claim.period.end}" if claim.period else "")
    return f"{claim.subject}\t{claim.property}\t{when}"


def post_of(position: Any) -> str:
    """Positions that record the same post: person, organization, title as written, status."""
    title = fold_text(position.title).casefold()
    return f"{position.person}\t{position.organization or ''}\t{title}\t{position.status}"


def value_key(value: Any) -> str:
    if isinstance(value, Quantity):
        extra = f" {value.comparator}" if value.comparator != "exact" else ""
        return f"{decimal_text(value.amount)} {value.unit}{extra}"
    if isinstance(value, DateValue):
        return value.date
    if isinstance(value, EntityValue):
        return value.entity
    return fold_text(value.text)


def summarise(ctx: Context, entries: list[Entry]) -> ConflictsPart:
    out = ConflictsPart()
    members: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        if e.kind == "claims" and e.record is not None:
            group = group_of(e.record)
            members[group].append(e)
            out.groups[group] = out.groups.get(group, 0) + 1
            if e.record.rank != "normal" and group not in out.ranked:
                out.ranked.append(group)
    for group, found in members.items():
        if len(found) > 1 and all(m.record.rank == "normal" for m in found):
            out.verdicts[group] = list(_judge(ctx, found))
    posts: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        if e.kind == "positions" and e.record is not None:
            posts[post_of(e.record)].append(e)
    out.posts = {key: len(found) for key, found in posts.items()}
    out.post_verdicts = {key: list(_same_post(ctx, found)) for key, found in posts.items() if len(found) > 1}
    return out


def check(ctx: Context) -> Iterator[Problem]:
    spanning = _spanning(ctx, lambda part: part.groups)  # groups with claims in more than one file
    ranked = {group for summary in ctx.summaries.values() for group in summary.of(ConflictsPart).ranked}
    for display, summary in ctx.summaries.items():
        part = summary.of(ConflictsPart)
        for group, problems in part.verdicts.items():
            if group not in spanning:
                yield from problems
        if not spanning.isdisjoint(part.groups) and not spanning.intersection(part.groups) <= ranked:
            ctx.promote(display)
    spanning -= ranked
    groups: dict[str, list[Entry]] = defaultdict(list)
    for entry in ctx.entries("claims"):
        group = group_of(entry.record)
        if group in spanning:
            groups[group].append(entry)
    for entries in groups.values():
        yield from _judge(ctx, _in_file_order(entries))
    yield from _posts(ctx)


def _spanning(ctx: Context, keys: Callable[[ConflictsPart], Iterable[str]]) -> set[str]:
    """The keys (groups of claims, posts) that more than one file's summary has."""
    seen: set[str] = set()
    spanning: set[str] = set()
    for summary in ctx.summaries.values():
        mine = set(keys(summary.of(ConflictsPart)))
        spanning |= seen & mine
        seen |= mine
    return spanning


def _in_file_order(entries: list[Entry]) -> list[Entry]:
    """File order, however the files came to be parsed (cached files are parsed late)."""
    return sorted(entries, key=lambda e: (e.doc.display, e.index))


def _posts(ctx: Context) -> Iterator[Problem]:
    """The same post in two files is judged with both parsed; within a file, by its summary."""
    spanning = _spanning(ctx, lambda part: part.posts)
    for display, summary in ctx.summaries.items():
        part = summary.of(ConflictsPart)
        for key, problems in part.post_verdicts.items():
            if key not in spanning:
                yield from problems
        if not spanning.isdisjoint(part.posts):
            ctx.promote(display)
    posts: dict[str, list[Entry]] = defaultdict(list)
    for entry in ctx.entries("positions"):
        key = post_of(entry.record)
        if key in spanning:
            posts[key].append(entry)
    for found in posts.values():
        yield from _same_post(ctx, _in_file_order(found))


def _same_post(ctx: Context, found: list[Entry]) -> Iterator[Problem]:
    for e in found[1:]:
        yield ctx.problem(
            e.doc,
            (*e.key, "id"),
            "duplicate-position",
            f"records the post that position {found[0].id!r} ({found[0].at()}) records: keep one "
            "and give it this one's evidence",
        )


def _judge(ctx: Context, entries: list[Entry]) -> Iterator[Problem]:
    subject, prop = entries[0].record.subject, entries[0].record.property
    values: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        values[value_key(e.record.value)].append(e)
    for same in values.values():
        for e in same[1:]:
            yield ctx.problem(
                e.doc,
                (*e.key, "id"),
                "duplicate-claim",
                f"states what claim {same[0].id!r} ({same[0].at()}) states: move its evidence there "
                "and delete this one",
            )
    if len(values) < 2:
        return
    for e in entries:
        mine = value_key(e.record.value)
        sources = {ev.source for ev in e.record.evidence}
        others = [
            o
            for o in entries
            if value_key(o.record.value) != mine and not sources & {ev.source for ev in o.record.evidence}
        ]
        if others:
            other = others[0]
            yield ctx.problem(
                e.doc,
                (*e.key, "value"),
                "conflict",
                f"{subject} {prop}: {mine} here, but {value_key(other.record.value)} in claim "
                f"{other.id!r} ({other.at()}) from another source: rank one preferred or "
                "deprecated with a reason",
            )


PART = ConflictsPart
