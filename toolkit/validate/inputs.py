"""What a validation run reads: the record files asked for (checked to lie inside the
project), and where per-file results come from and go (the cache, or a shard's folder)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from toolkit.core.problems import UsageError
from toolkit.records.load import iter_record_files
from toolkit.validate.cache import ValidationCache
from toolkit.validate.context import Project
from toolkit.validate.plan import Plan
from toolkit.validate.rules import PARTS
from toolkit.validate.shards import SummaryStore


def open_store(project: Project, cache: bool, plan: Plan) -> ValidationCache | None:
    """Where per-file results come from and go: a shard's or merge's folder, else the cache."""
    if plan.shard is not None and plan.merge is not None:
        raise UsageError("--shard and --merge are two steps: run the shards first, then one --merge DIR")
    if plan.summaries is not None and plan.shard is None:
        raise UsageError(
            "--summaries DIR goes with --shard K/N (the folder a shard writes); read it with --merge DIR"
        )
    if plan.shard is not None or plan.merge is not None:
        folder = plan.merge or plan.summaries
        if folder is None:
            raise UsageError("--shard needs --summaries DIR: the folder its results are written to")
        if plan.merge is not None and not folder.is_dir():
            raise UsageError(f"--merge {folder}: no such folder (the shards' --summaries)")
        return SummaryStore.at(folder, project.root, writing=plan.shard is not None)
    return ValidationCache.open(project.root, PARTS) if cache else None


def select_files(project: Project, paths: Iterable[Path]) -> list[Path]:
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
