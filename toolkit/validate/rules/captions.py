"""Captions: a line of an article's body that ends with a photo credit (`Ảnh: …`) is listed
under body.captions or excluded, so evidence found only in a caption cannot pass as the
article's prose (the relations rule tells the two apart by that list alone).

Every body line is read for it, which the per-file checks need not wait for: it runs with the
rules over the whole project, once the source rule has read the texts, and a source it passed
with the same record and text is not read again."""

from __future__ import annotations

from collections.abc import Iterator

from toolkit.core.problems import Problem
from toolkit.core.text import SourceText
from toolkit.languages import Language
from toolkit.records.models import Source
from toolkit.validate.context import Context
from toolkit.validate.rule import WARNING, Code, Where, declare
from toolkit.validate.rules.sources import SourcesPart

CODES = declare(
    "captions",
    Code(
        "caption-undeclared",
        WARNING,
        "A line of the article body ends with a photo credit (`Ảnh: …`) but is not listed as a "
        "caption: evidence found only there would pass as the article's prose.",
        "List the line under body.captions, or exclude it from the body.",
    ),
)


def check(ctx: Context) -> Iterator[Problem]:
    for display, summary in ctx.summaries.items():
        for record in summary.of(SourcesPart).records:
            info = ctx.sources.get(str(record.data["id"]))
            # A source the source rule refused (or whose language no pack reads) is its to report.
            if info is None or info.language is None or info.path is None or not info.fingerprint:
                continue
            sid = str(record.data["id"])
            if ctx.passed("captions", sid, info.fingerprint) or (text := ctx.text(sid)) is None:
                continue
            where = Where(display, "sources", record.index, summary.in_list)
            found = _undeclared(ctx, where, Source.model_validate(record.data), text, info.language)
            if not found:
                ctx.mark_passed("captions", sid, info.fingerprint)
            yield from found


def _undeclared(ctx: Context, where: Where, src: Source, text: SourceText, lang: Language) -> list[Problem]:
    """Body lines ending with the language's photo credit that body.captions does not list."""
    body = src.body
    listed_lines = {n for r in (*body.exclude, *body.captions) for n in range(r.start_line, r.end_line + 1)}
    found = []
    for number in range(body.start_line, body.end_line + 1):
        if number in listed_lines:
            continue
        credit = lang.layout.caption.search(text.line(number)[1])
        if credit is not None:
            found.append(
                ctx.problem_at(
                    where,
                    ("body",),
                    "caption-undeclared",
                    f"line {number} ends with a photo credit ({credit.group().strip()!r}): list it "
                    f"under body.captions (- {{start_line: {number}, end_line: {number}}}), or "
                    "exclude it if it is not the article",
                )
            )
    return found
