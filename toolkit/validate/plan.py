"""How a validation run is spread (processes, a shard's share, a merge), and what a file's
quote checks found: shared by the engine and its parts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from toolkit.core.problems import Problem
from toolkit.core.text import Match
from toolkit.validate.cache import AnchorKey

FoundEvidence = tuple[list[Problem], dict[AnchorKey, tuple[str, Match]]]


@dataclass(frozen=True)
class Plan:
    """How a run is spread: `jobs` processes for the files' passes (toolkit.validate.stream); a `shard`
    (K, N) that checks only its share of the files and writes their results to `summaries`; or
    a `merge` of the summaries such shards wrote (see toolkit.validate.shards)."""

    jobs: int = 1
    shard: tuple[int, int] | None = None
    summaries: Path | None = None
    merge: Path | None = None
