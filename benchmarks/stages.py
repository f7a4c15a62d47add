"""Where a cold one-process build's time goes, stage by stage, compiled or pure.

    python -m benchmarks.stages PROJECT [--runs 3]            # as installed (`make fast`: compiled)
    FACTBASE_PURE=1 python -m benchmarks.stages PROJECT       # the pure Python path

cProfile cannot see inside compiled modules (nor charge a compiled generator's work to it), so
this times the stages with the clock instead: it wraps the functions the pure-Python
orchestration (toolkit.validate.stream, toolkit.build.database) calls for each stage, builds
with `jobs=1` and no cache, and prints each stage's median seconds and share of the build.
The rest is start-up excluded: cross-file rules, summaries, the run's bookkeeping.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

STAGES = {
    "load_file": "YAML: read and build the records",
    "read_file": "schema and models",
    "check_record": "one-record rules, summaries",
    "find_quotes": "quotes found and read (numbers, dates)",
    "rows": "table rows",
    "_write": "SQLite: staged rows copied, indexes, views",
}


def _timed(
    spent: dict[str, float], stage: str, fn: Callable[..., Any], listed: bool = False
) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            out = fn(*args, **kwargs)
            return list(out) if listed else out  # a generator's work happens when it is read
        finally:
            spent[stage] = spent.get(stage, 0.0) + time.perf_counter() - start

    return wrapper


_ORIGINAL: dict[str, Any] = {}  # the wrapped functions, kept from the first build


def one_build(project: Path) -> dict[str, float]:
    """Seconds per stage of one cold build (`total` included); patches stay for the process."""
    from toolkit.build import database
    from toolkit.validate import engine, stream
    from toolkit.validate.rules import evidence

    spent: dict[str, float] = {}
    wrapped: dict[ModuleType, tuple[str, ...]] = {
        stream: ("load_file", "read_file", "load_checked"),
        engine: ("load_checked",),  # the files that may hold sources or people, read first
        evidence: ("find_quotes",),
        database: ("_write",),
    }
    if not _ORIGINAL:
        _ORIGINAL.update({name: getattr(module, name) for module, names in wrapped.items() for name in names})
        _ORIGINAL["run_passes"] = vars(engine)["run_passes"]
    for module, names in wrapped.items():
        for name in names:
            setattr(module, name, _timed(spent, name, _ORIGINAL[name], listed=name == "find_quotes"))

    def passes(ctx: Any, paths: list[Path], jobs: int, rows: Any) -> Any:
        return _ORIGINAL["run_passes"](ctx, paths, jobs, _timed(spent, "rows", rows) if rows else None)

    vars(engine)["run_passes"] = passes  # the engine calls it; the rows maker goes through it
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        database.build_database(project, Path(tmp) / "stages.db", jobs=1)
        spent["total"] = time.perf_counter() - start
    # load_checked holds the parse and the schema: what is left of it is the record rules.
    spent["check_record"] = (
        spent.pop("load_checked", 0.0) - spent.get("load_file", 0.0) - spent.get("read_file", 0.0)
    )
    return spent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.stages", description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    from toolkit.core.native import compiled_modules

    runs = [one_build(args.project) for _ in range(args.runs)]
    median = {k: statistics.median(r.get(k, 0.0) for r in runs) for k in [*STAGES, "total"]}
    rest = median["total"] - sum(median[k] for k in STAGES)
    print(f"toolkit modules compiled: {len(compiled_modules())}; median of {args.runs} cold builds, jobs=1")
    for key, label in [*STAGES.items(), ("rest", "the rest (cross-file rules, bookkeeping)")]:
        seconds = rest if key == "rest" else median[key]
        print(f"{label:44} {seconds:7.2f} s {seconds / median['total']:6.1%}")
    print(f"{'cold build, start-up excluded':44} {median['total']:7.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
