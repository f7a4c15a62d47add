"""Sources: each source's text is in seeds/ (never outside it), unchanged since it was
recorded (sha256), with article-body bounds that fit it and a publication date the page
states. A source that passed with the same record and text is not checked again."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.core import dates
from toolkit.core.dates import InvalidDate, Span
from toolkit.core.files import read_regular
from toolkit.core.limits import MAX_FILE_BYTES
from toolkit.core.problems import LoadError, Problem, listed
from toolkit.core.text import SourceText
from toolkit.languages import DateMention, Language, supported
from toolkit.records.load import Document, PathKey, decode_text
from toolkit.records.models import Source
from toolkit.validate.context import Context, SourceInfo
from toolkit.validate.rule import ERROR, Code, Entry, Where, declare

CODES = declare(
    "sources",
    Code(
        "language-unsupported",
        ERROR,
        "A source's language has no language pack: its numbers and dates cannot be read the way "
        "its readers read them.",
        "Correct the `language` tag, or add a pack under toolkit/languages/ for it.",
    ),
    Code(
        "source-outside-seeds",
        ERROR,
        "A source's file leads outside seeds/ (through `..` or a symbolic link).",
        "Copy the text into seeds/ and name it from there.",
    ),
    Code(
        "source-missing",
        ERROR,
        "A source's file does not exist.",
        "Add the text to seeds/ byte for byte, or fix the file name.",
    ),
    Code(
        "source-hash-mismatch",
        ERROR,
        "A source's text is not the text that was recorded (its sha256 differs).",
        "Restore the original text, or add the new text as a new source.",
    ),
    Code(
        "source-duplicate",
        ERROR,
        "Two sources have the same text.",
        "Cite the first source instead and delete the second.",
    ),
    Code(
        "body-bounds",
        ERROR,
        "The article body's lines, or a range excluded from it or listed as captions, do not fit the text.",
        "Give start ≤ end ≤ the text's last line, and exclusions and captions inside the body.",
    ),
    Code(
        "published-unsupported",
        ERROR,
        "A source's publication date says nowhere where it comes from.",
        "Add published_quote (the page's words) or, where the page gives none, published_note.",
    ),
    Code(
        "published-quote-not-found",
        ERROR,
        "published_quote is not in the page.",
        "Copy the page's date line exactly.",
    ),
    Code(
        "published-mismatch",
        ERROR,
        "The publication date, time or zone is not what the page states.",
        "Write the date, time and zone the published_quote gives.",
    ),
)


@dataclass(frozen=True)
class SourceRecord:
    index: int
    data: dict[str, Any]  # the source record, as JSON


@dataclass
class SourcesPart:
    """The file's source records, which the source rule checks on every run."""

    records: list[SourceRecord] = field(default_factory=list)


def summarise(ctx: Context, entries: list[Entry]) -> SourcesPart:
    return SourcesPart(
        [
            SourceRecord(e.index, e.record.model_dump(mode="json"))
            for e in entries
            if e.kind == "sources" and e.record is not None
        ]
    )


def check(ctx: Context) -> Iterator[Problem]:
    seeds = ctx.project.seeds.resolve()
    hashes: dict[str, tuple[Where, str]] = {}
    for display, summary in ctx.summaries.items():
        for record in summary.of(SourcesPart).records:
            where = Where(display, "sources", record.index, summary.in_list)
            yield from _source(ctx, where, record.data, seeds, hashes)


def _source(
    ctx: Context, where: Where, data: dict[str, Any], seeds: Path, hashes: dict[str, tuple[Where, str]]
) -> Iterator[Problem]:
    sid, file = str(data["id"]), str(data["file"])
    info = ctx.sources[sid] = SourceInfo(data, default_language=ctx.project.settings.dataset.language)
    lang = info.language
    if lang is None:
        # Never read as another language: its quotes are not checked until a pack reads it.
        yield ctx.problem_at(
            where,
            ("language",),
            "language-unsupported",
            f"no language pack reads {data.get('language')!r} (the toolkit reads "
            f"{', '.join(supported())}): correct the tag, or add a pack for it",
        )
        return
    try:
        info.published = dates.parse_published(str(data["published"]))
    except InvalidDate as exc:
        yield ctx.problem_at(where, ("published",), "date-invalid", f"{exc}: give a real date")
    read = yield from _read(ctx, where, seeds, file, str(data["sha256"]))
    if read is None:
        return
    real, raw, digest = read
    if digest in hashes:
        first, first_id = hashes[digest]
        yield ctx.problem_at(
            where,
            ("sha256",),
            "source-duplicate",
            f"the same text as source {first_id!r} ({ctx.at(first)}): cite that source instead",
        )
    hashes[digest] = (where, sid)
    info.fingerprint = hashlib.sha256((digest + json.dumps(data, sort_keys=True)).encode()).hexdigest()
    # A pass read only the record and the text: the fingerprint is its key.
    if ctx.passed("sources", sid, info.fingerprint):
        info.path = real
        return
    src = Source.model_validate(data)
    try:
        text = decode_text(raw)
    except LoadError as exc:
        yield ctx.problem_at(where, ("file",), exc.code, f"seeds/{file}: {exc.message}")
        return
    source_text = SourceText(text)
    doc = ctx.doc(where.display)
    found = list(_body(ctx, doc, where.key, src, source_text.line_count))
    if not found:
        info.path = real
        ctx.texts[sid] = source_text
        found = list(_published_quote(ctx, doc, where.key, src, source_text, info.published, lang))
    yield from found
    if not found:
        ctx.mark_passed("sources", sid, info.fingerprint)


def _read(
    ctx: Context, where: Where, seeds: Path, file: str, recorded: str
) -> Generator[Problem, None, tuple[Path, bytes, str] | None]:
    """Where seeds/FILE is, its bytes (read once: hashed here, decoded when not cached) and
    their sha256; None, with the problem, for a file outside seeds/, missing, unreadable, too
    large, or not the `recorded` text."""
    try:
        real = _real_path(seeds, file)
        real.relative_to(seeds)
    except ValueError:
        yield ctx.problem_at(
            where,
            ("file",),
            "source-outside-seeds",
            f"{file!r} leads outside seeds/ (through '..' or a symbolic link): "
            "copy the text into seeds/ and name it from there",
        )
        return None
    except OSError as exc:
        yield ctx.problem_at(where, ("file",), "source-missing", f"{file!r}: {exc}")
        return None
    if not real.is_file():
        yield ctx.problem_at(
            where,
            ("file",),
            "source-missing",
            f"no file seeds/{file}: add the text there byte for byte, or fix the name",
        )
        return None
    try:
        raw = read_regular(real, MAX_FILE_BYTES)
    except LoadError as exc:
        yield ctx.problem_at(
            where, ("file",), exc.code, f"seeds/{file} {exc.message}: a source is one archived page"
        )
        return None
    digest = hashlib.sha256(raw).hexdigest()
    if digest != recorded:
        yield ctx.problem_at(
            where,
            ("sha256",),
            "source-hash-mismatch",
            f"seeds/{file} has sha256 {digest}, not the recorded one: source texts are "
            "archived verbatim; restore the original, or add the new text as a new source",
        )
        return None
    return real, raw, digest


def _real_path(seeds: Path, file: str) -> Path:
    """Where seeds/FILE really is (`seeds` resolved already): found by looking at each of its
    own parts when none is `..` or a symbolic link, far cheaper than resolving from the root
    for every source; resolved in full otherwise."""
    relative = Path(file)
    if not relative.is_absolute() and ".." not in relative.parts:
        here = seeds
        for part in relative.parts:
            here = here / part
            if here.is_symlink():
                break
        else:
            return here
    return (seeds / relative).resolve()


def _body(ctx: Context, doc: Document, at: PathKey, src: Source, line_count: int) -> Iterator[Problem]:
    body = src.body
    if not body.start_line <= body.end_line <= line_count:
        yield ctx.problem(
            doc,
            (*at, "body"),
            "body-bounds",
            f"body lines {body.start_line}-{body.end_line} do not fit the text's {line_count} "
            "lines: start ≤ end ≤ last line",
        )
    for part, ranges in (("exclude", body.exclude), ("captions", body.captions)):
        for i, ex in enumerate(ranges):
            if not body.start_line <= ex.start_line <= ex.end_line <= body.end_line:
                yield ctx.problem(
                    doc,
                    (*at, "body", part, i),
                    "body-bounds",
                    f"{'excluded' if part == 'exclude' else 'caption'} lines {ex.start_line}-"
                    f"{ex.end_line} are not inside the body {body.start_line}-{body.end_line}",
                )


def _span(mention: DateMention) -> Span | None:
    try:
        return mention.span()
    except (InvalidDate, ValueError):
        return None


def _published_quote(
    ctx: Context,
    doc: Document,
    at: PathKey,
    src: Source,
    text: SourceText,
    published: Span | None,
    lang: Language,
) -> Iterator[Problem]:
    key = (*at, "published_quote")
    if src.published_quote is None:
        if src.published_note is None:
            yield ctx.problem(
                doc,
                (*at, "published"),
                "published-unsupported",
                "say where the date comes from: published_quote (the page's words) or, where "
                "the page gives none, published_note (what the text supports)",
            )
        return
    # Written as is, it is there; only a quote not found as is needs the folded text.
    if src.published_quote not in text.text and not text.find_all(src.published_quote):
        yield ctx.problem(doc, key, "published-quote-not-found", "the page does not contain this text")
        return
    mentions = [d for d in lang.read_dates(src.published_quote) if d.year is not None]
    if published is not None and not any(_span(d) == published for d in mentions):
        stated = listed(f"{d.text} = {_span(d)}" for d in mentions) or "no full date"
        yield ctx.problem(
            doc,
            (*at, "published"),
            "published-mismatch",
            f"{src.published} is not the date the page states ({stated})",
        )
    time = re.search(r"(?<!\d)(\d{1,2}):(\d{2})(?!\d)", src.published_quote)
    if time and "T" in src.published:
        clock = src.published.split("T", 1)[1][:5]
        if clock != f"{int(time[1]):02d}:{time[2]}":
            yield ctx.problem(
                doc,
                (*at, "published"),
                "published-mismatch",
                f"time {clock} is not the time the page states ({time[0]})",
            )
    zone = re.search(r"GMT\s*([+-])\s*(\d{1,2})", src.published_quote)
    if zone and "T" in src.published and not src.published.endswith(f"{zone[1]}{int(zone[2]):02d}:00"):
        yield ctx.problem(
            doc,
            (*at, "published"),
            "published-mismatch",
            f"the page gives zone GMT{zone[1]}{zone[2]}; write it as {zone[1]}{int(zone[2]):02d}:00",
        )


PART = SourcesPart
