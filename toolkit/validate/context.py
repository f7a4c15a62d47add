"""The context rules read: the project's files, summaries, parsed records, id index and
source texts. Rules read it and return problems; only the orchestrator (toolkit.validate.engine)
and the source rule (which finds the usable texts) fill it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from rapidfuzz import fuzz, process

from toolkit.core.problems import Problem, ProjectNotFound
from toolkit.core.settings import Settings, load_settings
from toolkit.core.text import Match, SourceText
from toolkit.languages import Language, LanguageUnsupported, language
from toolkit.records.load import Document, PathKey, json_path, read_text
from toolkit.records.models import Body, singular
from toolkit.validate.rule import ALL_CODES, Entry, Summary, Where

if TYPE_CHECKING:
    from toolkit.core.dates import Span


class Verdicts(Protocol):
    """Where a run remembers what passed (the engine's cache): a rule asks whether `item`
    passed when everything it read hashed to `key`, and says so when it does."""

    def passed(self, rule: str, item: str, key: str) -> bool: ...

    def mark_passed(self, rule: str, item: str, key: str) -> None: ...


@dataclass(frozen=True)
class Project:
    """A directory holding `seeds/` (source texts and record files)."""

    root: Path

    @property
    def settings(self) -> Settings:
        """The project's factbase.toml (read once while it is unchanged)."""
        return load_settings(self.root)

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @classmethod
    def find(cls, root: Path) -> Project:
        """The project at `root`, which must hold a `seeds/` folder."""
        if not (root / "seeds").is_dir():
            raise ProjectNotFound(
                f"{root}: no seeds/ folder here; run inside a project directory or pass --project DIR"
            )
        return cls(root)

    def display(self, path: Path) -> str:
        """The path as reports name it, relative to the project; a symbolic link is named as
        itself, never as the file it points to."""
        try:
            return (path.parent.resolve() / path.name).relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)


@dataclass
class SourceInfo:
    """What the source rule found out about one source, for the rules that read its text."""

    data: dict[str, Any]  # the source record, as JSON
    published: Span | None = None
    path: Path | None = None  # the text, when it is usable as evidence
    fingerprint: str = ""  # hash of the text and the record: keys cached verdicts
    _body: set[int] | None = None
    default_language: str = "en"  # the project's (factbase.toml), for a source that names none
    _pack: tuple[str, Language | None] | None = None  # (tag, its pack), asked once per quote

    @property
    def language(self) -> Language | None:
        """The pack that reads this source's language (the project's when the record names
        none); None when no pack does, which the source rule reports."""
        tag = str(self.data.get("language") or self.default_language)
        if self._pack is None or self._pack[0] != tag:
            try:
                self._pack = (tag, language(tag))
            except LanguageUnsupported:
                self._pack = (tag, None)
        return self._pack[1]

    @property
    def body(self) -> set[int]:
        """The line numbers of the article body (its page furniture left out)."""
        if self._body is None:
            self._body = Body.model_validate(self.data["body"]).lines()
        return self._body


@dataclass
class Anchor:
    """Where one evidence quote lies in its source."""

    source_id: str
    match: Match


@dataclass
class Context:
    """Everything a rule may read during one validation run."""

    project: Project
    verdicts: Verdicts | None = None
    summaries: dict[str, Summary] = field(default_factory=dict)
    docs: dict[str, Document] = field(default_factory=dict)  # parsed files, by display
    paths: dict[str, Path] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)
    # The sha256 of the bytes each file's parse read (with and without a BOM): the cache
    # keeps a file's findings under these, never under bytes read earlier (stream.parsed).
    parsed: dict[str, tuple[str, str]] = field(default_factory=dict)
    file_entries: dict[str, list[Entry]] = field(default_factory=dict)
    unloaded: list[str] = field(default_factory=list)  # files that could not be read
    sources: dict[str, SourceInfo] = field(default_factory=dict)  # filled by the source rule
    texts: dict[str, SourceText] = field(default_factory=dict)
    anchors: dict[tuple[str, str, int, int], Anchor] = field(default_factory=dict)
    # Set by the orchestrator: parse a summarised file in full; a file's evidence problems,
    # from the cache or by running the given check on its records; the values' quote checks.
    promote: Callable[[str], None] = lambda display: None
    evidence_of: Callable[[str, Callable[[list[Entry]], Iterator[Problem]]], Iterator[Problem]] = (
        lambda display, run: iter(())
    )
    quoted_checks: list[Callable[..., Iterator[Problem]]] = field(default_factory=list)
    memo: dict[str, Any] = field(default_factory=dict)  # indexes a rule builds once per run
    _lazy_docs: dict[str, Document] = field(default_factory=dict)
    _ids: dict[str, tuple[str, str]] | None = None  # id -> (display, kind), the first holder
    _index: dict[str, int] = field(default_factory=dict)
    _choices: dict[tuple[str, ...], list[str]] = field(default_factory=dict)
    _line_counts: dict[str, int] = field(default_factory=dict)  # lines of each file asked about

    # -- verdicts remembered across runs

    def passed(self, rule: str, item: str, key: str) -> bool:
        """Did `rule` pass `item` in an earlier run that read what hashes to `key`?"""
        return self.verdicts is not None and self.verdicts.passed(rule, item, key)

    def mark_passed(self, rule: str, item: str, key: str) -> None:
        if self.verdicts is not None:
            self.verdicts.mark_passed(rule, item, key)

    # -- problems

    def problem(self, doc: Document, key: PathKey, code: str, message: str, at_key: bool = False) -> Problem:
        """A problem at `key` in `doc`, its severity and hint those its code declares."""
        declared = ALL_CODES[code]
        line, col = self._inside(doc, *doc.locate(key, at_key=at_key))
        return Problem(
            doc.display, line, col, code, message, declared.severity, json_path(key), declared.hint
        )

    def _inside(self, doc: Document, line: int, column: int) -> tuple[int, int]:
        """A position inside the file: the parser places the empty document of a file holding
        only `---` on the line after its last, so a report named line 2 of a one-line file."""
        lines = self._line_counts.get(doc.display)
        if lines is None:
            lines = self._line_counts[doc.display] = doc.text.count("\n") + 1
        if line <= lines:
            return line, column
        return lines, len(doc.text) - (doc.text.rfind("\n") + 1) + 1  # the end of the last line

    def problem_at(self, where: Where, key: PathKey, code: str, message: str) -> Problem:
        """A problem in a record known by where it is; its file is read only now."""
        return self.problem(self.doc(where.display), (*where.key, *key), code, message)

    def doc(self, display: str) -> Document:
        """The file's document: parsed, or read now only so a position can be found in it."""
        found = self.docs.get(display) or self._lazy_docs.get(display)
        if found is None:
            path = self.paths[display]
            fmt = "json" if path.suffix.lower() == ".json" else "yaml"
            found = self._lazy_docs[display] = Document(path, display, read_text(path), None, fmt)
        return found

    def at(self, where: Where) -> str:
        """`file:line` of a record, for messages that point at it."""
        line, _ = self.doc(where.display).locate(where.key)
        return f"{where.display}:{line}"

    # -- records

    def summarised(self) -> list[str]:
        """Files known only by their cached summary."""
        return [display for display in self.summaries if display not in self.docs]

    def entries(self, *kinds: str) -> Iterator[Entry]:
        """The valid records of these kinds among the parsed files."""
        for entries in self.file_entries.values():
            for entry in entries:
                if entry.record is not None and entry.kind in kinds:
                    yield entry

    # -- ids

    @property
    def ids(self) -> dict[str, tuple[str, str]]:
        """Each id -> (file, kind) of the record that has it (the first, if used twice)."""
        if self._ids is None:
            found: dict[str | None, tuple[str, str]] = {}
            # Later files go in first so that the first file wins.
            for display, summary in reversed(self.summaries.items()):
                for kind, ids in reversed(summary.ids.items()):
                    found.update(dict.fromkeys(ids, (display, kind)))
            found.pop(None, None)
            self._ids = {k: v for k, v in found.items() if k is not None}
        return self._ids

    def kind_of(self, rid: str) -> str | None:
        found = self.ids.get(rid)
        return found[1] if found is not None else None

    def where(self, rid: str) -> Where | None:
        """Where the record with this id is (the first, if the id is used twice)."""
        found = self.ids.get(rid)
        if found is None:
            return None
        display, kind = found
        index = self._index.get(rid)
        if index is None:
            index = self._index[rid] = self.summaries[display].ids[kind].index(rid)
        return Where(display, kind, index, self.summaries[display].in_list)

    def settle(self, rid: str, where: Where) -> None:
        """Say which of several records with one id the others are compared with."""
        self.ids[rid] = (where.display, where.kind)
        self._index[rid] = where.index

    def did_you_mean(self, ref: str, kinds: tuple[str, ...]) -> str | None:
        """The closest id of these kinds, from an index built once per run."""
        choices = self._choices.get(kinds)
        if choices is None:
            choices = self._choices[kinds] = [i for i, (_, kind) in self.ids.items() if kind in kinds]
        found = process.extractOne(ref, choices, scorer=fuzz.ratio, score_cutoff=60)
        return str(found[0]) if found else None

    def wanted(self, kinds: tuple[str, ...]) -> str:
        return " or ".join(singular(k) for k in kinds)

    # -- texts

    def text(self, source_id: str) -> SourceText | None:
        """A source's text if it is usable as evidence, decoded on first use."""
        found = self.texts.get(source_id)
        if found is None:
            info = self.sources.get(source_id)
            if info is not None and info.path is not None:
                found = self.texts[source_id] = SourceText(read_text(info.path))
        return found
