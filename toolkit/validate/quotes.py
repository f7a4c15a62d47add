"""How a run gets each file's quote checks: from the cache while the file, the sources it
cites and the people's names are unchanged; from the file's streamed pass; from worker
processes all at once; or found again here. The engine's `_Run` takes these methods."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator

from toolkit.core.problems import Problem
from toolkit.validate.cache import FileResult, ValidationCache, evidence_key
from toolkit.validate.context import Anchor, Context
from toolkit.validate.plan import FoundEvidence, Plan
from toolkit.validate.rule import Entry
from toolkit.validate.rules import evidence as evidence_rules
from toolkit.validate.rules.statements import person_names
from toolkit.validate.shards import check_in_parallel


class QuoteChecks:
    """The quote-checking half of a validation run (see toolkit.validate.engine)."""

    ctx: Context
    cache: ValidationCache | None
    plan: Plan
    streamed: dict[str, FoundEvidence]
    passed: set[str]
    only: set[str] | None
    prefetched: dict[str, FileResult] | None
    anchored: int

    def promote(self, display: str) -> None:
        raise NotImplementedError  # the run parses a file known only by its summary

    def evidence_of(self, display: str, run: Callable[[list[Entry]], Iterator[Problem]]) -> Iterator[Problem]:
        """One file's evidence problems: cached while the file and its cited sources are
        unchanged, else found by `run` on its records (parsed for that)."""
        ctx = self.ctx
        summary = ctx.summaries[display]
        if summary.cited is None or (self.only is not None and display not in self.only):
            return
        key = self.evidence_key(display)
        cached = self.cache.lookup(display, key) if self.cache is not None else None
        streamed = self.streamed.pop(display, None)
        if cached is None and streamed is not None:
            cached = FileResult.of(key, summary.cited, *streamed)  # checked in the file's pass
        elif cached is None and self.plan.jobs > 1:
            cached = self.prefetch().get(display)
        if cached is not None and self.cache is not None and not self.cache.knows(display, key):
            self.cache.store(display, cached)  # checked in another process, kept the same
        if cached is not None:
            self.anchored += cached.anchored
            if display in ctx.docs:
                for (kind, index, i), (source, match) in cached.anchors.items():
                    ctx.anchors[(display, kind, index, i)] = Anchor(source, match)
            yield from cached.problems
            return
        self.promote(display)  # a cited source changed: this file's quotes are looked up again
        entries = ctx.file_entries.get(display, [])
        problems = list(run(entries))
        anchors = evidence_rules.file_anchors(ctx, display, entries)
        self.anchored += len(anchors)
        if self.cache is not None:
            self.cache.store(display, FileResult.of(key, summary.cited, problems, anchors))
        yield from problems

    def evidence_key(self, display: str) -> str:
        """What a file's evidence results depend on: its bytes, the sources it cites, and the
        people's names (statements are checked against them, wherever they are defined)."""
        prints = {sid: info.fingerprint for sid, info in self.ctx.sources.items() if info.fingerprint}
        people = self.ctx.memo.get("people-print")
        if people is None:
            names = sorted(person_names(self.ctx).items())
            people = self.ctx.memo["people-print"] = hashlib.sha256(repr(names).encode()).hexdigest()
        return evidence_key(
            self.ctx.digests.get(display, "") + people, self.ctx.summaries[display].cited or [], prints
        )

    def prefetch(self) -> dict[str, FileResult]:
        """The evidence of every file the cache does not know, checked in `jobs` processes at
        once (the first time a file's evidence is asked for)."""
        if self.prefetched is None:
            ctx = self.ctx
            wanted = [
                d
                for d, summary in ctx.summaries.items()
                if summary.cited is not None
                and d not in self.passed
                and (self.only is None or d in self.only)
                and (self.cache is None or not self.cache.knows(d, self.evidence_key(d)))
            ]
            self.prefetched = check_in_parallel(ctx, wanted, self.plan.jobs, self.evidence_key)
        return self.prefetched
