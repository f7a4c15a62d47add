"""Relations: every record a fact points at is named in its evidence, not inferred.

A post's holder and body, an event's place, organizers, chairs and participants, a claim's
subject, a statement's organization, an attribution (`according_to`) and a parent event are
each named — by name, English name, alias, or a title and part of a person's name (`Thủ
tướng Kishida` for Kishida Fumio) — where the page states the relation: in a quote of the
record, or for an event as subject and for a parent, in a paragraph one of that event's quotes
comes from. An organizer is named with an organizing word in the same sentence, a chair with a
chairing word (`hỗ trợ` is support, not organizing). Evidence found only in a photo caption
says so (`caption: true`). Names are folded as the quote locator folds text."""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from sys import intern
from typing import Any

from toolkit.core.problems import Problem
from toolkit.core.text import fold_text
from toolkit.languages import Language
from toolkit.records.load import PathKey
from toolkit.records.models import EVIDENCED_KINDS, Claim, Event, Position, Statement
from toolkit.validate.context import Context
from toolkit.validate.names import names_in, previous_line
from toolkit.validate.rule import ERROR, Code, Entry, Where, declare

CODES = declare(
    "relations",
    Code(
        "relation-unquoted",
        ERROR,
        "A record points at a person, organization, place or event that none of its quotes names "
        "(a venue from the organizer's city, a holder from the next paragraph).",
        "Quote the words that name it — add a quote where the page names it — or drop the reference.",
    ),
    Code(
        "role-unstated",
        ERROR,
        "An organizer or chair is named, but no organizing (chairing) word stands in the same sentence.",
        "Quote the sentence that says who organized (tổ chức, đăng cai) or chaired (chủ trì) it; "
        "one who supports (hỗ trợ) or attends takes part.",
    ),
    Code(
        "parent-unquoted",
        ERROR,
        "A part of an event neither names its parent event nor is quoted from a paragraph the "
        "parent's quotes come from.",
        "Quote the words that tie it to the parent, or drop `parent`.",
    ),
    Code(
        "caption-unmarked",
        ERROR,
        "Evidence found only in a photo caption does not say `caption: true` (or says it of prose).",
        "Mark it `caption: true`, or quote the article's prose where it says the same.",
    ),
)


@dataclass(frozen=True)
class Pointer:
    """One evidenced record's references and quotes, as its file's summary keeps them."""

    kind: str
    index: int
    refs: tuple[tuple[tuple[str | int, ...], str, str], ...]  # (field path, referenced id, role)
    quotes: tuple[tuple[str, str, bool], ...]  # (source, quote as written, caption)


@dataclass
class RelationsPart:
    """The names a file defines (any kind that can be pointed at) and its records' pointers."""

    names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    pointers: list[Pointer] = field(default_factory=list)


_NAMED_KINDS = ("persons", "organizations", "places", "events")
_ACTORS = ("persons", "organizations", "places")
# The kinds each role may point at (the schema's and identity rule's, for this rule's purpose).
_KINDS = {
    "person": ("persons",),
    "organization": ("organizations",),
    "place": ("places",),
    "organizer": _ACTORS,
    "chair": _ACTORS,
    "participant": _ACTORS,
    "subject": _NAMED_KINDS,
    "according_to": _NAMED_KINDS,
    "speaker_organization": ("organizations",),
    "parent": ("events",),
}


def _refs(r: Any) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    if isinstance(r, Position):
        yield ("person",), r.person, "person"
        if r.organization:
            yield ("organization",), r.organization, "organization"
    elif isinstance(r, Event):
        if r.place:
            yield ("place",), r.place, "place"
        for role, ids in (("organizer", r.organizers), ("chair", r.chairs), ("participant", r.participants)):
            yield from (((f"{role}s", i), ref, role) for i, ref in enumerate(ids))
        if r.parent:
            yield ("parent",), r.parent, "parent"
    elif isinstance(r, Claim):
        yield ("subject",), r.subject, "subject"
        if r.according_to:
            yield ("according_to",), r.according_to, "according_to"
        for i, ev in enumerate(r.evidence):
            if ev.according_to:  # named where that source says who, not in another's quote
                yield ("evidence", i, "according_to"), ev.according_to, "according_to"
    elif isinstance(r, Statement) and r.speaker_organization:
        yield ("speaker_organization",), r.speaker_organization, "speaker_organization"


def summarise(ctx: Context, entries: list[Entry]) -> RelationsPart:
    out = RelationsPart()
    for e in entries:
        r = e.record
        if r is None:
            continue
        if e.kind in _NAMED_KINDS:
            out.names[r.id] = tuple(n for n in (r.name, r.name_en, *getattr(r, "aliases", [])) if n)
            out.kinds[r.id] = e.kind
        if e.kind in EVIDENCED_KINDS:
            # Ids repeat across a file's records (a subject, a source): interned, each is
            # kept once, here and after the summary crosses processes (pickle shares them).
            quotes = tuple((intern(ev.source), ev.quote, ev.caption) for ev in r.evidence)
            refs = tuple((path, intern(ref), role) for path, ref, role in _refs(r))
            out.pointers.append(Pointer(e.kind, e.index, refs, quotes))
    return out


# ------------------------------------------------------------------ names in text


@dataclass
class _Quote:
    """One quote of a record, placed in its source: the quote, its sentences and paragraphs."""

    source: str
    text: str
    lang: Language
    sentences: str = ""
    paragraph: str = ""
    previous: str = ""
    lines: frozenset[int] = frozenset()
    captions: bool = False  # every line it lies on is a photo caption
    forms: dict[str, list[str]] = field(default_factory=dict)  # short forms its page uses, by id

    def names(self, ref: str, names: tuple[str, ...]) -> tuple[str, ...]:
        """The record's names, and the short forms this quote's page uses for it."""
        return (*names, *self.forms.get(ref, ()))


@dataclass
class _Line:
    """A paragraph of a page, read once per run however many quotes lie in it (a line of a
    2 MiB page split and folded for each of hundreds of quotes took minutes)."""

    offset: int
    text: str
    spans: list[tuple[int, int]]
    starts: list[int]
    folded: str
    previous: str


def _line(ctx: Context, lines: dict[tuple[str, int], _Line], source: str, number: int) -> _Line:
    key = (source, number)
    if key not in lines:
        info, text = ctx.sources[source], ctx.text(source)
        assert info.language is not None and text is not None  # placed only then
        start, here = text.line(number)
        spans = info.language.split_sentences(here, start)
        previous = fold_text(previous_line(text, number), loose=True)
        lines[key] = _Line(start, here, spans, [a for a, _ in spans], fold_text(here, loose=True), previous)
    return lines[key]


def _place(ctx: Context, index: _Index, source: str, quote: str) -> _Quote | None:
    """The quote in its source (None: its source is unusable or the quote is not in it, which
    the evidence rules report)."""
    info, text = ctx.sources.get(source), ctx.text(source)
    if info is None or text is None or info.language is None:
        return None
    found = text.find_all(quote) or text.find_all(quote, loose=True)
    body = info.body
    found = [m for m in found if m.line in body] or found
    if not found:
        return None
    m = found[0]
    line = _line(ctx, index.lines, source, m.line)
    offset, here = line.offset, line.text
    # Only the sentences the quote overlaps, found by bisection among the line's.
    first = max(bisect.bisect_right(line.starts, m.start) - 1, 0)
    last = bisect.bisect_left(line.starts, m.end)
    sentences = [
        here[a - offset : b - offset] for a, b in line.spans[first:last] if a < m.end and m.start < b
    ]
    lines = frozenset(range(m.line, m.end_line + 1))
    captions = _caption_lines(info.data)
    # Folded as names are (an NFD page, curly quotes), so words and names are found in them.
    return _Quote(
        source,
        quote,
        info.language,
        fold_text(" ".join(sentences) or quote, loose=True),
        line.folded,
        line.previous,
        lines,
        bool(captions) and lines <= captions,
        dict(info.data.get("forms") or {}),
    )


def _caption_lines(source: dict[str, Any]) -> frozenset[int]:
    ranges = (source.get("body") or {}).get("captions") or []
    return frozenset(n for r in ranges for n in range(r["start_line"], r["end_line"] + 1))


# ------------------------------------------------------------------ the whole project


@dataclass
class _Index:
    """Every name and every event's quotes, from the summaries (made once per run)."""

    names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    events: dict[str, tuple[tuple[str, str, bool], ...]] = field(default_factory=dict)
    lines: dict[tuple[str, int], _Line] = field(default_factory=dict)


def _index(ctx: Context) -> _Index:
    index = _Index()
    for summary in ctx.summaries.values():
        part = summary.of(RelationsPart)
        index.names.update(part.names)
        index.kinds.update(part.kinds)
        ids = summary.ids.get("events") or []
        index.events.update(
            {i: p.quotes for p in part.pointers if p.kind == "events" and (i := ids[p.index])}
        )
    return index


def check(ctx: Context) -> Iterator[Problem]:
    index = _index(ctx)
    for display, summary in ctx.summaries.items():
        part = summary.of(RelationsPart)
        # One verdict per file: a key per record cost more to make and keep than the check.
        if not part.pointers:
            continue
        if ctx.passed("relations", display, key := _verdict_key(ctx, index, display, part)):
            continue
        found = [x for p in part.pointers for x in _pointer(ctx, index, display, summary.in_list, p)]
        if not found:
            ctx.mark_passed("relations", display, key)
        yield from found


def _verdict_key(ctx: Context, index: _Index, display: str, part: RelationsPart) -> str:
    """What a file's verdict depends on: its records' references and quotes (its bytes'
    digest says which, as the cache's entries are kept for this code only), the names and
    quotes of what they point at, and the texts of every source involved."""
    refs = sorted({r for p in part.pointers for _, r, _ in p.refs})
    quoted = [*(p.quotes for p in part.pointers), *(index.events.get(r, ()) for r in refs)]
    sources = {s for quotes in quoted for s, *_ in quotes}
    named = [(r, index.names.get(r), index.kinds.get(r), index.events.get(r)) for r in refs]
    fingerprints = sorted((s, ctx.sources[s].fingerprint if s in ctx.sources else "") for s in sources)
    # The file's bytes' digest, or where none was taken, its pointers (tuples: repr in C).
    own = ctx.digests.get(display) or repr([(p.kind, p.index, p.refs, p.quotes) for p in part.pointers])
    return hashlib.sha256(repr((own, named, fingerprints)).encode("utf-8", "surrogatepass")).hexdigest()


def _plainly_named(ctx: Context, index: _Index, p: Pointer) -> bool:
    """Every reference named in a quote's own words, no role word to look for and no caption
    to tell from prose: nothing to report, so no quote needs placing in its page (most records)."""
    infos = [ctx.sources.get(s) for s, _, _ in p.quotes]
    if any(c for *_, c in p.quotes) or not infos:
        return False
    for info in infos:  # (a page with captions: each quote is placed, to tell them from prose)
        if info is None or info.language is None or (info.data.get("body") or {}).get("captions"):
            return False
    for path, ref, role in p.refs:
        if path[0] == "evidence":
            return False  # one quote's attribution: placed and read in that quote's paragraph
        names = index.names.get(ref)
        if not names or index.kinds.get(ref) not in _KINDS[role]:
            continue  # the identity rule's to report
        if role in ("organizer", "chair"):
            return False
        person = index.kinds.get(ref) == "persons"
        if not any(
            names_in(t, (*names, *((i.data.get("forms") or {}).get(ref) or ())), i.language, person)
            for (_, t, _), i in zip(p.quotes, infos, strict=True)
            if i is not None and i.language is not None
        ):
            return False
    return True


def _pointer(ctx: Context, index: _Index, display: str, in_list: bool, p: Pointer) -> Iterator[Problem]:
    if _plainly_named(ctx, index, p):
        return
    where = Where(display, p.kind, p.index, in_list)
    placed = [(q, caption) for s, t, caption in p.quotes if (q := _place(ctx, index, s, t)) is not None]
    for i, (q, caption) in enumerate(placed):
        if q.captions != caption:
            yield ctx.problem_at(
                where,
                ("evidence", i, "caption"),
                "caption-unmarked",
                "this quote lies only in a photo caption: mark it `caption: true`, or quote the prose"
                if q.captions
                else "this quote is the article's prose, not a caption: drop `caption: true`",
            )
    quotes = [q for q, _ in placed]
    if not quotes or len(quotes) != len(p.quotes):
        return  # a quote not found is the evidence rules' to report
    for path, ref, role in p.refs:
        names = index.names.get(ref)
        # A reference to the wrong kind or to nothing is the identity rule's to report.
        if names and index.kinds.get(ref) in _KINDS[role]:
            own = [quotes[int(path[1])]] if path[0] == "evidence" else quotes
            yield from _relation(ctx, index, where, own, (path, ref, role), names)


def _relation(
    ctx: Context,
    index: _Index,
    where: Where,
    quotes: list[_Quote],
    pointed: tuple[PathKey, str, str],
    names: tuple[str, ...],
) -> Iterator[Problem]:
    path, ref, role = pointed
    person = index.kinds.get(ref) == "persons"
    named = [q for q in quotes if names_in(q.text, q.names(ref, names), q.lang, person)]
    field_name = ".".join(str(x) for x in path)
    looked = ", ".join(repr(n) for n in names[:4])
    if role in ("according_to", "speaker_organization"):
        if named or any(
            names_in(f"{q.paragraph}\n{q.previous}", q.names(ref, names), q.lang, person) for q in quotes
        ):
            return
        yield ctx.problem_at(
            where,
            path,
            "relation-unquoted",
            f"{field_name} {ref!r} is named in neither the paragraph of its quote nor the one before "
            f"(looked for {looked}): quote where the page says who",
        )
        return
    if named and role in ("organizer", "chair"):
        words = "organizer_words" if role == "organizer" else "chair_words"
        if not any(getattr(q.lang, words).search(q.sentences) for q in named):
            wanted = "organizing" if role == "organizer" else "chairing"
            yield ctx.problem_at(
                where,
                path,
                "role-unstated",
                f"{field_name} {ref!r} is named, but no {wanted} word stands in its sentence: "
                "one who supports or attends is a participant",
            )
        return
    if named or _in_event_paragraphs(ctx, index, quotes, ref, role):
        return
    code = "parent-unquoted" if role == "parent" else "relation-unquoted"
    yield ctx.problem_at(
        where,
        path,
        code,
        f"{field_name} {ref!r} is named in none of its quotes (looked for {looked}): quote the words "
        "that name it (add a quote where the page does), or drop it",
    )


def _in_event_paragraphs(ctx: Context, index: _Index, quotes: list[_Quote], ref: str, role: str) -> bool:
    """For a parent, or an event as a claim's subject: does a quote lie in a paragraph one of
    that event's quotes comes from?"""
    if role not in ("parent", "subject") or ref not in index.events:
        return False
    theirs = {
        (q.source, line)
        for s, t, _ in index.events[ref]
        if (q := _place(ctx, index, s, t)) is not None
        for line in q.lines
    }
    return any((q.source, line) in theirs for q in quotes for line in q.lines)


PART = RelationsPart
