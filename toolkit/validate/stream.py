"""One pass per record file: parse, check, summarise, find its quotes and (for a build) make
its rows, then forget its records. The build and `validate` stream files this way, so memory
holds one file's records at a time (per process) and, on several cores, whole files are
checked in worker processes that each do the full pass once.

A file's quote checks need to know the sources and the people's names. The files that may
hold those records (their bytes name `sources` or `persons`) are read first, in this
process; the rest stream. If a streamed file turns out to hold such records after all (a key
spelled with an escape), the reference data changed and those files' quotes are checked again
in the main run: the result never depends on the guess."""

from __future__ import annotations

import hashlib
import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.core.problems import LoadError, Problem, Severity
from toolkit.core.text import Match
from toolkit.records.load import load_error_problem, load_file
from toolkit.records.models import EVIDENCED_KINDS
from toolkit.validate.cache import AnchorKey
from toolkit.validate.context import Context
from toolkit.validate.rule import Entry, Summary
from toolkit.validate.rules import RULES
from toolkit.validate.rules import evidence as evidence_rules
from toolkit.validate.schema import read_file

# Below this many bytes of records to stream, starting processes costs more than it saves.
PARALLEL_FROM_BYTES = 512 * 1024
_REFERENCE_WORDS = (b"sources", b"persons")


def load_checked(ctx: Context, path: Path) -> list[Problem]:
    """Parse a file, check its schema, models and one-record rules, and summarise it (its
    records stay in `ctx` until the caller drops them)."""
    display = ctx.project.display(path)
    try:
        doc = load_file(path, display)
    except LoadError as exc:
        ctx.unloaded.append(display)
        return [load_error_problem(display, exc)]
    ctx.docs[display] = doc
    ctx.parsed[display] = parsed_digests(doc.text)
    problems, entries, in_list = read_file(ctx, doc)
    problems = [*doc.warnings, *problems]
    doc.data = None  # the text stays, for positions when a problem needs them
    ctx.file_entries[display] = entries
    hooks = [m.check_record for m in RULES if hasattr(m, "check_record")]
    for entry in entries:
        if entry.record is not None:
            for hook in hooks:
                problems.extend(hook(ctx, entry))
    ctx.summaries[display] = summarise(ctx, entries, in_list)
    return problems


def parsed_digests(text: str) -> tuple[str, str]:
    """The sha256 of the bytes a parse read, as the file's digest is taken: UTF-8 decodes
    exactly, so those bytes were the text's encoding, with or without a BOM before it."""
    raw = text.encode("utf-8", "surrogatepass")
    return hashlib.sha256(raw).hexdigest(), hashlib.sha256(b"\xef\xbb\xbf" + raw).hexdigest()


def summarise(ctx: Context, entries: list[Entry], in_list: bool) -> Summary:
    """What the cross-file rules need of a file's records: ids, cited sources, each part."""
    out = Summary(in_list=in_list)
    cited: set[str] | None = None
    for e in entries:
        out.ids.setdefault(e.kind, []).append(e.id)
        if e.record is not None and e.kind in EVIDENCED_KINDS:
            sources = {ev.source for ev in e.record.evidence}
            cited = sources if cited is None else cited | sources
    out.cited = sorted(cited) if cited is not None else None
    for module in RULES:
        if hasattr(module, "summarise"):
            part = module.summarise(ctx, entries)
            out.parts[type(part).__name__] = part
    return out


def may_hold_references(path: Path) -> bool:
    """Can this file hold source or person records? Only if its bytes name the kind (as a
    key or in its list schema's name). A file that cannot be read is read first, too."""
    try:
        data = path.read_bytes()
    except OSError:
        return True
    return any(word in data for word in _REFERENCE_WORDS)


def references(ctx: Context) -> Any:
    """What a file's quote checks read of other files, to tell whether it changed."""
    from toolkit.validate.rules.statements import person_names

    sources = {
        sid: (str(info.path), info.fingerprint, info.published, sorted(info.body) if info.path else None)
        for sid, info in ctx.sources.items()
    }
    return sources, person_names(ctx)


# A file's table rows, by table (the build's; validation only carries them), and how one
# file's rows are made: given the run and the file's records, its rows and their hash.
Rows = dict[str, list[tuple[Any, ...]]]
RowMaker = Callable[[Context, str, list[Entry]], tuple[Rows, int]]


@dataclass
class FilePass:
    """What one file's pass found: its problems and summary (None: it could not be read),
    its quotes' problems and anchors (None: it cites nothing), and its rows."""

    display: str
    problems: list[Problem]
    summary: Summary | None
    evidence: tuple[list[Problem], dict[AnchorKey, tuple[str, Match]]] | None
    rows: Rows | None
    rows_hash: int = 0
    parsed: tuple[str, str] | None = None  # the digests of the bytes parsed (parsed_digests)


def pass_file(ctx: Context, path: Path, rows: RowMaker | None) -> FilePass:
    """The whole pass over one file in `ctx` (which must know the sources); its records are
    dropped again before returning."""
    display = ctx.project.display(path)
    problems = load_checked(ctx, path)
    parsed = ctx.parsed.pop(display, None)
    summary = ctx.summaries.get(display) if display not in ctx.unloaded else None
    if summary is None:
        return FilePass(display, problems, None, None, None, parsed=parsed)
    entries = ctx.file_entries.pop(display, [])
    found = None
    if summary.cited is not None:
        checked = list(evidence_rules.find_quotes(ctx, entries))
        found = (checked, evidence_rules.file_anchors(ctx, display, entries))
    table_rows, hashed = None, 0
    errors = [*problems, *(found[0] if found else ())]
    # Rows only for a file without errors: with any, the build stops before writing.
    if rows is not None and not any(p.severity is Severity.error for p in errors):
        table_rows, hashed = rows(ctx, display, entries)
    for kind, index, i in found[1] if found else ():
        ctx.anchors.pop((display, kind, index, i), None)
    ctx.docs.pop(display, None)
    return FilePass(display, problems, summary, found, table_rows, hashed, parsed)


_INHERITED: tuple[Context, RowMaker | None] | None = None  # what a forked worker inherits


def run_passes(ctx: Context, paths: list[Path], jobs: int, rows: RowMaker | None) -> Iterator[FilePass]:
    """Each file's pass, in the order given: in `jobs` forked processes when there are
    enough bytes to share out and the platform forks, else here."""
    size = sum(file_size(p) for p in paths)
    forks = "fork" in multiprocessing.get_all_start_methods()
    if jobs < 2 or len(paths) < 2 or size < PARALLEL_FROM_BYTES or not forks:
        for path in paths:
            yield pass_file(ctx, path, rows)
        return
    global _INHERITED
    # Source texts are folded where they are searched: each worker folds those its files
    # cite, in parallel, rather than this process folding every one before they start.
    _INHERITED = (ctx, rows)
    try:
        # Chunks of about 64 KiB of records (one file, for files that size or larger) keep
        # every worker busy to the end; results come back in file order.
        chunk = max(1, min(16, len(paths) * 65536 // max(size, 1)))
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            yield from pool.map(_worker, paths, chunksize=chunk)
    finally:
        _INHERITED = None


def _worker(path: Path) -> FilePass:
    assert _INHERITED is not None, "forked without a run to inherit"
    ctx, rows = _INHERITED
    return pass_file(ctx, path, rows)


def file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
