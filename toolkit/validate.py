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
from typing import Any

from jsonschema import ValidationError
from pydantic import BaseModel
from pydantic import ValidationError as PydanticError

from toolkit import dates
from toolkit.cache import FileResult, ValidationCache, file_key
from toolkit.dates import InvalidDate, Span
from toolkit.load import (
    Document,
    PathKey,
    iter_record_files,
    json_path,
    load_error_problem,
    load_file,
    read_text,
)
from toolkit.models import (
    KINDS,
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

ERROR = Severity.error
WARNING = Severity.warning

ENTITY_KINDS = ("persons", "organizations", "places", "events")


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


def validate_project(
    root: Path, paths: Iterable[Path] | None = None, progress: Progress | None = None, cache: bool = True
) -> ValidationResult:
    """Validate the project at `root`; report problems of `paths` (default: all record files).

    Cross-file rules always see the whole project, so a reference into another file resolves.
    `progress(stage, done, total)` is called as files load and rules run (for a progress bar)."""
    project = Project.find(root)
    files = iter_record_files(project.seeds)
    selected = _select(project, paths) if paths else None
    checker = _Checker(project, ValidationCache.open(project.root) if cache else None)
    extra = [p for p in selected or [] if p not in files]
    # Parsed records live until the end: the cyclic collector would rescan them again and
    # again while they are built (it finds nothing to free), so it waits until we are done.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for done, path in enumerate([*files, *extra], start=1):
            checker.load(path)
            if progress:
                progress("loading", done, len(files) + len(extra))
        checker.run(progress)
        if checker.cache is not None:
            checker.cache.save({doc.display for doc in checker.dataset.documents})
    finally:
        if collecting:
            gc.enable()
    problems = checker.problems
    if selected is not None:
        shown = {project.display(p) for p in selected}
        problems = [p for p in problems if p.path in shown]
    problems = sorted(set(problems), key=lambda p: (p.path, p.line, p.column, p.code, p.message))
    count = len(selected) if selected is not None else len(files)
    result = ValidationResult(problems, checker.dataset, count)
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


class _Checker:
    def __init__(self, project: Project, cache: ValidationCache | None = None) -> None:
        self.project = project
        self.cache = cache
        self.fingerprints: dict[str, str] = {}
        self.dataset = Dataset(project)
        self.problems: list[Problem] = []
        self.by_id: dict[str, Entry] = {}
        self.published: dict[str, Span | None] = {}
        self.body_lines: dict[str, set[int]] = {}
        self.unloaded: list[str] = []

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

    # -- loading and schema

    def load(self, path: Path) -> None:
        display = self.project.display(path)
        try:
            doc = load_file(path, display)
        except LoadError as exc:
            self.problems.append(load_error_problem(display, exc))
            self.unloaded.append(display)
            return
        self.dataset.documents.append(doc)
        self.problems.extend(doc.warnings)
        if doc.data is None:
            self._check_schema_ref(doc, None)
            self.report(doc, (), "empty-file", "the file holds no records: add some or delete it")
            return
        list_kind = self._list_kind(doc)
        if not self._check_schema_ref(doc, list_kind):
            return
        invalid = self._schema(doc, list_kind)
        if list_kind is not None:
            collections = [(list_kind, doc.data)]
        elif isinstance(doc.data, dict):
            collections = [(kind, doc.data.get(kind)) for kind in KINDS]
        else:
            return
        for kind, items in collections:
            if not isinstance(items, list):
                continue
            model = KINDS[kind]
            for index, raw in enumerate(items):
                entry = Entry(kind, index, doc, raw, in_list_file=list_kind is not None)
                self.dataset.entries.append(entry)
                if (kind, index) in invalid or kind in invalid:
                    continue
                entry.record = self._model(doc, entry, model)
                if entry.record is not None:
                    entry.raw = None  # the model holds it now; keep memory to one copy
        doc.data = None  # the text stays, for positions when a problem needs them

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
        for error in validator(list_kind).iter_errors(doc.data):
            for key, code, message, at_key in _describe(error):
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
            self._dates,
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

    def _identity(self) -> None:
        holders: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.dataset.entries:
            if entry.id is not None:
                holders[entry.id].append(entry)
        for rid, entries in holders.items():
            if len(entries) > 1:
                # File order decides which one is "again"; positions are looked up only here.
                entries.sort(key=lambda e: (e.doc.display, e.doc.locate(e.key)))
                first = entries[0]
                for entry in entries[1:]:
                    self.report(
                        entry.doc,
                        (*entry.key, "id"),
                        "duplicate-id",
                        f"id {rid!r} is already used by a {_singular(first.kind)} at {first.where()}: "
                        "ids are unique across all records",
                    )
            self.by_id[rid] = entries[0]

    def _ref(self, entry: Entry, key: PathKey, ref: str | None, kinds: tuple[str, ...]) -> None:
        if ref is None:
            return
        target = self.by_id.get(ref)
        wanted = " or ".join(_singular(k) for k in kinds)
        if target is None:
            candidates = [i for i, e in self.by_id.items() if e.kind in kinds]
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
                f"{ref!r} is a {_singular(target.kind)} ({target.where()}), but a {wanted} is needed here",
            )

    def _references(self) -> None:
        actors = ("persons", "organizations", "places")
        for entry in self.dataset.entries:
            r = entry.record
            if r is None:
                continue
            if isinstance(r, Organization):
                self._ref(entry, ("parent",), r.parent, ("organizations",))
                self._ref(entry, ("country",), r.country, ("places",))
            elif isinstance(r, Place):
                self._ref(entry, ("parent",), r.parent, ("places",))
            elif isinstance(r, Position):
                self._ref(entry, ("person",), r.person, ("persons",))
                self._ref(entry, ("organization",), r.organization, ("organizations",))
            elif isinstance(r, Event):
                self._ref(entry, ("place",), r.place, ("places",))
                self._ref(entry, ("parent",), r.parent, ("events",))
                for i, ref in enumerate(r.organizers):
                    self._ref(entry, ("organizers", i), ref, actors)
                for i, ref in enumerate(r.participants):
                    self._ref(entry, ("participants", i), ref, actors)
            elif isinstance(r, Claim):
                self._ref(entry, ("subject",), r.subject, ENTITY_KINDS)
                self._ref(entry, ("property",), r.property, ("properties",))
                if isinstance(r.value, EntityValue):
                    self._ref(entry, ("value", "entity"), r.value.entity, ENTITY_KINDS)
            for i, ev in enumerate(getattr(r, "evidence", ())):
                self._ref(entry, ("evidence", i, "source"), ev.source, ("sources",))

    def _cycles(self) -> None:
        for kind in ("organizations", "places", "events"):
            parents = {e.id: e.record.parent for e in self.dataset.valid(kind) if e.record.parent}
            reported: set[str] = set()
            for entry in self.dataset.valid(kind):
                seen: list[str] = []
                node: str | None = entry.id
                while node is not None and node not in seen:
                    seen.append(node)
                    node = parents.get(node)
                if node is not None and node == entry.id and entry.id not in reported:
                    reported.update(seen)
                    chain = " ⊂ ".join([*seen, node])
                    self.report(
                        entry.doc,
                        (*entry.key, "parent"),
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

    def _dates(self) -> None:
        for entry in self.dataset.entries:
            r = entry.record
            if r is None:
                continue
            if isinstance(r, Position):
                self._date_field(entry, ("as_of",), r.as_of)
            elif isinstance(r, Event):
                self._date_field(entry, ("date",), r.date, ranged=True)
            elif isinstance(r, Claim):
                self._date_field(entry, ("point_in_time",), r.point_in_time)
                if isinstance(r.value, DateValue):
                    self._date_field(entry, ("value", "date"), r.value.date, ranged=True)
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

    # -- sources

    def _sources(self) -> None:
        seeds = self.project.seeds.resolve()
        hashes: dict[str, Entry] = {}
        for entry in self.dataset.valid("sources"):
            src: Source = entry.record
            published: Span | None = None
            try:
                published = dates.parse_published(src.published)
            except InvalidDate as exc:
                self.report(entry.doc, (*entry.key, "published"), "date-invalid", f"{exc}: give a real date")
            self.published[src.id] = published
            path = self.project.seeds / src.file
            try:
                real = path.resolve()
                real.relative_to(seeds)
            except ValueError:
                self.report(
                    entry.doc,
                    (*entry.key, "file"),
                    "source-outside-seeds",
                    f"{src.file!r} leads outside seeds/ (through '..' or a symbolic link): "
                    "copy the text into seeds/ and name it from there",
                )
                continue
            except OSError as exc:
                self.report(entry.doc, (*entry.key, "file"), "source-missing", f"{src.file!r}: {exc}")
                continue
            if not real.is_file():
                self.report(
                    entry.doc,
                    (*entry.key, "file"),
                    "source-missing",
                    f"no file seeds/{src.file}: add the text there byte for byte, or fix the name",
                )
                continue
            raw = real.read_bytes()
            digest = hashlib.sha256(raw).hexdigest()
            if digest != src.sha256:
                self.report(
                    entry.doc,
                    (*entry.key, "sha256"),
                    "source-hash-mismatch",
                    f"seeds/{src.file} has sha256 {digest}, not the recorded one: source texts are "
                    "archived verbatim; restore the original, or add the new text as a new source",
                )
                continue
            if digest in hashes:
                self.report(
                    entry.doc,
                    (*entry.key, "sha256"),
                    "source-duplicate",
                    f"the same text as source {hashes[digest].id!r} ({hashes[digest].where()}): "
                    "cite that source instead",
                )
            hashes[digest] = entry
            self.fingerprints[src.id] = hashlib.sha256(
                (digest + json.dumps(src.model_dump(mode="json"), sort_keys=True)).encode()
            ).hexdigest()
            try:
                text = read_text(real)
            except LoadError as exc:
                self.report(entry.doc, (*entry.key, "file"), exc.code, f"seeds/{src.file}: {exc.message}")
                continue
            source_text = SourceText(text)
            if not self._body(entry, src, len(source_text.lines.starts)):
                continue
            self.dataset.texts[src.id] = source_text
            self._published_quote(entry, src, source_text, published)

    def _body(self, entry: Entry, src: Source, line_count: int) -> bool:
        body = src.body
        ok = True
        if not body.start_line <= body.end_line <= line_count:
            self.report(
                entry.doc,
                (*entry.key, "body"),
                "body-bounds",
                f"body lines {body.start_line}-{body.end_line} do not fit the text's {line_count} "
                "lines: start ≤ end ≤ last line",
            )
            ok = False
        for i, ex in enumerate(body.exclude):
            if not body.start_line <= ex.start_line <= ex.end_line <= body.end_line:
                self.report(
                    entry.doc,
                    (*entry.key, "body", "exclude", i),
                    "body-bounds",
                    f"excluded lines {ex.start_line}-{ex.end_line} are not inside the body "
                    f"{body.start_line}-{body.end_line}",
                )
                ok = False
        self.body_lines[src.id] = body.lines()
        return ok

    def _published_quote(self, entry: Entry, src: Source, text: SourceText, published: Span | None) -> None:
        key = (*entry.key, "published_quote")
        if src.published_quote is None:
            if src.published_note is None:
                self.report(
                    entry.doc,
                    (*entry.key, "published"),
                    "published-unsupported",
                    "say where the date comes from: published_quote (the page's words) or, where "
                    "the page gives none, published_note (what the text supports)",
                )
            return
        if not text.find_all(src.published_quote):
            self.report(entry.doc, key, "published-quote-not-found", "the page does not contain this text")
            return
        mentions = [d for d in read_dates(src.published_quote) if d.year is not None]
        if published is not None and not any(_span(d) == published for d in mentions):
            stated = ", ".join(f"{d.text} = {_span(d)}" for d in mentions) or "no full date"
            self.report(
                entry.doc,
                (*entry.key, "published"),
                "published-mismatch",
                f"{src.published} is not the date the page states ({stated})",
            )
        time = re.search(r"(?<!\d)(\d{1,2}):(\d{2})(?!\d)", src.published_quote)
        if time and "T" in src.published:
            clock = src.published.split("T", 1)[1][:5]
            if clock != f"{int(time[1]):02d}:{time[2]}":
                self.report(
                    entry.doc,
                    (*entry.key, "published"),
                    "published-mismatch",
                    f"time {clock} is not the time the page states ({time[0]})",
                )
        zone = re.search(r"GMT\s*([+-])\s*(\d{1,2})", src.published_quote)
        if zone and "T" in src.published and not src.published.endswith(f"{zone[1]}{int(zone[2]):02d}:00"):
            self.report(
                entry.doc,
                (*entry.key, "published"),
                "published-mismatch",
                f"the page gives zone GMT{zone[1]}{zone[2]}; write it as {zone[1]}{int(zone[2]):02d}:00",
            )

    # -- properties and values

    def _properties(self) -> None:
        for entry in self.dataset.valid("claims"):
            claim: Claim = entry.record
            prop_entry = self.by_id.get(claim.property)
            if prop_entry is None or not isinstance(prop_entry.record, Property):
                continue
            prop: Property = prop_entry.record
            actual = _value_type(claim.value)
            if actual != prop.value_type:
                self.report(
                    entry.doc,
                    (*entry.key, "value"),
                    "value-type-mismatch",
                    f"property {prop.id!r} takes a {prop.value_type} value, not a {actual}",
                )
            elif isinstance(claim.value, Quantity) and prop.unit and claim.value.unit != prop.unit:
                self.report(
                    entry.doc,
                    (*entry.key, "value", "unit"),
                    "unit-mismatch",
                    f"property {prop.id!r} is measured in {prop.unit!r}, not {claim.value.unit!r}",
                )
            if isinstance(claim.value, Quantity):
                self._quantity_shape(entry, claim.value)

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
        by_doc: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.dataset.entries:
            if entry.record is not None and entry.kind in ("positions", "events", "claims"):
                by_doc[entry.doc.display].append(entry)
        for doc in self.dataset.documents:
            entries = by_doc.get(doc.display, [])
            if not entries:
                continue
            cited = sorted({ev.source for e in entries for ev in e.record.evidence})
            key = file_key(doc.text, cited, self.fingerprints)
            cached = self.cache.lookup(doc.display, key) if self.cache is not None else None
            if cached is not None:
                self.problems.extend(cached.problems)
                for (kind, index, i), (source, match) in cached.anchors.items():
                    self.dataset.anchors[(doc.display, kind, index, i)] = Anchor(source, match)
                continue
            first_problem = len(self.problems)
            anchors_before = set(self.dataset.anchors)
            for entry in entries:
                self._check_evidence(entry)
            if self.cache is not None:
                anchors = {
                    (k[1], k[2], k[3]): (a.source_id, a.match)
                    for k, a in self.dataset.anchors.items()
                    if k not in anchors_before
                }
                self.cache.store(doc.display, FileResult(key, cited, self.problems[first_problem:], anchors))

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
        text = self.dataset.texts.get(ev.source)
        if text is None:
            return None  # the source itself was reported
        key = (*entry.key, "evidence", i, "quote")
        body = self.body_lines[ev.source]
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
        for entry in self.dataset.entries:
            r = entry.record
            if r is None or not hasattr(r, "evidence"):
                continue
            sources = {ev.source for ev in r.evidence}
            for ref in _references_of(r):
                cited[ref] |= sources
        bodies: dict[str, str] = {}
        for source_id, text in self.dataset.texts.items():
            lines = text.text.split("\n")
            keep = self.body_lines[source_id]
            bodies[source_id] = fold_text("\n".join(line for i, line in enumerate(lines, 1) if i in keep))
        for kind in ("persons", "organizations", "places"):
            for entry in self.dataset.valid(kind):
                r = entry.record
                where = [bodies[s] for s in sorted(cited.get(r.id) or bodies) if s in bodies]
                if not where:
                    continue
                names = [fold_text(n) for n in (r.name, *r.aliases)]
                if not any(n in body for n in names for body in where):
                    scope = "the sources its records cite" if cited.get(r.id) else "any source"
                    self.report(
                        entry.doc,
                        (*entry.key, "name"),
                        "name-not-in-sources",
                        f"{r.name!r} is not written in {scope}: give the name as the article writes "
                        "it, or add that spelling to aliases",
                    )

    # -- conflicts

    def _conflicts(self) -> None:
        groups: dict[tuple[str, str, str], list[Entry]] = defaultdict(list)
        for entry in self.dataset.valid("claims"):
            c: Claim = entry.record
            when = c.point_in_time or (f"{c.period.start}/{c.period.end}" if c.period else "")
            groups[(c.subject, c.property, when)].append(entry)
        for (subject, prop, _), entries in groups.items():
            if len(entries) < 2 or any(e.record.rank != "normal" for e in entries):
                continue
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
                continue
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


def _relpath(target: Path, start: Path) -> str:
    import os

    return os.path.relpath(target.resolve(), start.resolve())


def _singular(kind: str) -> str:
    return {"persons": "person", "properties": "property"}.get(kind, kind.rstrip("s"))


def _references_of(record: Any) -> list[str]:
    """Ids of the people, organizations and places a record names."""
    refs: list[str | None] = []
    if isinstance(record, Position):
        refs += [record.person, record.organization]
    elif isinstance(record, Event):
        refs += [record.place, *record.organizers, *record.participants]
    elif isinstance(record, Claim):
        refs.append(record.subject)
        if isinstance(record.value, EntityValue):
            refs.append(record.value.entity)
    return [r for r in refs if r]


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
