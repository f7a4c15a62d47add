"""Coverage: each number, date, titled name and verb of speech that an article body states,
and whether some record's quote holds it. It measures how completely the dataset captures
the articles, so "every fact of the article" is a figure, not a hope; mentions are counted,
not sentences, so a sentence quoted in part still counts what no record holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from toolkit.core.problems import InvalidRecords
from toolkit.languages import language
from toolkit.languages.mentions import mentions
from toolkit.validate.engine import Dataset, validate_project


@dataclass(frozen=True)
class Sentence:
    """A sentence with mentions: covered when a quote holds every one of them."""

    line: int
    start: int
    end: int
    text: str
    reasons: tuple[str, ...]
    covered: bool
    mentions: int = 0
    held: int = 0


@dataclass
class SourceCoverage:
    source: str
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Mentions in the body."""
        return sum(s.mentions for s in self.sentences)

    @property
    def covered(self) -> int:
        """Mentions a quote holds."""
        return sum(s.held for s in self.sentences)

    @property
    def share(self) -> float:
        return 1.0 if not self.sentences else self.covered / self.total


@dataclass
class CoverageReport:
    sources: list[SourceCoverage]

    @property
    def share(self) -> float:
        total = sum(s.total for s in self.sources)
        return 1.0 if total == 0 else sum(s.covered for s in self.sources) / total


def coverage_of(data: Dataset) -> CoverageReport:
    """Coverage of every source's body by the evidence of valid records."""
    quoted: dict[str, list[tuple[int, int]]] = {}
    for anchor in data.anchors.values():
        quoted.setdefault(anchor.source_id, []).append((anchor.match.start, anchor.match.end))
    not_people = tuple(
        sorted(
            {
                n
                for kind in ("places", "organizations")
                for e in data.valid(kind)
                for n in (e.record.name, *e.record.aliases)
            },
            key=len,
            reverse=True,
        )
    )
    report = []
    for entry in sorted(data.valid("sources"), key=lambda e: e.record.id):
        src = entry.record
        text = data.texts.get(src.id)
        if text is None:
            continue
        body = src.body.lines()
        # validation refused a source no pack reads
        lang = language(src.language or data.project.settings.dataset.language)
        spans = quoted.get(src.id, [])
        result = SourceCoverage(src.id)
        for number in sorted(body):
            line_start, line = text.line(number)
            for start, end in lang.split_sentences(line, line_start):
                sentence = text.text[start:end]
                found = mentions(lang, sentence, not_people, start)
                if not found:
                    continue
                held = sum(1 for m in found if any(s <= m.start and m.end <= e for s, e in spans))
                kinds = tuple(k for k in ("number", "date", "name", "speech") if k in {m.kind for m in found})
                result.sentences.append(
                    Sentence(number, start, end, sentence, kinds, held == len(found), len(found), held)
                )
        report.append(result)
    return CoverageReport(report)


def coverage_report(root: Path) -> CoverageReport:
    """Validate the project, then measure its coverage; invalid records raise InvalidRecords."""
    result = validate_project(root)
    if not result.ok:
        raise InvalidRecords(result.problems, "run `toolkit validate` first")
    return coverage_of(result.dataset)
