"""The incremental cache: what checking a record file's evidence found, keyed by everything
that can change it — the file's bytes, the records and texts of the sources it cites, and
the toolkit's version and schema. Cross-file rules are never cached; they always run.

Stored as JSON (never pickle: a project folder is untrusted input) behind a checksum, so a
hand-edited or truncated cache is detected and ignored, never believed."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit import __version__
from toolkit.problems import Problem, Severity
from toolkit.schema import render_schema
from toolkit.text import Match

CACHE_DIR = Path(".cache") / "toolkit"
CACHE_FILE = "validate.json"
MAGIC = "factbase-toolkit-cache 1"


def _stamp() -> str:
    return hashlib.sha256((__version__ + render_schema()).encode()).hexdigest()


@dataclass
class FileResult:
    """One record file's evidence results, valid while `key` is what the inputs make now."""

    key: str
    sources: list[str]
    problems: list[Problem]
    anchors: dict[tuple[str, int, int], tuple[str, Match]]

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "sources": self.sources,
            "problems": [p.to_dict() for p in self.problems],
            "anchors": [
                [kind, index, i, source, [m.start, m.end, m.line, m.end_line, m.loose]]
                for (kind, index, i), (source, m) in self.anchors.items()
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FileResult:
        problems = [
            Problem(
                p["path"],
                p["line"],
                p["column"],
                p["code"],
                p["message"],
                Severity(p["severity"]),
                p["json_path"],
            )
            for p in data["problems"]
        ]
        anchors = {(kind, index, i): (source, Match(*m)) for kind, index, i, source, m in data["anchors"]}
        return cls(data["key"], list(data["sources"]), problems, anchors)


@dataclass
class ValidationCache:
    """Cached evidence results by record file; read once, written once per run."""

    path: Path
    files: dict[str, FileResult] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0

    @classmethod
    def open(cls, root: Path) -> ValidationCache:
        """The project's cache; an unreadable, corrupted or stale one is an empty cache."""
        path = root / CACHE_DIR / CACHE_FILE
        cache = cls(path)
        try:
            raw = path.read_text(encoding="utf-8")
            header, checksum, payload = raw.split("\n", 2)
            if header != MAGIC or hashlib.sha256(payload.encode()).hexdigest() != checksum:
                return cache
            data = json.loads(payload)
            if data.get("stamp") != _stamp():
                return cache
            cache.files = {name: FileResult.from_json(item) for name, item in data["files"].items()}
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            cache.files = {}
        return cache

    def lookup(self, display: str, key: str) -> FileResult | None:
        found = self.files.get(display)
        if found is not None and found.key == key:
            self.hits += 1
            return found
        self.misses += 1
        return None

    def store(self, display: str, result: FileResult) -> None:
        self.files[display] = result

    def save(self, keep: set[str]) -> None:
        """Write atomically, keeping only the files that still exist; failures are harmless."""
        payload = json.dumps(
            {"stamp": _stamp(), "files": {k: v.to_json() for k, v in self.files.items() if k in keep}},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        text = f"{MAGIC}\n{hashlib.sha256(payload.encode()).hexdigest()}\n{payload}"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".validate.", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, self.path)
        except OSError:
            pass  # a read-only checkout validates all the same, only slower next time


def file_key(text: str, sources: list[str], fingerprints: dict[str, str]) -> str:
    """What a file's evidence results depend on: its text and the sources it cites."""
    digest = hashlib.sha256(text.encode("utf-8"))
    for source in sources:
        digest.update(b"\0" + source.encode() + b"=" + fingerprints.get(source, "missing").encode())
    return digest.hexdigest()
