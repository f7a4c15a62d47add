"""The incremental cache: what validating a record file found, so an unchanged file is never
parsed again.

One cache file per record file, valid while the record file's bytes (sha256) and the
toolkit's version and schema are what they were. It holds the file's own problems (load,
schema, models, dates), a `Summary` (what the file defines and what it needs from other
files, for the cross-file rules, which always run), and the evidence results, whose key also
covers the records and texts of the sources the file cites. Rules about one source or one
name keep their passes in one more file, each keyed by everything the verdict read.

Stored as JSON (never pickle: a project folder is untrusted input), signed with an HMAC
whose key is this machine's own, kept outside any project (under `$XDG_CACHE_HOME`, by default
`~/.cache/factbase-toolkit/`). A cache is a record of what *this machine* computed: one
committed to the repository, copied from another machine, hand-edited or truncated fails the
signature and is ignored, never believed. Content that passes the signature is still checked
for shape before use, so a cache written by a buggy or older toolkit is ignored too."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from toolkit.core.problems import Problem, Severity
from toolkit.core.text import Match
from toolkit.core.version import __version__
from toolkit.records.schema import render_schema
from toolkit.validate.cache_files import (
    _FILE_SHAPE,
    _fits,
    _read,
    _symlink_on_the_way,
    _write,
)
from toolkit.validate.cache_files import (
    KEY_BYTES as KEY_BYTES,
)
from toolkit.validate.cache_files import (
    MAGIC as MAGIC,
)
from toolkit.validate.cache_files import (
    key_path as key_path,
)
from toolkit.validate.cache_files import (
    machine_key as machine_key,
)
from toolkit.validate.cache_files import (
    read_signed as read_signed,
)
from toolkit.validate.cache_files import (
    sign as sign,
)
from toolkit.validate.rule import Summary
from toolkit.validate.rules import PARTS

CACHE_DIR = Path(".cache") / "toolkit"
FILES_DIR = "files"
VERDICTS_FILE = "verdicts.json"

AnchorKey = tuple[str, int, int]  # (kind, record index, evidence index)


@lru_cache(maxsize=1)
def code_digest() -> str:
    """Hash of the toolkit's version and own code: a changed rule must not meet old verdicts."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parents[1]  # the whole toolkit, not only this package
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


def summary_parts_default() -> dict[str, type]:
    """The summary part types of the rule registry."""
    return PARTS


@dataclass
class ValidationCache:
    """The project's cache: read file by file as asked, written once at the end of a run."""

    root: Path
    key: bytes | None = None  # None: nothing is read or written
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
            parts = summary_parts_default()
        # A cache folder that is a symlink (committed, say, pointing at ~/.ssh) is never used:
        # saving writes files there and deletes the *.json files it does not know.
        linked = _symlink_on_the_way(root, root / CACHE_DIR / FILES_DIR)
        cache = cls(root / CACHE_DIR, None if linked else machine_key(root), parts)
        data = _read(cache.root / VERDICTS_FILE, cache.stamp, cache.key)
        verdicts: Any = data.get("verdicts") if data is not None else None
        if _fits(verdicts, ("dict", ("dict", str))):
            cache.verdicts = verdicts
        return cache

    def _path(self, display: str) -> Path:
        return self.root / FILES_DIR / (hashlib.sha256(display.encode()).hexdigest()[:32] + ".json")

    def file(self, display: str, digest: str) -> FileCache | None:
        """What was found in `display` when its bytes had this digest, if the cache knows."""
        data = self._load(self._path(display))
        if data is None or data.get("file") != display or data.get("digest") != digest:
            return None
        if not _fits(data, _FILE_SHAPE):
            return None  # signed by this machine, but not what this toolkit writes
        try:
            found = FileCache.from_json(data, self.parts)
        except (KeyError, TypeError, ValueError, AttributeError):
            return None
        self.files[display] = found
        return found

    def _load(self, path: Path) -> dict[str, Any] | None:
        """A cache file's payload if this machine signed it (see `_read`)."""
        return _read(path, self.stamp, self.key)

    def put(self, display: str, entry: FileCache) -> None:
        self.files[display] = entry
        self._dirty.add(display)

    def knows(self, display: str, key: str) -> bool:
        """Are the evidence results of `display` with these inputs known (no hit counted)?"""
        entry = self.files.get(display)
        return entry is not None and entry.evidence is not None and entry.evidence.key == key

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
        if self.key is None:
            return
        try:
            (self.root / FILES_DIR).mkdir(parents=True, exist_ok=True)
            for display in sorted(self._dirty & keep):
                entry = {"stamp": self.stamp, **self.files[display].to_json(display)}
                _write(self._path(display), entry, self.key)
            wanted = {self._path(d).name for d in keep}
            for stale in (self.root / FILES_DIR).glob("*.json"):
                if stale.name not in wanted:
                    stale.unlink(missing_ok=True)
            (self.root / "validate.json").unlink(missing_ok=True)  # the cache of version 1
            if self._verdicts_dirty:
                _write(self.root / VERDICTS_FILE, {"stamp": self.stamp, "verdicts": self.verdicts}, self.key)
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
