"""Validation past one machine: a map over record files and a reduce over their summaries.

`toolkit validate --shard K/N --summaries DIR` checks the K-th of N shares of the record files
(their schema, one-record rules and evidence) and writes each file's results to DIR;
`toolkit validate --merge DIR` runs the cross-file rules over every file's summary and reports
what one run would. The summaries are the per-file results the cache keeps, stamped with the
toolkit's and libraries' versions and signed like the cache: with the key in
$FACTBASE_SUMMARY_KEY (the shards and the merge of a CI run share it as a secret), else this
machine's cache key. A shard never reads what its folder already holds, and a merge believes
only what that key signed: any other file (a `summaries/` folder committed with forged
results, a FIFO, a summary nested 200 000 deep) is checked again by the merge itself."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from toolkit.core.files import atomic_write
from toolkit.core.problems import CannotWrite, LoadError, Problem, UsageError
from toolkit.core.text import Match
from toolkit.records.load import load_file
from toolkit.validate.cache import (
    FILES_DIR,
    AnchorKey,
    FileResult,
    ValidationCache,
    machine_key,
    read_signed,
    sign,
    summary_parts_default,
)
from toolkit.validate.context import Context, Project, SourceInfo
from toolkit.validate.rule import Entry
from toolkit.validate.stream import file_size

MAGIC = "factbase-toolkit-summaries 2"
PARALLEL_FROM_BYTES = 512 * 1024
KEY_VARIABLE = "FACTBASE_SUMMARY_KEY"


def summary_key(project: Path) -> bytes | None:
    """The key summaries are signed with: $FACTBASE_SUMMARY_KEY when set (any text: its
    sha256 is the key), else this machine's cache key (None: no key, nothing verifies)."""
    shared = os.environ.get(KEY_VARIABLE, "")
    return hashlib.sha256(shared.encode()).digest() if shared else machine_key(project)


def parse_shard(text: str) -> tuple[int, int]:
    """`2/4` -> (2, 4): the second of four shares, counted from 1."""
    try:
        k, n = (int(part) for part in text.split("/", 1))
    except ValueError:
        raise UsageError(f"--shard {text!r}: write it as K/N, e.g. 1/4") from None
    if not 1 <= k <= n:
        raise UsageError(f"--shard {text!r}: K must be between 1 and N")
    return k, n


def in_shard(index: int, shard: tuple[int, int]) -> bool:
    """Files are dealt out in their sorted order, one to each shard in turn."""
    k, n = shard
    return index % n == k - 1


class SummaryStore(ValidationCache):
    """Shard results in a folder the user names: a shard writes only its files and reads
    none (it never reuses what the folder holds); a merge reads those signed with the key.
    Never pruned: the other shards write into the same folder."""

    writing: bool = False

    @classmethod
    def at(cls, folder: Path, project: Path, writing: bool) -> SummaryStore:
        store = cls(folder, summary_key(project), summary_parts_default())
        store.writing = writing
        if writing:
            try:
                (folder / FILES_DIR).mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                advice = "give --summaries a folder you can write to"
                raise CannotWrite(folder, exc.strerror or exc, advice) from None
        return store

    def _load(self, path: Path) -> dict[str, Any] | None:
        if self.writing or self.key is None:
            return None  # a shard computes its files; unsigned, nothing can be believed
        return read_signed(path, MAGIC, self.stamp, self.key)

    def passed(self, rule: str, item: str, key: str) -> bool:
        return False  # verdicts on sources and names are remade by the merge, never shipped

    def save(self, keep: set[str]) -> None:
        """Write this shard's files (`keep`), signed; leave every other file in the folder alone."""
        for display in sorted(keep & set(self.files)):
            entry = {"stamp": self.stamp, **self.files[display].to_json(display)}
            payload = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
            signature = sign(self.key, payload) if self.key is not None else ""
            try:
                atomic_write(self._path(display), f"{MAGIC}\n{signature}\n{payload}")
            except OSError as exc:
                raise CannotWrite(self._path(display), exc.strerror or exc) from None
        self._dirty.clear()


# ------------------------------------------------------------------ several processes

Found = dict[str, tuple[list[Problem], dict[AnchorKey, tuple[str, Match]]]]


def check_in_parallel(
    ctx: Context, displays: list[str], jobs: int, key_of: Callable[[str], str]
) -> dict[str, FileResult]:
    """The evidence results of these files, checked in up to `jobs` processes.

    Where processes can fork, each inherits this run as it stands (records parsed, sources
    found, texts read and folded) and only checks quotes: nothing is parsed twice, and only
    problems and anchors travel back. Elsewhere each worker parses its files again."""
    from toolkit.validate.rules.statements import person_names

    # Below a few hundred kilobytes of records, starting processes costs more than it saves:
    # the files are checked in this process as they are asked for.
    if len(displays) < 2 or sum(file_size(ctx.paths[d]) for d in displays) < PARALLEL_FROM_BYTES:
        return {}
    by_size = sorted(displays, key=lambda d: -file_size(ctx.paths[d]))
    groups = [by_size[i::jobs] for i in range(min(jobs, len(by_size)))]
    memo = {"person-names": person_names(ctx)}
    if "fork" in multiprocessing.get_all_start_methods():
        global _INHERITED
        ctx.memo.update(memo)
        for sid in {s for d in displays for s in ctx.summaries[d].cited or []}:
            text = ctx.text(sid)
            if text is not None:
                text.prepare()  # folded once here, shared by every worker
        _INHERITED = ctx
        try:
            with ProcessPoolExecutor(len(groups), mp_context=multiprocessing.get_context("fork")) as pool:
                parts = list(pool.map(_inherited_worker, groups))
        finally:
            _INHERITED = None
    else:
        work = [
            (str(ctx.project.root), group, {d: ctx.paths[d] for d in group}, ctx.sources, memo)
            for group in groups
        ]
        with ProcessPoolExecutor(len(groups), mp_context=multiprocessing.get_context("spawn")) as pool:
            parts = list(pool.map(_evidence_worker, work))
    out: dict[str, FileResult] = {}
    for part in parts:
        for display, (problems, anchors) in part.items():
            cited = ctx.summaries[display].cited or []
            out[display] = FileResult.of(key_of(display), cited, problems, anchors)
    return out


_INHERITED: Context | None = None  # the run a forked worker inherits (set only while forking)


def _inherited_worker(displays: list[str]) -> Found:
    """In a forked worker: check the quotes of files the parent parsed (a file it knows only
    by its summary is parsed here)."""
    ctx = _INHERITED
    assert ctx is not None, "forked without a run to inherit"
    out: Found = {}
    for display in displays:
        entries = ctx.file_entries.get(display)
        if entries is None:
            entries = _parse(ctx, display)
        if entries is not None:
            out[display] = _quotes_of(ctx, display, entries)
    return out


def _parse(ctx: Context, display: str) -> list[Entry] | None:
    """A file's records, parsed in a worker (None: it cannot be read; the main run says why)."""
    from toolkit.validate.schema import read_file

    try:
        doc = load_file(ctx.paths[display], display)
    except LoadError:
        return None
    ctx.docs[display] = doc
    _, entries, _ = read_file(ctx, doc)
    doc.data = None
    return entries


def _quotes_of(
    ctx: Context, display: str, entries: list[Entry]
) -> tuple[list[Problem], dict[AnchorKey, tuple[str, Match]]]:
    from toolkit.validate.rules import evidence

    return list(evidence.find_quotes(ctx, entries)), evidence.file_anchors(ctx, display, entries)


def _evidence_worker(
    args: tuple[str, list[str], dict[str, Path], dict[str, SourceInfo], dict[str, Any]],
) -> Found:
    """In a worker process: parse each file and check its quotes (evidence and the rules that
    read what the quotes state)."""
    from toolkit.validate.rules import RULES

    root, displays, paths, sources, memo = args
    ctx = Context(Project(Path(root)))
    ctx.sources, ctx.paths = sources, paths
    ctx.memo.update(memo)
    ctx.quoted_checks = [m.check_quoted for m in RULES if hasattr(m, "check_quoted")]
    out: Found = {}
    for display in displays:
        entries = _parse(ctx, display)
        if entries is not None:
            out[display] = _quotes_of(ctx, display, entries)
    return out
