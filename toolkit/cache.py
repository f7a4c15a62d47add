"""The incremental cache: what validating a record file found, so an unchanged file is never
parsed again.

One cache file per record file, valid while the record file's bytes (sha256) and the
toolkit's version and schema are what they were. It holds the file's own problems (load,
schema, models, dates), a `Summary` (what the file defines and what it needs from other
files, for the cross-file rules, which always run), and the evidence results, whose key also
covers the records and texts of the sources the file cites. Rules about one source or one
name keep their passes in one more file, each keyed by everything the verdict read.

Stored as JSON (never pickle: a project folder is untrusted input) behind a checksum, so a
hand-edited or truncated cache is detected and ignored, never believed."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from toolkit import __version__
from toolkit.problems import Problem, Severity
from toolkit.rules.base import Summary
from toolkit.schema import render_schema
from toolkit.text import Match

CACHE_DIR = Path(".cache") / "toolkit"
FILES_DIR = "files"
VERDICTS_FILE = "verdicts.json"
MAGIC = "factbase-toolkit-cache 2"

AnchorKey = tuple[str, int, int]  # (kind, record index, evidence index)


@lru_cache(maxsize=1)
def code_digest() -> str:
    """Hash of the toolkit's version and own code: a changed rule must not meet old verdicts."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    for module in sorted(package.rglob("*.py")):
        digest.update(module.relative_to(package).as_posix().encode() + b"\0" + module.read_bytes())
    return digest.hexdigest()


# The libraries whose messages and readings the cache keeps: a new version may word or read
# things differently, so it must not meet old verdicts.
STAMPED_LIBRARIES = (
    "pydantic",
    "pydantic-core",
    "jsonschema",
    "jsonschema-rs",
    "PyYAML",
    "yaml-rs",
    "rapidfuzz",
)


def _library_versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for name in STAMPED_LIBRARIES:
        try:
            out.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            out.append(f"{name}=none")
    return ";".join(out)


def _stamp() -> str:
    return hashlib.sha256((code_digest() + _library_versions() + render_schema()).encode()).hexdigest()


def problems_to_json(problems: list[Problem]) -> list[dict[str, Any]]:
    return [p.to_dict() for p in problems]


def problems_from_json(items: list[dict[str, Any]]) -> list[Problem]:
    return [
        Problem(
            p["path"],
            p["line"],
            p["column"],
            p["code"],
            p["message"],
            Severity(p["severity"]),
            p["json_path"],
            p.get("hint", ""),
        )
        for p in items
    ]


@dataclass
class FileResult:
    """One record file's evidence results, valid while `key` is what the inputs make now.

    Anchors travel as one string and are read only when asked for: a plain `validate` needs
    only how many there are."""

    key: str
    sources: list[str]
    problems: list[Problem]
    anchored: int
    _anchors: dict[AnchorKey, tuple[str, Match]] | None = None
    _packed: str = ""

    @classmethod
    def of(
        cls,
        key: str,
        sources: list[str],
        problems: list[Problem],
        anchors: dict[AnchorKey, tuple[str, Match]],
    ) -> FileResult:
        return cls(key, sources, problems, len(anchors), anchors)

    @property
    def anchors(self) -> dict[AnchorKey, tuple[str, Match]]:
        if self._anchors is None:
            out: dict[AnchorKey, tuple[str, Match]] = {}
            for line in self._packed.split("\n") if self._packed else []:
                kind, index, i, source, start, end, first, last, loose = line.split("\t")
                out[(kind, int(index), int(i))] = (
                    source,
                    Match(int(start), int(end), int(first), int(last), loose == "1"),
                )
            self._anchors = out
        return self._anchors

    def to_json(self) -> dict[str, Any]:
        packed = self._packed
        if self._anchors is not None:
            packed = "\n".join(
                f"{kind}\t{index}\t{i}\t{source}\t{m.start}\t{m.end}\t{m.line}\t{m.end_line}\t{int(m.loose)}"
                for (kind, index, i), (source, m) in self._anchors.items()
            )
        return {
            "key": self.key,
            "sources": self.sources,
            "problems": problems_to_json(self.problems),
            "anchored": self.anchored,
            "anchors": packed,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FileResult:
        return cls(
            data["key"],
            list(data["sources"]),
            problems_from_json(data["problems"]),
            int(data["anchored"]),
            None,
            str(data["anchors"]),
        )


@dataclass
class FileCache:
    """Everything cached about one record file with these bytes."""

    digest: str
    problems: list[Problem]
    summary: Summary
    evidence: FileResult | None = None

    def to_json(self, display: str) -> dict[str, Any]:
        return {
            "file": display,
            "digest": self.digest,
            "problems": problems_to_json(self.problems),
            "summary": summary_to_json(self.summary),
            "evidence": self.evidence.to_json() if self.evidence is not None else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], parts: dict[str, type]) -> FileCache:
        evidence = data["evidence"]
        return cls(
            data["digest"],
            problems_from_json(data["problems"]),
            summary_from_json(data["summary"], parts),
            FileResult.from_json(evidence) if evidence is not None else None,
        )


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def _adapter(part: Any) -> TypeAdapter[Any]:
    """One pydantic adapter per type, made on first use (making one costs far more than using it)."""
    found = _ADAPTERS.get(part)
    if found is None:
        found = _ADAPTERS[part] = TypeAdapter(part)
    return found


def summary_to_json(summary: Summary) -> dict[str, Any]:
    return {
        "in_list": summary.in_list,
        "ids": summary.ids,
        "cited": summary.cited,
        "parts": {
            name: _adapter(type(part)).dump_python(part, mode="json") for name, part in summary.parts.items()
        },
    }


def summary_from_json(data: dict[str, Any], parts: dict[str, type]) -> Summary:
    """A summary as the cache holds it, each part checked against its type: content of the
    wrong shape raises ValueError (pydantic's ValidationError is one), so it is ignored."""
    raw = data["parts"]
    if set(raw) != set(parts):
        raise ValueError("the cached summary has other parts than the rules")
    return Summary(
        _adapter(bool).validate_python(data["in_list"], strict=True),
        _adapter(dict[str, list[str | None]]).validate_python(data["ids"], strict=True),
        _adapter(list[str] | None).validate_python(data["cited"], strict=True),
        {name: _adapter(part).validate_python(raw[name]) for name, part in parts.items()},
    )


def _read(path: Path, stamp: str) -> dict[str, Any] | None:
    """The payload of a cache file, or None when it is missing, damaged or of another version."""
    try:
        raw = path.read_text(encoding="utf-8")
        header, checksum, payload = raw.split("\n", 2)
        if header != MAGIC or hashlib.sha256(payload.encode()).hexdigest() != checksum:
            return None
        data = json.loads(payload)
        if not isinstance(data, dict) or data.get("stamp") != stamp:
            return None
        return data
    except (OSError, ValueError):
        return None


def _write(path: Path, data: dict[str, Any]) -> None:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = f"{MAGIC}\n{hashlib.sha256(payload.encode()).hexdigest()}\n{payload}"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp.", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass
class ValidationCache:
    """The project's cache: read file by file as asked, written once at the end of a run."""

    root: Path
    parts: dict[str, type] = field(default_factory=dict)  # the summary part types, by name
    stamp: str = field(default_factory=lambda: _stamp())
    files: dict[str, FileCache] = field(default_factory=dict)
    verdicts: dict[str, dict[str, str]] = field(default_factory=dict)  # rule -> item -> key
    hits: int = 0
    misses: int = 0
    _dirty: set[str] = field(default_factory=set)
    _verdicts_dirty: bool = False

    @classmethod
    def open(cls, root: Path, parts: dict[str, type] | None = None) -> ValidationCache:
        """The project's cache; anything unreadable, corrupted or stale counts as absent.
        `parts` are the summary part types (by default, the rule registry's)."""
        if parts is None:
            from toolkit.rules import PARTS

            parts = PARTS
        cache = cls(root / CACHE_DIR, parts)
        data = _read(cache.root / VERDICTS_FILE, cache.stamp)
        verdicts = data.get("verdicts") if data is not None else None
        if isinstance(verdicts, dict) and all(
            isinstance(items, dict) and all(isinstance(k, str) for k in items.values())
            for items in verdicts.values()
        ):
            cache.verdicts = verdicts
        return cache

    def _path(self, display: str) -> Path:
        return self.root / FILES_DIR / (hashlib.sha256(display.encode()).hexdigest()[:32] + ".json")

    def file(self, display: str, digest: str) -> FileCache | None:
        """What was found in `display` when its bytes had this digest, if the cache knows."""
        data = _read(self._path(display), self.stamp)
        if data is None or data.get("file") != display or data.get("digest") != digest:
            return None
        try:
            found = FileCache.from_json(data, self.parts)
        except (KeyError, TypeError, ValueError, AttributeError):
            return None
        self.files[display] = found
        return found

    def put(self, display: str, entry: FileCache) -> None:
        self.files[display] = entry
        self._dirty.add(display)

    def lookup(self, display: str, key: str) -> FileResult | None:
        """The evidence results of `display` if they were found with these inputs."""
        entry = self.files.get(display)
        found = entry.evidence if entry is not None else None
        if found is not None and found.key == key:
            self.hits += 1
            return found
        self.misses += 1
        return None

    def store(self, display: str, result: FileResult) -> None:
        entry = self.files.get(display)
        if entry is not None:
            entry.evidence = result
            self._dirty.add(display)

    def passed(self, rule: str, item: str, key: str) -> bool:
        """Did `rule` pass `item` when everything it read hashed to `key`?"""
        return self.verdicts.get(rule, {}).get(item) == key

    def mark_passed(self, rule: str, item: str, key: str) -> None:
        items = self.verdicts.setdefault(rule, {})
        if items.get(item) != key:
            items[item] = key
            self._verdicts_dirty = True

    def save(self, keep: set[str]) -> None:
        """Write what changed atomically and drop files no longer in the project; a failure
        only means the next run is slower (a read-only checkout validates all the same)."""
        try:
            (self.root / FILES_DIR).mkdir(parents=True, exist_ok=True)
            for display in sorted(self._dirty & keep):
                _write(self._path(display), {"stamp": self.stamp, **self.files[display].to_json(display)})
            wanted = {self._path(d).name for d in keep}
            for stale in (self.root / FILES_DIR).glob("*.json"):
                if stale.name not in wanted:
                    stale.unlink(missing_ok=True)
            (self.root / "validate.json").unlink(missing_ok=True)  # the cache of version 1
            if self._verdicts_dirty:
                _write(self.root / VERDICTS_FILE, {"stamp": self.stamp, "verdicts": self.verdicts})
        except OSError:
            pass
        self._dirty.clear()
        self._verdicts_dirty = False


def evidence_key(digest: str, sources: list[str], fingerprints: dict[str, str]) -> str:
    """What a file's evidence results depend on: its bytes and the sources it cites."""
    out = hashlib.sha256(digest.encode())
    for source in sources:
        out.update(b"\0" + source.encode() + b"=" + fingerprints.get(source, "missing").encode())
    return out.hexdigest()
