"""Validation: every rule in `toolkit.validate.rules`, every problem in one run.

This module only orchestrates: it loads each record file (or takes what the cache knows of
an unchanged one), runs the rule modules' hooks in the registry's order, and collects and
orders the problems they return. A record that fails the schema is not checked further,
but its id still counts, so one typo does not cascade into a dangling reference elsewhere."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import Protocol

from toolkit.core.aside import Aside, can_fork
from toolkit.core.collector import collector_paused
from toolkit.core.files import file_digest
from toolkit.core.problems import Problem
from toolkit.records.load import iter_record_files
from toolkit.records.models import EVIDENCED_KINDS, KINDS
from toolkit.validate.cache import FileCache, FileResult, ValidationCache
from toolkit.validate.context import Context, Project
from toolkit.validate.inputs import open_store, select_files
from toolkit.validate.plan import FoundEvidence, Plan
from toolkit.validate.quotes import QuoteChecks
from toolkit.validate.readings import describe_date, describe_number
from toolkit.validate.result import Dataset, ValidationResult
from toolkit.validate.rule import Entry
from toolkit.validate.rules import RULES
from toolkit.validate.rules import evidence as evidence_rules
from toolkit.validate.rules import sources as source_rules
from toolkit.validate.shards import in_shard
from toolkit.validate.stream import FilePass, Rows, load_checked, may_hold_references, references, run_passes

Progress = Callable[[str, int, int], None]


class RowSink(Protocol):
    """Where the build's rows go, file by file (toolkit.build.database), and how they are
    made: validation only hands records over, so it never depends on the build."""

    def make(self, ctx: Context, display: str, entries: list[Entry]) -> tuple[Rows, int]: ...

    def add(self, display: str, rows: Rows, hashed: int | None = None) -> None: ...

    def drop(self, display: str) -> None: ...

    def ready(self, counts: dict[str, int]) -> None:
        """Every row is in (`counts`: records by kind): write them, the rules' verdict to come."""


def validate_project(
    root: Path,
    paths: Iterable[Path] | None = None,
    progress: Progress | None = None,
    cache: bool = True,
    records: bool = True,
    plan: Plan = Plan(),
    rows: RowSink | None = None,
) -> ValidationResult:
    """Validate the project at `root`; report problems of `paths` (default: all record files).

    Cross-file rules always see the whole project, so a reference into another file resolves.
    With `records=False` an unchanged file's problems and summary come from the cache (the
    problems are the same), and the others stream (toolkit.validate.stream): each is checked in one
    pass, on `plan.jobs` processes, and its records are dropped, so the result's dataset holds
    only the files kept in this process (those that may define sources or people, and those a
    rule looked into). With a `rows` sink (the build) every file is parsed and each valid
    file's table rows are handed to it (toolkit.build.rows) as they are made. `progress(stage, done,
    total)` is called as files load and rules run. The report is the same whatever the `plan`."""
    project = Project.find(root)
    files = iter_record_files(project.seeds)
    selected = select_files(project, paths) if paths else None
    store = open_store(project, cache, plan)
    run = _Run(project, store, records and plan.merge is None, plan, rows)
    if plan.shard is not None:
        run.only = {project.display(p) for i, p in enumerate(files) if in_shard(i, plan.shard)}
    extra = [p for p in selected or [] if p not in files]
    with collector_paused():  # parsed records and summaries live until the end
        everything = [*files, *extra]
        for done, path in enumerate(everything, start=1):
            run.add(path)
            if progress and not run.queue:
                progress("loading", done, len(everything))
        run.drain(progress, len(everything))
        if rows is not None and _beside(run):
            _check_beside(run, rows, progress)
        else:
            run.check(progress)
            if run.cache is not None and plan.merge is None:
                run.cache.save(run.only if run.only is not None else set(run.ctx.summaries))
    problems = run.problems
    if selected is not None or run.only is not None:
        shown = {project.display(p) for p in selected} if selected is not None else run.only or set()
        problems = [p for p in problems if p.path in shown]
    problems = sorted(set(problems), key=lambda p: (p.path, p.line, p.column, p.code, p.message))
    count = len(selected) if selected is not None else len(run.only) if run.only is not None else len(files)
    result = ValidationResult(problems, _dataset(run.ctx), count, _counts(run.ctx), run.anchored, run.parsed)
    if rows is not None and result.ok:
        run.rows_of_parsed()
    if run.cache is not None:
        result.cache_hits, result.cache_misses = run.cache.hits, run.cache.misses
    result.unmerged = run.unmerged
    _release(run.ctx)
    return result


def _beside(run: _Run) -> bool:
    """May the sink write while the cross-file rules check? Only with processes to spare, a
    whole project to check, and no file refused already (its build is refused anyway)."""
    plan = run.plan
    whole = plan.shard is None and plan.merge is None and run.only is None
    refused = any(p.is_error for p in run.problems)
    return plan.jobs > 1 and whole and not refused and can_fork()


def _check_beside(run: _Run, rows: RowSink, progress: Progress | None) -> None:
    """The cross-file rules and the cache's save in a forked copy of this process while the
    sink takes every row and writes (a build's tables, thrown away should the rules refuse
    the records): only their problems come back, added here as if checked here."""
    # First the quotes of the files parsed here (their rows say where the quotes lie), against
    # the sources, which no stream has read when every file was parsed here.
    if run.sourced is None:
        run.sourced = list(source_rules.check(run.ctx))
    run.check(None, (evidence_rules,))
    before = len(run.problems)

    def work() -> tuple[list[Problem], int]:
        run.check(None, tuple(m for m in RULES if m is not evidence_rules))
        if run.cache is not None:
            run.cache.save(set(run.ctx.summaries))
        found = run.problems[before:]
        del run.problems[before:]  # (done here when the copy failed: added once, below)
        return found, run.parsed

    aside = Aside(work)
    failed: Exception | None = None
    try:
        run.rows_of_parsed()
        rows.ready(_counts(run.ctx))
    except Exception as exc:  # records the rules refuse may not even write (a dangling key)
        failed = exc
    except BaseException:
        aside.close()
        raise
    found, run.parsed = aside.result()
    run.problems.extend(found)
    if failed is not None and not any(p.is_error for p in run.problems):  # (a refusal wins)
        raise failed
    if progress:
        progress("checking", 1, 1)


def _release(ctx: Context) -> None:
    """Drop the context's hooks into its run: the run and its context then die with the call
    that made them, by reference counting, instead of waiting as a cycle for the collector
    (which a build pauses until it ends) with every summary they hold."""
    ctx.promote = Context.promote
    ctx.evidence_of = Context.evidence_of


def _counts(ctx: Context) -> dict[str, int]:
    """How many records of each kind the run saw, from the files' summaries."""
    out = dict.fromkeys(KINDS, 0)
    for summary in ctx.summaries.values():
        for kind, ids in summary.ids.items():
            out[kind] += len(ids)
    return out


def _dataset(ctx: Context) -> Dataset:
    """The records kept in this process, with the sources' texts, for what comes next."""
    entries = [e for display in ctx.docs for e in ctx.file_entries.get(display, [])]
    return Dataset(ctx.project, list(ctx.docs.values()), entries, ctx.texts, ctx.anchors)


class _Run(QuoteChecks):
    """One validation run: loads files, calls the rules' hooks, collects their problems.
    A file whose summary came from the cache is parsed again only when a rule asks."""

    def __init__(
        self,
        project: Project,
        cache: ValidationCache | None,
        records: bool,
        plan: Plan,
        rows: RowSink | None = None,
    ) -> None:
        self.cache = cache
        self.records = records
        self.plan = plan
        self.sink = rows
        self.want_rows = rows is not None
        # Without records a file is checked in one pass and forgotten (a shard keeps the
        # files it does not check out of that pass: it reads only their summaries).
        self.stream = self.want_rows or (not records and plan.shard is None and plan.merge is None)
        self.queue: list[tuple[str, Path, str, bool]] = []  # display, path, digest, in the cache
        self.streamed: dict[str, FoundEvidence] = {}  # quotes checked by a file's pass
        self.rowed: set[str] = set()  # files whose rows the sink has
        self.passed: set[str] = set()  # files whose pass checked their quotes
        self.sourced: list[Problem] | None = None  # the source rule's findings, once all are known
        self.only: set[str] | None = None  # a shard checks the evidence of these files only
        self.prefetched: dict[str, FileResult] | None = None
        self.unmerged: list[str] = []
        self.ctx = Context(project, cache, promote=self.promote, evidence_of=self.evidence_of)
        self.ctx.quoted_checks = [m.check_quoted for m in RULES if hasattr(m, "check_quoted")]
        self.problems: list[Problem] = []
        self.anchored = 0
        self.parsed = 0

    # -- files

    def add(self, path: Path) -> None:
        """Take a record file from the cache when its bytes are unchanged, else parse it
        (or queue it for its pass, when files stream)."""
        ctx = self.ctx
        display = ctx.project.display(path)
        ctx.paths[display] = path
        try:
            digest = file_digest(path)
        except OSError:
            digest = ""  # loading it reports why
        # A symbolic link is never taken from the cache: loading it says why it is refused.
        usable = digest and self.cache is not None and not path.is_symlink()
        cached = self.cache.file(display, digest) if usable and self.cache is not None else None
        if cached is None and self.plan.merge is not None:
            self.unmerged.append(display)  # no shard wrote it (or it changed since): checked here
        if cached is not None and not self.records and not self.want_rows:
            ctx.digests[display] = digest
            ctx.summaries[display] = cached.summary
            self.problems.extend(cached.problems)
            return
        if self.stream:
            self.queue.append((display, path, digest, cached is not None))
            return
        self._loaded(display, digest, self.load(path), cached is not None, ctx.parsed.pop(display, None))

    def _loaded(
        self,
        display: str,
        digest: str,
        found: list[Problem],
        was_cached: bool,
        parsed: tuple[str, str] | None,
    ) -> None:
        """Keep a parsed file's problems, and its findings in the cache under the digest of
        the bytes parsed: a file replaced between hashing and parsing was cached under the
        old bytes' digest, so the old bytes later passed as the new ones had."""
        ctx = self.ctx
        self.problems.extend(found)
        self.parsed += 1
        if parsed is not None and digest not in parsed:
            digest, was_cached = parsed[0], False
            if self.cache is not None:
                self.cache.files.pop(display, None)
        if display in ctx.summaries and digest:
            ctx.digests[display] = digest
            if self.cache is not None and not was_cached:
                # (A file parsed although cached keeps its entry: same bytes, same findings.)
                self.cache.put(display, FileCache(digest, found, ctx.summaries[display]))

    def drain(self, progress: Progress | None, total: int) -> None:
        """Pass over the queued files: first those that may hold sources or people (here,
        records kept), then the rest, streamed (see toolkit.validate.stream)."""
        ctx = self.ctx
        queue, self.queue = self.queue, []
        done = total - len(queue)
        holds = [may_hold_references(q[1]) for q in queue]
        first = [q for q, h in zip(queue, holds, strict=True) if h]
        rest = {q[0]: q for q, h in zip(queue, holds, strict=True) if not h}
        for display, path, digest, was_cached in first:
            self._loaded(display, digest, self.load(path), was_cached, ctx.parsed.pop(display, None))
            done += 1
            if progress:
                progress("loading", done, total)
        if not rest:
            return
        # What the quotes are checked against; its problems are reported with the other
        # cross-file rules', unless a streamed file turns out to define sources after all.
        self.sourced = list(source_rules.check(ctx))
        known = references(ctx)
        recheck = False
        # Rows of the files read first that need no quote checked (sources, people) are made
        # while the workers run, once the first result shows they have started.
        early = [
            d for d, *_ in first if not any(e.kind in EVIDENCED_KINDS for e in ctx.file_entries.get(d, []))
        ]
        for found in run_passes(
            ctx, [q[1] for q in rest.values()], self.plan.jobs, self.sink.make if self.sink else None
        ):
            if early and self.sink is not None:
                self.rows_of_parsed(early)
                early = []
            display, _, digest, was_cached = rest[found.display]
            if found.summary is None:
                if display not in ctx.unloaded:  # (a pass in this process noted it already)
                    ctx.unloaded.append(display)
            else:
                ctx.summaries[display] = found.summary
                recheck = recheck or _holds_references(found)
            self._loaded(display, digest, found.problems, was_cached, found.parsed)
            if found.evidence is not None:
                self.streamed[display] = found.evidence
                self.passed.add(display)
            if found.rows is not None and self.sink is not None:
                self.sink.add(display, found.rows, found.rows_hash)
                self.rowed.add(display)
            done += 1
            if progress:
                progress("loading", done, total)
        self._settle(rest, known, recheck)

    def _settle(self, rest: dict[str, tuple[str, Path, str, bool]], known: object, recheck: bool) -> None:
        """After the stream: the files in their order again, and, should a streamed file have
        held sources or people after all, the others checked again here."""
        ctx = self.ctx
        # The cross-file rules read the files in their order.
        order = {d: i for i, d in enumerate(ctx.paths)}
        for d in sorted(ctx.summaries, key=order.__getitem__):
            ctx.summaries[d] = ctx.summaries.pop(d)
        ctx.unloaded.sort(key=order.__getitem__)
        ctx.memo.pop("person-names", None)
        ctx.memo.pop("people-print", None)
        if recheck:
            self.sourced = list(source_rules.check(ctx))
            if references(ctx) != known:  # a streamed file held sources or people after all
                for display in rest:  # checked again here, records kept (a rare, slow path)
                    self.passed.discard(display)
                    self.streamed.pop(display, None)
                    if display in self.rowed and self.sink is not None:
                        self.rowed.discard(display)
                        self.sink.drop(display)
                    if display not in ctx.unloaded:
                        self.promote(display)
            ctx.memo.pop("person-names", None)
            ctx.memo.pop("people-print", None)

    def rows_of_parsed(self, displays: Iterable[str] | None = None) -> None:
        """Hand the sink the rows of the files parsed in this process (their records kept),
        or of those of `displays`."""
        ctx = self.ctx
        for display in ctx.paths if displays is None else displays:
            if display not in self.rowed and display in ctx.file_entries and self.sink is not None:
                self.sink.add(display, *self.sink.make(ctx, display, ctx.file_entries[display]))
                self.rowed.add(display)

    def promote(self, display: str) -> None:
        """Parse a file known only by its summary, so a rule can check its records in full.
        Its own problems came from the cache already."""
        if display not in self.ctx.docs:
            self.load(self.ctx.paths[display])
            self.parsed += 1

    def load(self, path: Path) -> list[Problem]:
        """Parse a file, check its schema, models and one-record rules, and summarise it."""
        return load_checked(self.ctx, path)

    # -- rules

    def check(self, progress: Progress | None, rules: tuple[ModuleType, ...] = RULES) -> None:
        project_rules = [m for m in rules if hasattr(m, "check")]
        if self.plan.shard is not None:  # a shard maps: the cross-file rules are the merge's
            project_rules = [m for m in project_rules if m.__name__.endswith((".sources", ".evidence"))]
        for done, module in enumerate(project_rules, start=1):
            if module is source_rules and self.sourced is not None:
                self.problems.extend(self.sourced)  # checked once every source was known
            else:
                self.problems.extend(module.check(self.ctx))
            if progress:
                progress("checking", done, len(project_rules))
        if self.records:  # whoever asked for the records wants the texts the quotes point into
            for sid, info in self.ctx.sources.items():
                if info.path is not None:
                    self.ctx.text(sid)


def _holds_references(found: FilePass) -> bool:
    """Did a streamed file define sources or people (which its bytes did not seem to name)?"""
    from toolkit.validate.rules.names import NamesPart
    from toolkit.validate.rules.sources import SourcesPart

    summary = found.summary
    if summary is None:
        return False
    return bool(summary.of(SourcesPart).records) or any(
        n.kind == "persons" for n in summary.of(NamesPart).names
    )


__all__ = [
    "Dataset",
    "Entry",
    "Plan",
    "Progress",
    "Project",
    "ValidationResult",
    "describe_date",
    "describe_number",
    "validate_project",
]
