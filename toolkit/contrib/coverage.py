"""Coverage: which sentences of each article body state a number, a date or a titled name,
and whether some record quotes them. It measures how completely the dataset captures the
articles, so "every fact of the article" is a figure, not a hope."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from toolkit.core.problems import InvalidRecords
from toolkit.languages import language
from toolkit.languages.mentions import reasons_to_cover as _reasons
from toolkit.validate.engine import Dataset, validate_project


@dataclass(frozen=True)
class Sentence:
    line: int
    start: int
    end: int
    text: str
    reasons: tuple[str, ...]
    covered: bool


@dataclass
class SourceCoverage:
    source: str
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.sentences)

    @property
    def covered(self) -> int:
        return sum(1 for s in self.sentences if s.covered)

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
                why = _reasons(lang, sentence, not_people)
                if not why:
                    continue
                covered = any(s < end and start < e for s, e in spans)
                result.sentences.append(Sentence(number, start, end, sentence, why, covered))
        report.append(result)
    return CoverageReport(report)


def coverage_report(root: Path) -> CoverageReport:
    """Validate the project, then measure its coverage; invalid records raise InvalidRecords."""
    result = validate_project(root)
    if not result.ok:
        raise InvalidRecords(result.problems, "run `toolkit validate` first")
    return coverage_of(result.dataset)
