"""Finding a quote the way the validator does (`toolkit locate`): its line and offsets,
whether it is inside the article body, its sentence, the numbers and dates it states, and a
claim skeleton to start from. `toolkit cite` finds its quotes the same way."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from toolkit.contrib.new import skeleton
from toolkit.core.problems import QuoteNotInSource, UsageError
from toolkit.core.text import SourceText
from toolkit.languages import DateMention, Language, NumberMention, language
from toolkit.records.models import Source
from toolkit.validate.engine import Dataset, validate_project


@dataclass
class Located:
    """A quote found in a source, with what it states read the way its language pack reads it."""

    source: str
    line: int
    column: int
    start: int
    end: int
    in_body: bool
    loose: bool
    sentence: str
    published: str
    numbers: list[NumberMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    claim: dict[str, Any] = field(default_factory=dict)  # a claim skeleton quoting it


def _sentence(lang: Language, text: SourceText, start: int, end: int) -> str:
    line_start = text.lines.starts[text.lines.line_of(start) - 1]
    line_end = text.text.find("\n", end)
    line = text.text[line_start : line_end if line_end >= 0 else len(text.text)]
    for s, e in lang.split_sentences(line, line_start):
        if s <= start < e or (start <= s < end):
            return text.text[s : max(e, min(end, line_start + len(line)))]
    return line


def locate(root: Path, source_id: str, quote: str, data: Dataset | None = None) -> Located:
    """Find `quote` the way the validator does; raise QuoteNotInSource with the closest passages.
    `data`: the project already validated, if the caller has it."""
    if data is None:
        data = validate_project(root).dataset
    text = data.texts.get(source_id)
    if text is None:
        known = sorted(data.texts)
        found = process.extractOne(source_id, known, scorer=fuzz.ratio, score_cutoff=60)
        hint = f"; did you mean {found[0]!r}?" if found else f" (sources: {', '.join(known)})"
        raise UsageError(f"no valid source {source_id!r}{hint}")
    entry = next(e for e in data.valid("sources") if e.record.id == source_id)
    src: Source = entry.record
    located = text.locate(quote, src.body.lines())
    if not located.matches:
        raise QuoteNotInSource(f"not found in source {source_id!r}", located.closest)
    inside = located.status != "outside-body"
    m = located.match or located.matches[0]
    folded = located.needle
    published = src.published.split("T", 1)[0]
    tag = src.language or data.project.settings.dataset.language
    lang = language(tag)
    return Located(
        source_id,
        m.line,
        text.lines.column_of(m.start),
        m.start,
        m.end,
        bool(inside),
        located.loose,
        _sentence(lang, text, m.start, m.end),
        published,
        lang.read_numbers(folded),
        lang.read_dates(folded),
        skeleton(
            "claims",
            "new-claim",
            {"source": source_id, "quote": quote, "published": published, "language": tag},
        ),
    )
