"""Validation: every rule of DESIGN.md §4, every problem in one run.

Order: load → JSON Schema → models → identity and references → sources → evidence (the quote
is in the source's body) → values agree with their quotes → dates → conflicts. A record that
fails the schema is not checked further, but its id still counts, so one typo does not
cascade into a dangling reference elsewhere."""

from __future__ import annotations

import difflib
import gc
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from pydantic import BaseModel
from pydantic import ValidationError as PydanticError

from toolkit import dates
from toolkit.cache import (
    FileCache,
    FileResult,
    Summary,
    ValidationCache,
    evidence_key,
    problems_from_json,
    problems_to_json,
)
from toolkit.dates import InvalidDate, Span
from toolkit.load import (
    Document,
    PathKey,
    decode_text,
    iter_record_files,
    json_path,
    load_error_problem,
    load_file,
    read_text,
)
from toolkit.models import (
    KINDS,
    Body,
    Claim,
    DateValue,
    EntityValue,
    Event,
    Evidence,
    Organization,
    Place,
    Position,
    Property,
    Quantity,
    Source,
    TextValue,
)
from toolkit.problems import LoadError, Problem, ProjectNotFound, Severity, UsageError
from toolkit.schema import SCHEMA_FILE, fast_validator, list_schema_file, validator
from toolkit.text import Match, SourceText, fold_text
from toolkit.vietnamese import DateMention, NumberMention, read_dates, read_numbers

if TYPE_CHECKING:
    from jsonschema import ValidationError

ERROR = Severity.error
WARNING = Severity.warning

ENTITY_KINDS = ("persons", "organizations", "places", "events")
ACTOR_KINDS = ("persons", "organizations", "places")
ACTOR_KINDS_SET = frozenset(ACTOR_KINDS)
EVIDENCED = ("positions", "events", "claims")  # the kinds whose records quote their sources


# ------------------------------------------------------------------ project


@dataclass(frozen=True)
class Project:
    """A directory holding `seeds/` (source texts and record files)."""

    root: Path

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    def display(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)

    @classmethod
    def find(cls, root: Path) -> Project:
        if not (root / "seeds").is_dir():
            raise ProjectNotFound(
                f"{root}: no seeds/ folder here; run inside a project directory or pass --project DIR"
            )
        return cls(root)


# ------------------------------------------------------------------ results


@dataclass
class Entry:
    """One record as found in a file: raw data, position, and the model once it is valid."""

    kind: str
    index: int
    doc: Document
    raw: Any
    record: Any = None
    in_list_file: bool = False
    _id: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        value = self.raw.get("id") if isinstance(self.raw, dict) else None
        self._id = value if isinstance(value, str) else None

    @property
    def key(self) -> PathKey:
        """JSON path of the record: `claims[3]` in a record file, `[3]` in a list file."""
        return (self.index,) if self.in_list_file else (self.kind, self.index)

    @property
    def id(self) -> str | None:
        return self._id

    def where(self) -> str:
        line, _ = self.doc.locate(self.key)
        return f"{self.doc.display}:{line}"


@dataclass
class Anchor:
    """Where one evidence quote lies in its source."""

    source_id: str
    match: Match


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
        out = {kind: 0 for kind in KINDS}
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

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors


# ------------------------------------------------------------------ entry point


Progress = Callable[[str, int, int], None]


MAX_SCHEMA_ERRORS = 1000  # per file (hardening, issue 12)


def validate_project(
    root: Path,
    paths: Iterable[Path] | None = None,
    progress: Progress | None = None,
    cache: bool = True,
    records: bool = True,
) -> ValidationResult:
    """Validate the project at `root`; report problems of `paths` (default: all record files).

    Cross-file rules always see the whole project, so a reference into another file resolves.
    With `records=False` the result's dataset holds only the files that had to be parsed: an
    unchanged file's problems and summary come from the cache (the problems are the same).
    `progress(stage, done, total)` is called as files load and rules run (for a progress bar)."""
    project = Project.find(root)
    files = iter_record_files(project.seeds)
    selected = _select(project, paths) if paths else None
    checker = _Checker(project, ValidationCache.open(project.root) if cache else None, records)
    extra = [p for p in selected or [] if p not in files]
    # Parsed records live until the end: the cyclic collector would rescan them again and
    # again while they are built (it finds nothing to free), so it waits until we are done.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for done, path in enumerate([*files, *extra], start=1):
            checker.add(path)
            if progress:
                progress("loading", done, len(files) + len(extra))
        checker.run(progress)
        if checker.cache is not None:
            checker.cache.save(set(checker.summaries))
    finally:
        if collecting:
            gc.enable()
    problems = checker.problems
    if selected is not None:
        shown = {project.display(p) for p in selected}
        problems = [p for p in problems if p.path in shown]
    problems = sorted(set(problems), key=lambda p: (p.path, p.line, p.column, p.code, p.message))
    count = len(selected) if selected is not None else len(files)
    result = ValidationResult(
        problems, checker.dataset, count, checker.counts(), checker.anchored, len(checker.dataset.documents)
    )
    if checker.cache is not None:
        result.cache_hits, result.cache_misses = checker.cache.hits, checker.cache.misses
    return result


def _select(project: Project, paths: Iterable[Path]) -> list[Path]:
    root = project.root.resolve()
    out: list[Path] = []
    for path in paths:
        full = path if path.is_absolute() else Path.cwd() / path
        if not full.exists():
            raise UsageError(f"{path}: no such file or directory")
        try:
            full.resolve().relative_to(root)
        except ValueError:
            raise UsageError(f"{path}: outside the project {project.root}") from None
        if full.is_dir():
            out.extend(iter_record_files(full))
        else:
            out.append(full)
    return sorted({p.resolve() for p in out})


# ------------------------------------------------------------------ the checker


class Holder(NamedTuple):
    """Where a record with an id is: enough to point at it without loading its file."""

    display: str
    kind: str
    number: int  # its index in the file's list of that kind
    in_list: bool

    @property
    def key(self) -> PathKey:
        return (self.number,) if self.in_list else (self.kind, self.number)


class _Checker:
    """Runs the rules. Every file has a `Summary`; a file whose summary came from the cache is
    parsed again only when a rule finds something in it to report or recheck."""

    def __init__(self, project: Project, cache: ValidationCache | None = None, records: bool = True) -> None:
        self.project = project
        self.cache = cache
        self.records = records
        self.fingerprints: dict[str, str] = {}
        self.dataset = Dataset(project)
        self.problems: list[Problem] = []
        self.by_id: dict[str, tuple[str, str, bool]] = {}  # id -> (file, kind, in a list file)
        self._numbers: dict[str, int] = {}
        self.published: dict[str, Span | None] = {}
        self.body_lines: dict[str, set[int]] = {}
        self.source_data: dict[str, dict[str, Any]] = {}  # source records, as JSON
        self.text_paths: dict[str, Path] = {}  # the sources whose texts are usable evidence
        self.unloaded: list[str] = []
        self.paths: dict[str, Path] = {}
        self.digests: dict[str, str] = {}
        self.summaries: dict[str, Summary] = {}
        self.docs: dict[str, Document] = {}  # parsed files, by display
        self._lazy_docs: dict[str, Document] = {}  # files read only to point at a problem
        self.file_entries: dict[str, list[Entry]] = {}
        self.anchored = 0

    # -- helpers

    def report(
        self,
        doc: Document,
        key: PathKey,
        code: str,
        message: str,
        severity: Severity = ERROR,
        at_key: bool = False,
    ) -> None:
        line, col = doc.locate(key, at_key=at_key)
        self.problems.append(Problem(doc.display, line, col, code, message, severity, json_path(key)))

    def report_at(
        self, holder: Holder, key: PathKey, code: str, message: str, severity: Severity = ERROR
    ) -> None:
        """Report at a record known by where it is; its file is read only now."""
        self.report(self.doc(holder.display), (*holder.key, *key), code, message, severity)

    def doc(self, display: str) -> Document:
        """The file's document: parsed, or read now only so a position can be found in it."""
        found = self.docs.get(display) or self._lazy_docs.get(display)
        if found is None:
            path = self.paths[display]
            fmt = "json" if path.suffix.lower() == ".json" else "yaml"
            found = self._lazy_docs[display] = Document(path, display, read_text(path), None, fmt)
        return found

    def where(self, holder: Holder) -> str:
        line, _ = self.doc(holder.display).locate(holder.key)
        return f"{holder.display}:{line}"

    def counts(self) -> dict[str, int]:
        out = {kind: 0 for kind in KINDS}
        for summary in self.summaries.values():
            for kind, ids in summary.ids.items():
                out[kind] += len(ids)
        return out

    # -- loading and schema

    def add(self, path: Path) -> None:
        """Take a record file from the cache when its bytes are unchanged, else parse it."""
        display = self.project.display(path)
        self.paths[display] = path
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            digest = ""  # loading it reports why
        cached = self.cache.file(display, digest) if digest and self.cache is not None else None
        if cached is not None and not self.records:
            self.digests[display] = digest
            self.summaries[display] = cached.summary
            self.problems.extend(cached.problems)
            return
        first = len(self.problems)
        if self.load(path) and digest:
            self.digests[display] = digest
            if self.cache is not None and cached is None:
                # (A file parsed although cached keeps its entry: same bytes, same findings.)
                self.cache.put(display, FileCache(digest, self.problems[first:], self.summaries[display]))

    def promote(self, display: str) -> None:
        """Parse a file known only by its summary, so a rule can check its records in full.
        Its own problems came from the cache already."""
        if display in self.docs:
            return
        kept, self.problems = self.problems, []
        try:
            self.load(self.paths[display])
        finally:
            self.problems = kept

    def load(self, path: Path) -> bool:
        """Parse a file, check its schema, models and local rules, and summarise it."""
        display = self.project.display(path)
        try:
            doc = load_file(path, display)
        except LoadError as exc:
            self.problems.append(load_error_problem(display, exc))
            self.unloaded.append(display)
            return False
        self.dataset.documents.append(doc)
        self.docs[display] = doc
        self.problems.extend(doc.warnings)
        entries: list[Entry] = []
        list_kind: str | None = None
        if doc.data is None:
            self._check_schema_ref(doc, None)
            self.report(doc, (), "empty-file", "the file holds no records: add some or delete it")
        else:
            list_kind = self._list_kind(doc)
            if self._check_schema_ref(doc, list_kind):
                entries = self._entries(doc, list_kind)
        doc.data = None  # the text stays, for positions when a problem needs them
        self.dataset.entries.extend(entries)
        self.file_entries[display] = entries
        for entry in entries:
            if entry.record is not None:
                self._local(entry)
        summary = self.summaries[display] = _summarise(entries, list_kind is not None)
        summary.conflicts = self._local_conflicts(entries)
        return True

    def _entries(self, doc: Document, list_kind: str | None) -> list[Entry]:
        invalid = self._schema(doc, list_kind)
        if list_kind is not None:
            collections = [(list_kind, doc.data)]
        elif isinstance(doc.data, dict):
            collections = [(kind, doc.data.get(kind)) for kind in KINDS]
        else:
            return []
        out: list[Entry] = []
        for kind, items in collections:
            if not isinstance(items, list):
                continue
            model = KINDS[kind]
            for index, raw in enumerate(items):
                entry = Entry(kind, index, doc, raw, in_list_file=list_kind is not None)
                out.append(entry)
                if (kind, index) in invalid or kind in invalid:
                    continue
                entry.record = self._model(doc, entry, model)
                if entry.record is not None:
                    entry.raw = None  # the model holds it now; keep memory to one copy
        return out

    def _list_kind(self, doc: Document) -> str | None:
        """The kind of a file that is a plain list, named by its schema (`claims.schema.json`)."""
        if not isinstance(doc.data, list) or doc.schema_ref is None:
            return None
        name = doc.schema_ref.rsplit("/", 1)[-1]
        kind = name.removesuffix(".schema.json")
        return kind if kind in KINDS and name == list_schema_file(kind) else None

    def _check_schema_ref(self, doc: Document, list_kind: str | None) -> bool:
        """The file names its schema; a list file must name its kind's. False: stop here."""
        is_list = isinstance(doc.data, list)
        wanted = list_schema_file(list_kind or "claims") if is_list else SCHEMA_FILE
        target = self.project.root / "schema" / wanted
        try:
            expected = Path(_relpath(target, doc.path.parent)).as_posix()
        except ValueError:
            expected = f"../schema/{wanted}"
        hint = (
            f"start the file with `# yaml-language-server: $schema={expected}`"
            if doc.format == "yaml"
            else f'add "$schema": "{expected}" to the top-level object'
        )
        if is_list:
            hint += (
                " (a file that is a list names its kind's schema: claims.schema.json, events.schema.json …)"
            )
        ref = doc.schema_ref
        if ref is None:
            self.problems.append(
                Problem(doc.display, 1, 1, "schema-ref-missing", f"no schema named: {hint}", ERROR)
            )
            return not is_list
        if (is_list and list_kind is None) or (not is_list and not ref.endswith(SCHEMA_FILE)):
            self.problems.append(Problem(doc.display, 1, 1, "schema-ref", f"names {ref!r}: {hint}", ERROR))
            return not is_list
        if "://" not in ref and not (doc.path.parent / ref).is_file():
            self.problems.append(
                Problem(
                    doc.display,
                    1,
                    1,
                    "schema-ref",
                    f"names {ref!r}, which does not exist from here: {hint}",
                    WARNING,
                )
            )
        return True

    def _schema(self, doc: Document, list_kind: str | None) -> set[Any]:
        """Report schema errors; return the records (kind, index) or whole kinds that failed."""
        invalid: set[Any] = set()
        fast = fast_validator(list_kind)
        if fast is not None and fast.is_valid(doc.data):
            return invalid
        described = (d for error in validator(list_kind).iter_errors(doc.data) for d in _describe(error))
        for shown, (key, code, message, at_key) in enumerate(described):
            if shown == MAX_SCHEMA_ERRORS:  # each costs ~0.3 ms to explain: bound a hostile file
                self.report(
                    doc, (), "schema-errors-truncated", f"more than {shown} schema errors: fix these first"
                )
                invalid.update(KINDS)
                break
            self.report(doc, key, code, message, at_key=at_key)
            if list_kind is not None:
                key = (list_kind, *key)
            if len(key) >= 2:
                invalid.add(key[:2])
            elif key:
                invalid.add(key[0])
            else:
                invalid.update(KINDS)
        return invalid

    def _model(self, doc: Document, entry: Entry, model: type[BaseModel]) -> Any:
        try:
            return model.model_validate(entry.raw)
        except PydanticError as exc:
            for err in exc.errors():
                key = (*entry.key, *err["loc"])
                self.report(doc, key, "invalid-value", err["msg"])
            return None

    # -- the rules

    def run(self, progress: Progress | None = None) -> None:
        rules = [
            self._identity,
            self._references,
            self._cycles,
            self._sources,
            self._properties,
            self._evidence,
            self._names,
            self._conflicts,
        ]
        for done, rule in enumerate(rules, start=1):
            rule()
            if progress:
                progress("checking", done, len(rules))
        if self.records:  # whoever asked for the records wants the texts the quotes point into
            for source_id in self.text_paths:
                self.text(source_id)

    def _summarised(self) -> list[str]:
        """Files known only by their cached summary."""
        return [display for display in self.summaries if display not in self.docs]

    def _local(self, entry: Entry) -> None:
        """The rules that need nothing outside the record: its dates and its quantity's shape."""
        r = entry.record
        if isinstance(r, Position):
            self._date_field(entry, ("as_of",), r.as_of)
        elif isinstance(r, Event):
            self._date_field(entry, ("date",), r.date, ranged=True)
        elif isinstance(r, Claim):
            self._date_field(entry, ("point_in_time",), r.point_in_time)
            if isinstance(r.value, DateValue):
                self._date_field(entry, ("value", "date"), r.value.date, ranged=True)
            if isinstance(r.value, Quantity):
                self._quantity_shape(entry, r.value)
            if r.period is not None:
                start = self._date_field(entry, ("period", "start"), r.period.start)
                end = self._date_field(entry, ("period", "end"), r.period.end)
                if start and end and end.last < start.first:
                    self.report(
                        entry.doc,
                        (*entry.key, "period"),
                        "date-range-order",
                        f"period ends ({r.period.end}) before it starts ({r.period.start})",
                    )

    def _identity(self) -> None:
        # by_id keeps where each id's file and kind are; the record's index is looked up only
        # when a message needs it. Later files go in first so that the first file wins.
        total = 0
        found: dict[str | None, tuple[str, str, bool]] = {}
        for display, summary in reversed(self.summaries.items()):
            for kind, ids in reversed(summary.ids.items()):
                found.update(dict.fromkeys(ids, (display, kind, summary.in_list)))
                total += len(ids) - ids.count(None)
        found.pop(None, None)
        self.by_id = cast("dict[str, tuple[str, str, bool]]", found)
        if len(self.by_id) == total:
            return
        again: dict[str, list[Holder]] = defaultdict(list)
        for display, summary in self.summaries.items():
            for kind, ids in summary.ids.items():
                for index, rid in enumerate(ids):
                    if rid is not None:
                        again[rid].append(Holder(display, kind, index, summary.in_list))
        for rid, places in again.items():
            if len(places) < 2:
                continue
            # File order decides which one is "again"; positions are looked up only here.
            holders = sorted(places, key=lambda h: (h.display, self.doc(h.display).locate(h.key)))
            first = holders[0]
            for holder in holders[1:]:
                self.report(
                    self.doc(holder.display),
                    (*holder.key, "id"),
                    "duplicate-id",
                    f"id {rid!r} is already used by a {_singular(first.kind)} at {self.where(first)}: "
                    "ids are unique across all records",
                )
            self.by_id[rid] = (first.display, first.kind, first.in_list)
            self._numbers[rid] = first.number

    def holder(self, rid: str) -> Holder | None:
        """Where the record with this id is (the first, if the id is used twice)."""
        found = self.by_id.get(rid)
        if found is None:
            return None
        display, kind, in_list = found
        number = self._numbers.get(rid)
        if number is None:
            number = self._numbers[rid] = self.summaries[display].ids[kind].index(rid)
        return Holder(display, kind, number, in_list)

    def _resolves(self, ref: str, kinds: Iterable[str]) -> bool:
        target = self.by_id.get(ref)
        return target is not None and target[1] in kinds

    def _ref(self, entry: Entry, key: PathKey, ref: str, kinds: tuple[str, ...]) -> None:
        target = self.holder(ref)
        wanted = " or ".join(_singular(k) for k in kinds)
        if target is None:
            candidates = [i for i, (_, kind, _) in self.by_id.items() if kind in kinds]
            close = difflib.get_close_matches(ref, candidates, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else f": add the {wanted} or fix the id"
            if self.unloaded:
                hint += f" (note: {', '.join(self.unloaded)} could not be read and may define it)"
            self.report(
                entry.doc, (*entry.key, *key), "reference-unknown", f"no {wanted} with id {ref!r}{hint}"
            )
        elif target.kind not in kinds:
            self.report(
                entry.doc,
                (*entry.key, *key),
                "reference-kind",
                f"{ref!r} is a {_singular(target.kind)} ({self.where(target)}), "
                f"but a {wanted} is needed here",
            )

    def _references(self) -> None:
        for display in self._summarised():
            if not all(self._resolves(ref, kinds.split(",")) for ref, kinds in self.summaries[display].needs):
                self.promote(display)
        for entry in self.dataset.entries:
            if entry.record is not None:
                for key, ref, kinds in _refs(entry.record):
                    if not self._resolves(ref, kinds):
                        self._ref(entry, key, ref, kinds)

    def _cycles(self) -> None:
        for kind in ("organizations", "places", "events"):
            links = [
                (Holder(display, kind, index, summary.in_list), rid, parent)
                for display, summary in self.summaries.items()
                for of_kind, index, rid, parent in summary.parents
                if of_kind == kind
            ]
            parents = {rid: parent for _, rid, parent in links}
            reported: set[str] = set()
            for holder, rid, _ in links:
                seen: list[str] = []
                node: str | None = rid
                while node is not None and node not in seen:
                    seen.append(node)
                    node = parents.get(node)
                if node is not None and node == rid and rid not in reported:
                    reported.update(seen)
                    chain = " ⊂ ".join([*seen, node])
                    self.report(
                        self.doc(holder.display),
                        (*holder.key, "parent"),
                        "parent-cycle",
                        f"parents form a cycle: {chain}; one of them must not be its own ancestor",
                    )

    def _date_field(self, entry: Entry, key: PathKey, text: str | None, ranged: bool = False) -> Span | None:
        if text is None:
            return None
        try:
            return dates.parse_range(text) if ranged else dates.parse_date(text)
        except InvalidDate as exc:
            self.report(entry.doc, (*entry.key, *key), "date-invalid", f"{exc}: give a real calendar date")
            return None

    # -- sources

    def _sources(self) -> None:
        """Each source's text is in seeds/, unchanged (sha256), with a body that fits it and a
        publication date the page states. A source that passed with the same record and text
        is not checked again: its text is decoded only if a quote needs it."""
        seeds = self.project.seeds.resolve()
        hashes: dict[str, tuple[Holder, str]] = {}
        for display, summary in self.summaries.items():
            for index, data in summary.sources:
                holder = Holder(display, "sources", index, summary.in_list)
                self._source(holder, data, seeds, hashes)

    def _source(
        self, holder: Holder, data: dict[str, Any], seeds: Path, hashes: dict[str, tuple[Holder, str]]
    ) -> None:
        sid, file = str(data["id"]), str(data["file"])
        self.source_data[sid] = data
        published: Span | None = None
        try:
            published = dates.parse_published(str(data["published"]))
        except InvalidDate as exc:
            self.report_at(holder, ("published",), "date-invalid", f"{exc}: give a real date")
        self.published[sid] = published
        path = self.project.seeds / file
        try:
            real = path.resolve()
            real.relative_to(seeds)
        except ValueError:
            self.report_at(
                holder,
                ("file",),
                "source-outside-seeds",
                f"{file!r} leads outside seeds/ (through '..' or a symbolic link): "
                "copy the text into seeds/ and name it from there",
            )
            return
        except OSError as exc:
            self.report_at(holder, ("file",), "source-missing", f"{file!r}: {exc}")
            return
        if not real.is_file():
            self.report_at(
                holder,
                ("file",),
                "source-missing",
                f"no file seeds/{file}: add the text there byte for byte, or fix the name",
            )
            return
        raw = real.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if digest != data["sha256"]:
            self.report_at(
                holder,
                ("sha256",),
                "source-hash-mismatch",
                f"seeds/{file} has sha256 {digest}, not the recorded one: source texts are "
                "archived verbatim; restore the original, or add the new text as a new source",
            )
            return
        if digest in hashes:
            self.report_at(
                holder,
                ("sha256",),
                "source-duplicate",
                f"the same text as source {hashes[digest][1]!r} ({self.where(hashes[digest][0])}): "
                "cite that source instead",
            )
        hashes[digest] = (holder, sid)
        fingerprint = hashlib.sha256((digest + json.dumps(data, sort_keys=True)).encode()).hexdigest()
        self.fingerprints[sid] = fingerprint
        # A pass read only the record and the text: the fingerprint is its key.
        if self.cache is not None and self.cache.passed("sources", sid, fingerprint):
            self.text_paths[sid] = real
            return
        before = len(self.problems)
        src = Source.model_validate(data)
        try:
            text = decode_text(raw)
        except LoadError as exc:
            self.report_at(holder, ("file",), exc.code, f"seeds/{file}: {exc.message}")
            return
        source_text = SourceText(text)
        doc, at = self.doc(holder.display), holder.key
        if not self._body(doc, at, src, source_text.line_count):
            return
        self.text_paths[sid] = real
        self.dataset.texts[sid] = source_text
        self._published_quote(doc, at, src, source_text, published)
        if self.cache is not None and len(self.problems) == before:
            self.cache.mark_passed("sources", sid, fingerprint)

    def text(self, source_id: str) -> SourceText | None:
        """A source's text if it is usable as evidence, decoded on first use."""
        found = self.dataset.texts.get(source_id)
        if found is None and source_id in self.text_paths:
            found = self.dataset.texts[source_id] = SourceText(read_text(self.text_paths[source_id]))
        return found

    def body(self, source_id: str) -> set[int]:
        """The line numbers of a source's article body (its page furniture left out)."""
        if source_id not in self.body_lines:
            self.body_lines[source_id] = Body.model_validate(self.source_data[source_id]["body"]).lines()
        return self.body_lines[source_id]

    def _body(self, doc: Document, at: PathKey, src: Source, line_count: int) -> bool:
        body = src.body
        ok = True
        if not body.start_line <= body.end_line <= line_count:
            self.report(
                doc,
                (*at, "body"),
                "body-bounds",
                f"body lines {body.start_line}-{body.end_line} do not fit the text's {line_count} "
                "lines: start ≤ end ≤ last line",
            )
            ok = False
        for i, ex in enumerate(body.exclude):
            if not body.start_line <= ex.start_line <= ex.end_line <= body.end_line:
                self.report(
                    doc,
                    (*at, "body", "exclude", i),
                    "body-bounds",
                    f"excluded lines {ex.start_line}-{ex.end_line} are not inside the body "
                    f"{body.start_line}-{body.end_line}",
                )
                ok = False
        return ok

    def _published_quote(
        self, doc: Document, at: PathKey, src: Source, text: SourceText, published: Span | None
    ) -> None:
        key = (*at, "published_quote")
        if src.published_quote is None:
            if src.published_note is None:
                self.report(
                    doc,
                    (*at, "published"),
                    "published-unsupported",
                    "say where the date comes from: published_quote (the page's words) or, where "
                    "the page gives none, published_note (what the text supports)",
                )
            return
        # Written as is, it is there; only a quote not found as is needs the folded text.
        if src.published_quote not in text.text and not text.find_all(src.published_quote):
            self.report(doc, key, "published-quote-not-found", "the page does not contain this text")
            return
        mentions = [d for d in read_dates(src.published_quote) if d.year is not None]
        if published is not None and not any(_span(d) == published for d in mentions):
            stated = ", ".join(f"{d.text} = {_span(d)}" for d in mentions) or "no full date"
            self.report(
                doc,
                (*at, "published"),
                "published-mismatch",
                f"{src.published} is not the date the page states ({stated})",
            )
        time = re.search(r"(?<!\d)(\d{1,2}):(\d{2})(?!\d)", src.published_quote)
        if time and "T" in src.published:
            clock = src.published.split("T", 1)[1][:5]
            if clock != f"{int(time[1]):02d}:{time[2]}":
                self.report(
                    doc,
                    (*at, "published"),
                    "published-mismatch",
                    f"time {clock} is not the time the page states ({time[0]})",
                )
        zone = re.search(r"GMT\s*([+-])\s*(\d{1,2})", src.published_quote)
        if zone and "T" in src.published and not src.published.endswith(f"{zone[1]}{int(zone[2]):02d}:00"):
            self.report(
                doc,
                (*at, "published"),
                "published-mismatch",
                f"the page gives zone GMT{zone[1]}{zone[2]}; write it as {zone[1]}{int(zone[2]):02d}:00",
            )

    # -- properties and values

    def _property(self, pid: str) -> tuple[str, str | None] | None:
        """(value type, unit) of the property with this id, if it is a valid property."""
        holder = self.holder(pid)
        if holder is None or holder.kind != "properties":
            return None
        found = self.summaries[holder.display].properties.get(str(holder.number))
        return (str(found[0]), found[1]) if found is not None else None

    def _property_fits(self, pid: str, value_type: str, unit: str | None) -> bool:
        prop = self._property(pid)
        return prop is None or (
            value_type == prop[0] and not (unit is not None and prop[1] and unit != prop[1])
        )

    def _properties(self) -> None:
        for display in self._summarised():
            if not all(self._property_fits(p, t, u) for p, t, u in self.summaries[display].uses):  # type: ignore[arg-type]
                self.promote(display)
        for entry in self.dataset.valid("claims"):
            claim: Claim = entry.record
            prop = self._property(claim.property)
            if prop is None:
                continue
            value_type, unit = prop
            actual = _value_type(claim.value)
            if actual != value_type:
                self.report(
                    entry.doc,
                    (*entry.key, "value"),
                    "value-type-mismatch",
                    f"property {claim.property!r} takes a {value_type} value, not a {actual}",
                )
            elif isinstance(claim.value, Quantity) and unit and claim.value.unit != unit:
                self.report(
                    entry.doc,
                    (*entry.key, "value", "unit"),
                    "unit-mismatch",
                    f"property {claim.property!r} is measured in {unit!r}, not {claim.value.unit!r}",
                )

    def _quantity_shape(self, entry: Entry, q: Quantity) -> None:
        key = (*entry.key, "value")
        if q.comparator == "range":
            if q.lower is None or q.upper is None:
                self.report(entry.doc, key, "range-invalid", "a range needs lower and upper")
                return
        if q.lower is not None and q.upper is not None and q.upper < q.lower:
            self.report(entry.doc, key, "range-invalid", f"upper {q.upper} is below lower {q.lower}")
        elif (q.lower is not None and q.amount < q.lower) or (q.upper is not None and q.amount > q.upper):
            self.report(entry.doc, key, "range-invalid", f"amount {q.amount} lies outside its bounds")

    # -- evidence

    def _evidence(self) -> None:
        for display, summary in list(self.summaries.items()):
            if summary.evidence is None:
                continue
            key = evidence_key(self.digests.get(display, ""), summary.evidence, self.fingerprints)
            cached = self.cache.lookup(display, key) if self.cache is not None else None
            if cached is not None:
                self.problems.extend(cached.problems)
                self.anchored += cached.anchored
                if display in self.docs:
                    for (kind, index, i), (source, match) in cached.anchors.items():
                        self.dataset.anchors[(display, kind, index, i)] = Anchor(source, match)
                continue
            # A cited source changed: this file's quotes are looked up again.
            self.promote(display)
            first_problem = len(self.problems)
            anchors: dict[tuple[str, int, int], tuple[str, Match]] = {}
            for entry in self.file_entries.get(display, []):
                if entry.record is not None and entry.kind in EVIDENCED:
                    self._check_evidence(entry)
                    for i in range(len(entry.record.evidence)):
                        anchor = self.dataset.anchors.get((display, entry.kind, entry.index, i))
                        if anchor is not None:
                            anchors[(entry.kind, entry.index, i)] = (anchor.source_id, anchor.match)
            self.anchored += len(anchors)
            if self.cache is not None:
                self.cache.store(
                    display, FileResult.of(key, summary.evidence, self.problems[first_problem:], anchors)
                )

    def _check_evidence(self, entry: Entry) -> None:
        stated: list[_Quoted] = []
        for i, ev in enumerate(entry.record.evidence):
            quote = self._anchor(entry, i, ev)
            if quote is not None:
                stated.append(_Quoted(i, ev.source, quote, self.published.get(ev.source)))
        if stated:
            self._agreement(entry, stated)

    def _anchor(self, entry: Entry, i: int, ev: Evidence) -> str | None:
        """Find the quote in its source's body; return the folded quote when found."""
        text = self.text(ev.source)
        if text is None:
            return None  # the source itself was reported
        key = (*entry.key, "evidence", i, "quote")
        body = self.body(ev.source)
        loose = False
        needle = fold_text(ev.quote)
        matches = text.find_folded(needle)
        if not matches:
            needle = fold_text(ev.quote, loose=True)
            matches = text.find_folded(needle, loose=True)
            loose = bool(matches)
        if not matches:
            closest = text.closest(ev.quote, body)
            hint = ""
            if closest is not None:
                line, passage, score = closest
                hint = f"; closest passage (line {line}, {score:.0f}% alike): {passage!r}"
            self.report(entry.doc, key, "quote-not-found", f"not found in source {ev.source!r}{hint}")
            return None
        inside = [m for m in matches if m.line in body and m.end_line in body]
        if not inside:
            lines = ", ".join(str(m.line) for m in matches[:5])
            self.report(
                entry.doc,
                key,
                "quote-outside-body",
                f"found in source {ev.source!r} only outside the article body (line {lines}): "
                "page furniture is not evidence",
            )
            return None
        chosen = self._disambiguate(entry, i, ev, text, inside, loose)
        if chosen is None:
            return None
        if loose:
            self.report(
                entry.doc,
                key,
                "quote-typography",
                "matches only when dashes or quotation marks are made plain: copy the source's "
                f"characters exactly (line {chosen.line})",
                WARNING,
            )
        self.dataset.anchors[(entry.doc.display, entry.kind, entry.index, i)] = Anchor(ev.source, chosen)
        return needle

    def _disambiguate(
        self, entry: Entry, i: int, ev: Evidence, text: SourceText, matches: list[Match], loose: bool
    ) -> Match | None:
        if ev.prefix is None and ev.suffix is None:
            return matches[0]
        fits = []
        for m in matches:
            before = fold_text(text.text[: m.start], loose)
            after = fold_text(text.text[m.end :], loose)
            if ev.prefix is not None and not before.endswith(fold_text(ev.prefix, loose)):
                continue
            if ev.suffix is not None and not after.startswith(fold_text(ev.suffix, loose)):
                continue
            fits.append(m)
        if not fits:
            self.report(
                entry.doc,
                (*entry.key, "evidence", i),
                "quote-context-mismatch",
                "the quote is in the source, but never with this prefix/suffix around it",
            )
            return None
        return fits[0]

    def _agreement(self, entry: Entry, stated: list[_Quoted]) -> None:
        r = entry.record
        if isinstance(r, Claim):
            if isinstance(r.value, Quantity):
                # `original` is one source's wording; each other quote must state the amount too.
                original = fold_text(r.value.original)
                if len(stated) == len(r.evidence) and not any(original in q.quote for q in stated):
                    self.report(
                        entry.doc,
                        (*entry.key, "value", "original"),
                        "original-not-in-quote",
                        f"{r.value.original!r} is in no evidence quote: `original` keeps the source's "
                        "own wording of the number",
                    )
                for q in stated:
                    self._quantity_agrees(entry, q.index, r.value, q.quote, original)
            elif isinstance(r.value, DateValue):
                span = _safe_range(r.value.date)
                for q in stated:
                    if span and not _date_stated(span, q.dates, q.published):
                        self._date_problem(entry, ("value", "date"), r.value.date, [q], q.index)
            self._qualifier(entry, ("point_in_time",), r.point_in_time, stated)
            if r.period is not None:
                self._qualifier(entry, ("period", "start"), r.period.start, stated)
                self._qualifier(entry, ("period", "end"), r.period.end, stated)
        elif isinstance(r, Position):
            self._qualifier(entry, ("as_of",), r.as_of, stated)
        elif isinstance(r, Event) and r.date is not None:
            span = _safe_range(r.date)
            if span is None:
                return
            if not any(_date_stated(span, q.dates, q.published) for q in stated):
                self._date_problem(entry, ("date",), r.date, stated, None)
            if r.status == "held":
                for q in stated:
                    if q.published is not None and span.first > q.published.last:
                        self.report(
                            entry.doc,
                            (*entry.key, "date"),
                            "event-after-publication",
                            f"held on {r.date}, after source {q.source!r} was published "
                            f"({q.published}): if it was announced, set status: planned",
                        )
                        break

    def _qualifier(self, entry: Entry, key: PathKey, value: str | None, stated: list[_Quoted]) -> None:
        """A qualifier date must be stated by a quote or cover its source's publication date."""
        span = _safe_date(value)
        if span is None:
            return
        if any(q.published is not None and span.contains(q.published) for q in stated):
            return
        for q in stated:
            if _date_stated(span, q.dates, q.published):
                return
        self._date_problem(entry, key, value or "", stated, None)

    def _date_problem(
        self, entry: Entry, key: PathKey, value: str, quoted: list[_Quoted], index: int | None
    ) -> None:
        stated = ", ".join(describe_date(d) for q in quoted for d in q.dates) or "no date"
        where = f"evidence {index}" if index is not None else "its evidence"
        self.report(
            entry.doc,
            (*entry.key, *key),
            "date-not-in-quote",
            f"{value} is not a date that {where} states (the quote states {stated}); quote the "
            "words that give the date, or correct it",
        )

    def _quantity_agrees(self, entry: Entry, index: int, q: Quantity, quote: str, original: str) -> None:
        key = (*entry.key, "value")
        at = quote.find(original)
        wording = repr(q.original)
        if at >= 0:  # the number must be the one inside the recorded wording
            # Read only around it: the comparator word before, a range or multiplier after.
            # (16 characters hold the longest comparator, 12 a multiplier, range or percent sign)
            lo, hi = max(0, at - 16), min(len(quote), at + len(original) + 12)
            digits = any(c.isdigit() for c in original)
            window = read_numbers(quote[lo:hi], words=not digits)
            mentions = [m for m in window if m.start + lo < at + len(original) and at < m.end + lo]

        else:
            mentions = read_numbers(quote)
            wording = f"the quote of evidence {index}"
        if q.comparator == "range":
            same = [m for m in mentions if m.lower == q.lower and m.upper == q.upper]
        else:
            same = [m for m in mentions if m.value == q.amount]
        if not same:
            read = ", ".join(describe_number(m) for m in mentions) or "no number"
            wanted = f"{q.lower}-{q.upper}" if q.comparator == "range" else _plain(q.amount)
            self.report(
                entry.doc,
                (*key, "amount"),
                "amount-not-in-quote",
                f"{wanted} is not what {wording} states (read as {read})",
            )
            return
        if not any(m.comparator == q.comparator for m in same):
            self.report(
                entry.doc,
                (*key, "comparator"),
                "comparator-mismatch",
                f"comparator {q.comparator!r} disagrees with the wording of {wording} "
                f"(read as {same[0].comparator!r})",
            )
        percent_unit = q.unit in ("percent", "%")
        if any(m.percent for m in same) != percent_unit:
            self.report(
                entry.doc,
                (*key, "unit"),
                "unit-mismatch",
                "the quote states a percentage: use unit 'percent'"
                if not percent_unit
                else "unit 'percent' but the quote states no percentage",
            )

    # -- names

    def _names(self) -> None:
        """A person's, organization's or place's name (or an alias) is written in a source body
        that a record about it cites, so names are as written, not as remembered."""
        cited: dict[str, set[str]] = defaultdict(set)
        for summary in self.summaries.values():
            for entity, sources in summary.cites.items():
                cited[entity].update(sources)
        bodies: dict[str, str] = {}

        def body(source_id: str) -> str:
            """The folded article body, made only when a name's verdict is not cached."""
            if source_id not in bodies:
                text = self.text(source_id)
                assert text is not None
                lines = text.text.split("\n")
                keep = self.body(source_id)
                bodies[source_id] = fold_text("\n".join(x for i, x in enumerate(lines, 1) if i in keep))
            return bodies[source_id]

        everywhere = sorted(self.text_paths)
        for kind in ACTOR_KINDS:
            for display, summary in self.summaries.items():
                for of_kind, index, rid, name, aliases in summary.names:
                    if of_kind != kind:
                        continue
                    where = [s for s in sorted(cited.get(rid) or everywhere) if s in self.text_paths]
                    if not where:
                        continue
                    names = [fold_text(n) for n in (name, *aliases)]
                    read = "\0".join([*names, *where, *(self.fingerprints.get(s, "") for s in where)])
                    key = hashlib.sha256(read.encode()).hexdigest()
                    if self.cache is not None and self.cache.passed("names", rid, key):
                        continue
                    if any(n in body(s) for n in names for s in where):
                        if self.cache is not None:
                            self.cache.mark_passed("names", rid, key)
                        continue
                    scope = "the sources its records cite" if cited.get(rid) else "any source"
                    self.report(
                        self.doc(display),
                        (*Holder(display, kind, index, summary.in_list).key, "name"),
                        "name-not-in-sources",
                        f"{name!r} is not written in {scope}: give the name as the article writes "
                        "it, or add that spelling to aliases",
                    )

    # -- conflicts

    def _conflicts(self) -> None:
        """Claims of one subject, property and time must agree, or one of them be ranked. A
        group inside one file was judged when the file was parsed (its summary keeps the
        verdict); only a group across files needs its files parsed now."""
        seen: set[str] = set()
        spanning: set[str] = set()  # groups with claims in more than one file
        ranked: set[str] = set()
        for summary in self.summaries.values():
            spanning.update(seen.intersection(summary.groups))
            seen.update(summary.groups)
            ranked.update(summary.ranked)
        for display, summary in self.summaries.items():
            for group, problems in summary.conflicts.items():
                if group not in spanning:
                    self.problems.extend(problems_from_json(problems))
            for group in spanning.intersection(summary.groups):
                if group not in ranked:
                    self.promote(display)
        spanning -= ranked
        groups: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.dataset.valid("claims"):
            group = _group(entry.record)
            if group in spanning:
                groups[group].append(entry)
        for entries in groups.values():
            self._conflict_group(entries)

    def _local_conflicts(self, entries: list[Entry]) -> dict[str, list[dict[str, Any]]]:
        """The verdicts on groups of claims that lie in this file, as if no other file had any."""
        groups: dict[str, list[Entry]] = defaultdict(list)
        for e in entries:
            if e.kind == "claims" and e.record is not None:
                groups[_group(e.record)].append(e)
        out: dict[str, list[dict[str, Any]]] = {}
        kept = self.problems
        try:
            for group, members in groups.items():
                if len(members) > 1 and all(m.record.rank == "normal" for m in members):
                    self.problems = []
                    self._conflict_group(members)
                    out[group] = problems_to_json(self.problems)
        finally:
            self.problems = kept
        return out

    def _conflict_group(self, entries: list[Entry]) -> None:
        subject, prop = entries[0].record.subject, entries[0].record.property
        values: dict[str, list[Entry]] = defaultdict(list)
        for e in entries:
            values[_value_key(e.record.value)].append(e)
        for same in values.values():
            # One fact, one claim: a second source is a second evidence item, not a copy.
            for e in same[1:]:
                self.report(
                    e.doc,
                    (*e.key, "id"),
                    "duplicate-claim",
                    f"states what claim {same[0].id!r} ({same[0].where()}) states: move its evidence "
                    "there and delete this one",
                    WARNING,
                )
        if len(values) < 2:
            return
        for e in entries:
            mine = _value_key(e.record.value)
            sources = {ev.source for ev in e.record.evidence}
            others = [
                o
                for o in entries
                if _value_key(o.record.value) != mine
                and not sources & {ev.source for ev in o.record.evidence}
            ]
            if not others:
                continue
            other = others[0]
            self.report(
                e.doc,
                (*e.key, "value"),
                "conflict",
                f"{subject} {prop}: {mine} here, but {_value_key(other.record.value)} in claim "
                f"{other.id!r} ({other.where()}) from another source: rank one preferred or "
                "deprecated with a reason",
                WARNING,
            )


# ------------------------------------------------------------------ small helpers


@dataclass
class _Quoted:
    """An evidence quote found in its source, with the dates it states read once."""

    index: int
    source: str
    quote: str
    published: Span | None
    _dates: list[DateMention] | None = field(default=None, repr=False)

    @property
    def dates(self) -> list[DateMention]:
        """The dates the quote states, read on first use (most quotes are never asked)."""
        if self._dates is None:
            self._dates = read_dates(self.quote)
        return self._dates


def _refs(record: Any) -> Iterator[tuple[PathKey, str, tuple[str, ...]]]:
    """Each id a record refers to: where in the record, the id, and the kinds it may name."""
    pairs: list[tuple[PathKey, str | None, tuple[str, ...]]] = []
    if isinstance(record, Organization):
        pairs += [
            (("parent",), record.parent, ("organizations",)),
            (("country",), record.country, ("places",)),
        ]
    elif isinstance(record, Place):
        pairs.append((("parent",), record.parent, ("places",)))
    elif isinstance(record, Position):
        pairs += [
            (("person",), record.person, ("persons",)),
            (("organization",), record.organization, ("organizations",)),
        ]
    elif isinstance(record, Event):
        pairs += [(("place",), record.place, ("places",)), (("parent",), record.parent, ("events",))]
        pairs += [(("organizers", i), ref, ACTOR_KINDS) for i, ref in enumerate(record.organizers)]
        pairs += [(("participants", i), ref, ACTOR_KINDS) for i, ref in enumerate(record.participants)]
    elif isinstance(record, Claim):
        pairs += [
            (("subject",), record.subject, ENTITY_KINDS),
            (("property",), record.property, ("properties",)),
        ]
        if isinstance(record.value, EntityValue):
            pairs.append((("value", "entity"), record.value.entity, ENTITY_KINDS))
    for i, ev in enumerate(getattr(record, "evidence", ())):
        pairs.append((("evidence", i, "source"), ev.source, ("sources",)))
    for key, ref, kinds in pairs:
        if ref is not None:
            yield key, ref, kinds


def _group(claim: Claim) -> str:
    """Claims about the same subject, property and time: the ones that can conflict."""
    when = claim.point_in_time or (f"{claim.period.start}/{claim.period.end}" if claim.period else "")
    return f"{claim.subject}\t{claim.property}\t{when}"


def _summarise(entries: list[Entry], in_list: bool) -> Summary:
    """What the cross-file rules need of a file's records (see `Summary`)."""
    out = Summary(in_list=in_list)
    needs: set[tuple[str, str]] = set()
    uses: set[tuple[str, str, str | None]] = set()
    cites: dict[str, set[str]] = defaultdict(set)
    evidence: set[str] | None = None
    for e in entries:
        out.ids.setdefault(e.kind, []).append(e.id)
        r = e.record
        if r is None:
            continue
        refs = list(_refs(r))
        needs.update((ref, ",".join(kinds)) for _, ref, kinds in refs)
        if e.kind in EVIDENCED:
            sources = {ev.source for ev in r.evidence}
            evidence = sources if evidence is None else evidence | sources
            # The people, organizations and places it names are cited from these sources.
            for _, ref, kinds in refs:
                if not ACTOR_KINDS_SET.isdisjoint(kinds):
                    cites[ref].update(sources)
        if isinstance(r, Claim):
            value = r.value
            uses.add((r.property, _value_type(value), value.unit if isinstance(value, Quantity) else None))
            group = _group(r)
            out.groups[group] = out.groups.get(group, 0) + 1
            if r.rank != "normal" and group not in out.ranked:
                out.ranked.append(group)
        elif e.kind in ACTOR_KINDS:
            out.names.append([e.kind, e.index, r.id, r.name, list(r.aliases)])
        elif isinstance(r, Source):
            out.sources.append([e.index, r.model_dump(mode="json")])
        elif isinstance(r, Property):
            out.properties[str(e.index)] = [str(r.value_type), r.unit]
        if isinstance(r, (Organization, Place, Event)) and r.parent:
            out.parents.append([e.kind, e.index, r.id, r.parent])
    out.needs = [list(n) for n in sorted(needs)]
    out.uses = [list(u) for u in sorted(uses, key=lambda u: (u[0], u[1], u[2] or ""))]
    out.cites = {k: sorted(v) for k, v in sorted(cites.items())}
    out.evidence = sorted(evidence) if evidence is not None else None
    return out


def _relpath(target: Path, start: Path) -> str:
    import os

    return os.path.relpath(target.resolve(), start.resolve())


def _singular(kind: str) -> str:
    return {"persons": "person", "properties": "property"}.get(kind, kind.rstrip("s"))


def _value_type(value: Any) -> str:
    if isinstance(value, Quantity):
        return "quantity"
    if isinstance(value, DateValue):
        return "date"
    if isinstance(value, EntityValue):
        return "entity"
    assert isinstance(value, TextValue)
    return "text"


def _value_key(value: Any) -> str:
    if isinstance(value, Quantity):
        extra = f" {value.comparator}" if value.comparator != "exact" else ""
        return f"{_plain(value.amount)} {value.unit}{extra}"
    if isinstance(value, DateValue):
        return value.date
    if isinstance(value, EntityValue):
        return value.entity
    return fold_text(value.text)


def _plain(amount: Decimal) -> str:
    text = format(amount.normalize(), "f") if amount == amount.to_integral() else str(amount)
    return text


def _span(mention: DateMention, year: int | None = None) -> Span | None:
    try:
        return mention.span(year)
    except (InvalidDate, ValueError):
        return None


def _stated_spans(mention: DateMention, year: int | None = None) -> list[Span]:
    """The span a mention states and, for a range, its ends."""
    try:
        return [mention.span(year), *mention.end_spans(year)]
    except (InvalidDate, ValueError):
        return []


def _safe_date(text: str | None) -> Span | None:
    if text is None:
        return None
    try:
        return dates.parse_date(text)
    except InvalidDate:
        return None


def _safe_range(text: str) -> Span | None:
    try:
        return dates.parse_range(text)
    except InvalidDate:
        return None


def _date_stated(span: Span, mentions: list[DateMention], published: Span | None) -> bool:
    """Does a mention state exactly this span? A year the text leaves out is the one that
    puts the day nearest the source's publication."""
    for m in mentions:
        if m.year is not None:
            if span in _stated_spans(m):
                return True
            continue
        if published is None:
            if span in _stated_spans(m, span.first.year):
                return True
            continue
        # The publication year, or the year that puts the date nearest publication (a
        # `20/12` in a paper of 6 January is last December).
        pub = published.first
        years = [y for y in (pub.year - 1, pub.year, pub.year + 1) if _span(m, y) is not None]
        if not years:
            continue
        nearest = min(years, key=lambda y: abs((_span(m, y) or span).first - pub).days)
        for year in {nearest, pub.year, published.last.year}:
            if span in _stated_spans(m, year):
                return True
    return False


def describe_date(m: DateMention) -> str:
    """A date as the text states it and as read: `'3/6' (no year)`, `'3-6-2023' = 2023-06-03`."""
    if m.year is None:
        return f"{m.text!r} (no year)"
    return f"{m.text!r} = {_span(m)}"


def describe_number(m: NumberMention) -> str:
    """A number as read: `9800000 (about)`, `15-20`, `70%`."""
    if m.comparator == "range":
        return f"{_plain(m.lower or Decimal(0))}-{_plain(m.upper or Decimal(0))}"
    word = "" if m.comparator == "exact" else f" ({m.comparator})"
    return f"{_plain(m.value)}{'%' if m.percent else ''}{word}"


# ------------------------------------------------------------------ schema errors


def _describe(error: ValidationError) -> Iterator[tuple[PathKey, str, str, bool]]:
    """Turn a jsonschema error into (path, code, message, at_key) items a person can act on."""
    key: PathKey = tuple(error.absolute_path)
    v = error.validator
    instance = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}
    if v == "additionalProperties" and isinstance(instance, dict):
        allowed = list(schema.get("properties", {}))
        for name in instance:
            if name in allowed:
                continue
            close = difflib.get_close_matches(str(name), allowed, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else f"; allowed: {', '.join(allowed)}"
            yield (*key, name), "unknown-field", f"unknown field {name!r}{hint}", True
        return
    if v == "required":
        yield key, "missing-field", f"{error.message.split(' is a required')[0]} is required here", False
        return
    if v in ("anyOf", "oneOf"):
        yield from _describe_union(error)
        return
    if v == "type":
        expected = schema.get("type")
        got = _json_type(instance)
        hint = (
            ": put it in quotes" if expected == "string" and got in ("number", "boolean", "integer") else ""
        )
        yield key, "wrong-type", f"expected {expected}, got {got} {_short(instance)}{hint}", False
        return
    if v == "enum":
        options = [str(o) for o in schema.get("enum", [])]
        close = difflib.get_close_matches(str(instance), options, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        yield key, "invalid-value", f"{_short(instance)} is not one of {', '.join(options)}{hint}", False
        return
    if v == "pattern":
        what = schema.get("description") or f"the pattern {schema.get('pattern')}"
        yield key, "invalid-format", f"{_short(instance)} is not valid here: {what}", False
        return
    if v in ("minLength", "minItems"):
        yield key, "empty-value", "must not be empty", False
        return
    yield key, f"schema-{v}", error.message, False


def _describe_union(error: ValidationError) -> Iterator[tuple[PathKey, str, str, bool]]:
    key: PathKey = tuple(error.absolute_path)
    branches: dict[Any, list[ValidationError]] = defaultdict(list)
    for sub in error.context or []:
        branches[sub.relative_schema_path[0]].append(sub)
    # A branch whose own type does not fit (a string where an object is wanted) is no candidate.
    fitting = {
        b: errs
        for b, errs in branches.items()
        if not any(e.validator == "type" and tuple(e.absolute_path) == key for e in errs)
    }
    if not fitting:
        types = []
        for errs in branches.values():
            for e in errs:
                t = e.schema.get("type") if isinstance(e.schema, dict) else None
                if t and t not in types:
                    types.append(t)
        names = " or ".join(str(t) for t in types) or "another type"
        yield (
            key,
            "wrong-type",
            f"expected {names}, got {_json_type(error.instance)} {_short(error.instance)}",
            False,
        )
        return
    best = min(fitting.values(), key=len)
    for sub in best:
        yield from _describe(sub)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float, Decimal)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, Decimal) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."
