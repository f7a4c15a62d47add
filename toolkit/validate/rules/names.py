"""Names: a person's, organization's or place's name (or an alias) is written in a source
body that a record about it cites, so names are as written, not as remembered."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from toolkit.core.problems import Problem
from toolkit.core.text import fold_text
from toolkit.records.models import ACTOR_KINDS, EVIDENCED_KINDS
from toolkit.validate.context import Context
from toolkit.validate.rule import ERROR, Code, Entry, Where, declare
from toolkit.validate.rules.identity import refs

CODES = declare(
    "names",
    Code(
        "name-not-in-sources",
        ERROR,
        "A name is written in none of the sources its records cite (in no source at all, if none cites it).",
        "Give the name as the article writes it, or add that spelling to `aliases`.",
    ),
)


@dataclass(frozen=True)
class Named:
    kind: str
    index: int
    id: str
    name: str
    aliases: tuple[str, ...]


@dataclass
class NamesPart:
    """The names a file defines, and which sources its records cite each entity from."""

    names: list[Named] = field(default_factory=list)
    cites: dict[str, list[str]] = field(default_factory=dict)


def summarise(ctx: Context, entries: list[Entry]) -> NamesPart:
    out = NamesPart()
    cites: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        r = e.record
        if r is None:
            continue
        if e.kind in EVIDENCED_KINDS:
            sources = {ev.source for ev in r.evidence}
            # The people, organizations and places it names are cited from these sources.
            for _, ref, kinds in refs(r):
                if not set(ACTOR_KINDS).isdisjoint(kinds):
                    cites[ref].update(sources)
        elif e.kind in ACTOR_KINDS:
            out.names.append(Named(e.kind, e.index, r.id, r.name, tuple(r.aliases)))
    out.cites = {k: sorted(v) for k, v in sorted(cites.items())}
    return out


def check(ctx: Context) -> Iterator[Problem]:
    cited: dict[str, set[str]] = defaultdict(set)
    for summary in ctx.summaries.values():
        for entity, sources in summary.of(NamesPart).cites.items():
            cited[entity].update(sources)
    bodies: dict[str, str] = {}

    def body(source_id: str) -> str:
        """The folded article body, made only when a name's verdict is not cached."""
        if source_id not in bodies:
            text = ctx.text(source_id)
            assert text is not None
            keep = ctx.sources[source_id].body
            lines = text.text.split("\n")
            bodies[source_id] = fold_text("\n".join(x for i, x in enumerate(lines, 1) if i in keep))
        return bodies[source_id]

    usable = {sid for sid, info in ctx.sources.items() if info.path is not None}
    everywhere = sorted(usable)
    for kind in ACTOR_KINDS:
        for display, summary in ctx.summaries.items():
            for named in summary.of(NamesPart).names:
                if named.kind != kind:
                    continue
                where = [s for s in sorted(cited.get(named.id) or everywhere) if s in usable]
                if not where:
                    continue
                names = [fold_text(n) for n in (named.name, *named.aliases)]
                read = "\0".join([*names, *where, *(ctx.sources[s].fingerprint for s in where)])
                key = hashlib.sha256(read.encode()).hexdigest()
                if ctx.passed("names", named.id, key):
                    continue
                if any(n in body(s) for n in names for s in where):
                    ctx.mark_passed("names", named.id, key)
                    continue
                scope = "the sources its records cite" if cited.get(named.id) else "any source"
                yield ctx.problem_at(
                    Where(display, kind, named.index, summary.in_list),
                    ("name",),
                    "name-not-in-sources",
                    f"{named.name!r} is not written in {scope}: give the name as the article writes "
                    "it, or add that spelling to aliases",
                )


PART = NamesPart
