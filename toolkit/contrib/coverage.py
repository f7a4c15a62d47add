"""Coverage: which sentences of each article body state a number, a date or a titled name,
and whether some record quotes them. It measures how completely the dataset captures the
articles, so "every fact of the article" is a figure, not a hope."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.core.problems import InvalidRecords
from toolkit.languages.vi.reading import read_dates, read_numbers
from toolkit.validate.engine import Dataset, validate_project

# Titles and honorifics that introduce a person's name in Vietnamese news.
_TITLES = (
    r"[ôÔ]ng|[bB]à|[đĐ]ồng chí|[nN]gài|Chủ tịch|Phó Chủ tịch|Bộ trưởng|Thứ trưởng|Đại sứ|Bí thư|Phó Bí thư|"
    r"Thống đốc|Tổng Lãnh sự|Tổng Bí thư|Thủ tướng|Trưởng Ban|Trưởng ban|Ủy viên|Thường trực Ban Bí thư"
)
_UPPER = "A-ZÀ-ỸĐ"
_NAME = rf"[{_UPPER}][\w]*(?:\s+[{_UPPER}][\w]*){{1,3}}"
_TITLED = re.compile(rf"(?:{_TITLES})\s+(?:[^\s,.;]+\s+){{0,8}}?{_NAME}")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(]?[" + _UPPER + r"0-9])")
_ABBREVIATION = re.compile(r"(?:TP|Tp|ThS|TS|PGS|GS|St|Mr|Mrs|Dr)\.$")


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


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans of one line of text, not splitting after abbreviations like `TP.`."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if _ABBREVIATION.search(text[start : m.start()]):
            continue
        spans.append((offset + start, offset + m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((offset + start, offset + len(text.rstrip())))
    return spans


# Verbs that report what someone said: a sentence with one, and words after it, is a
# statement to capture (`hợp tác trao đổi` is no speech, so `trao đổi` is not here).
SPEECH_VERBS = re.compile(
    r"(?<!\w)(cho biết|nhấn mạnh|khẳng định|đề nghị|bày tỏ|nói|phát biểu|chia sẻ|cho rằng|đánh giá|"
    r"mong muốn|kêu gọi|nêu rõ|tuyên bố|đề xuất|hoan nghênh|cảm ơn|chúc mừng|ghi nhận|lưu ý|"
    r"nhận định|tin tưởng|hy vọng|cam kết|thông báo)(?!\w)",
    re.IGNORECASE,
)


def reasons_to_cover(sentence: str, not_people: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Why a sentence holds facts: a number (digits or an ordinal), a date, a titled name, or
    a verb that reports what someone said.

    `not_people` are names of places and organizations, which follow titles too
    (`Tổng Lãnh sự Việt Nam tại Fukuoka`) but are not a person."""
    reasons = []
    if any(
        any(c.isdigit() for c in n.text) or n.text.lower().startswith("thứ") for n in read_numbers(sentence)
    ):
        reasons.append("number")
    if read_dates(sentence):
        reasons.append("date")
    masked = sentence
    for name in not_people:
        masked = masked.replace(name, name.lower())
    if _TITLED.search(masked):
        reasons.append("name")
    if any(len(sentence[m.end() :].split()) >= 6 for m in SPEECH_VERBS.finditer(sentence)):
        reasons.append("speech")  # what was said follows; `X phát biểu tại cuộc họp.` says only that
    return tuple(reasons)


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
        spans = quoted.get(src.id, [])
        result = SourceCoverage(src.id)
        for number in sorted(body):
            line_start, line = text.line(number)
            for start, end in split_sentences(line, line_start):
                sentence = text.text[start:end]
                why = reasons_to_cover(sentence, not_people)
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
