"""What a validation run returns: its problems, counts and, when asked for, the dataset it
loaded (valid records, texts and where their quotes lie)."""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit.core.problems import Problem, Severity
from toolkit.core.text import SourceText
from toolkit.records.load import Document
from toolkit.records.models import KINDS
from toolkit.validate.context import Anchor, Project
from toolkit.validate.rule import Entry


@dataclass
class Dataset:
    """Everything loaded, with the valid records and where their quotes lie."""

    project: Project
    documents: list[Document] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    texts: dict[str, SourceText] = field(default_factory=dict)
    anchors: dict[tuple[str, str, int, int], Anchor] = field(
        default_factory=dict
    )  # (file, kind, index, evidence)

    def valid(self, kind: str) -> list[Entry]:
        return [e for e in self.entries if e.kind == kind and e.record is not None]

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(KINDS, 0)
        for e in self.entries:
            out[e.kind] += 1
        return out


@dataclass
class ValidationResult:
    problems: list[Problem]
    dataset: Dataset
    files: int
    counts: dict[str, int] = field(default_factory=dict)  # records of each kind, in every file
    anchored: int = 0  # evidence quotes found in their sources
    parsed: int = 0  # record files parsed in this run (the others came from the cache)
    cache_hits: int = 0
    cache_misses: int = 0
    unmerged: list[str] = field(default_factory=list)  # files a --merge found no shard result for

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.warning]

    @property
    def ok(self) -> bool:
        return not self.errors
