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
import hmac
import json
import os
import re
import secrets
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from toolkit.core.files import read_regular
from toolkit.core.limits import MAX_FILE_BYTES
from toolkit.core.problems import LoadError, Problem, Severity
from toolkit.core.text import Match
from toolkit.core.version import __version__
from toolkit.records.schema import render_schema
from toolkit.validate.rule import Summary
from toolkit.validate.rules import PARTS

CACHE_DIR = Path(".cache") / "toolkit"
FILES_DIR = "files"
VERDICTS_FILE = "verdicts.json"
MAGIC = "factbase-toolkit-cache 3"
KEY_BYTES = 32

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


def key_path() -> Path:
    """Where this machine's cache key lives: the user's cache directory, never a project."""
    base = os.environ.get("XDG_CACHE_HOME") or ""
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
    return root / "factbase-toolkit" / "cache.key"


def machine_key(project: Path) -> bytes | None:
    """This machine's secret cache key, created on first use; None (no cache at all) when it
    cannot be had safely: inside the project's tree (where it could be committed), not a
    private regular file of this user, or not writable. Without a key a run is only slower."""
    try:
        path = key_path()
    except (RuntimeError, KeyError, OSError):  # no home directory to keep a key in
        return None
    try:
        path.parent.resolve().relative_to(project.resolve())
        return None  # a key inside the tree could be committed with a forged cache
    except ValueError:
        pass
    except OSError:
        return None
    for _ in range(2):
        try:
            # O_NONBLOCK: a FIFO put where the key lives must not hang the run (refused below).
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except FileNotFoundError:
            if not _create_key(path):
                return None
            continue
        except OSError:
            return None
        try:
            info = os.fstat(fd)
            private = not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH | stat.S_IRGRP | stat.S_IROTH)
            mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
            key = os.read(fd, KEY_BYTES + 1)
        except OSError:
            return None
        finally:
            os.close(fd)
        ok = stat.S_ISREG(info.st_mode) and private and mine and len(key) == KEY_BYTES
        return key if ok else None
    return None


def _create_key(path: Path) -> bool:
    """Write a new random key, readable by this user only; a concurrent run may win the race."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except FileExistsError:
        return True
    except OSError:
        return False
    try:
        os.write(fd, secrets.token_bytes(KEY_BYTES))
    except OSError:
        os.close(fd)
        path.unlink(missing_ok=True)
        return False
    os.close(fd)
    return True


def _symlink_on_the_way(root: Path, target: Path) -> bool:
    """Is any folder from `root` (exclusive) down to `target` a symbolic link (or not a folder)?"""
    here = root
    for part in target.relative_to(root).parts:
        here = here / part
        if here.is_symlink() or (here.exists() and not here.is_dir()):
            return True
    return False


def sign(key: bytes, payload: str) -> str:
    """The HMAC-SHA256 of a payload with this key, in hex."""
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()


def _read(path: Path, stamp: str, key: bytes | None) -> dict[str, Any] | None:
    """The payload of a cache file, or None when it is missing, damaged, of another version,
    or not signed with this machine's key."""
    if key is None:
        return None
    return read_signed(path, MAGIC, stamp, key)


MAX_ENTRY_BYTES = 32 * MAX_FILE_BYTES  # a cache entry holds one record file's findings


def read_signed(path: Path, magic: str, stamp: str, key: bytes) -> dict[str, Any] | None:
    """The payload of a file written as `magic`, signature, payload, if `key` signed it and it
    carries `stamp`; None for anything else. The signature is checked before the JSON is
    parsed, and a FIFO, a folder or a file too large for an entry is never read (a FIFO in
    the cache or a shard's folder hung the run)."""
    try:
        raw = read_regular(path, MAX_ENTRY_BYTES).decode("utf-8")
        header, signature, payload = raw.split("\n", 2)
        if header != magic or not hmac.compare_digest(sign(key, payload), signature):
            return None
        data = json.loads(payload)
        if not isinstance(data, dict) or data.get("stamp") != stamp:
            return None
        return data
    except (LoadError, ValueError, RecursionError):
        return None


def _write(path: Path, data: dict[str, Any], key: bytes) -> None:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = f"{MAGIC}\n{sign(key, payload)}\n{payload}"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp.", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        raise


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


# ------------------------------------------------------------------ shapes

# A shape is a type (str, int, bool, dict for any object, None), ("list", shape),
# ("dict", shape) with text keys, ("tuple", [shape, ...]) for a list of fixed length, or
# ("or", [shape, ...]). Checked before anything cached is used: a wrongly typed value would
# otherwise surface as a crash deep inside a rule.
Shape = Any

_PROBLEM: Shape = ("problem",)
_EVIDENCE_SHAPE: Shape = (
    "or",
    [
        None,
        (
            "record",
            {"key": str, "sources": ("list", str), "problems": ("list", _PROBLEM), "anchored": int},
        ),
    ],
)
_FILE_SHAPE: Shape = (
    "record",
    {
        "file": str,
        "digest": str,
        "problems": ("list", _PROBLEM),
        "summary": dict,  # its parts are checked by their types when read (summary_from_json)
        "evidence": _EVIDENCE_SHAPE,
    },
)
_PROBLEM_FIELDS = {"path": str, "line": int, "column": int, "code": str, "message": str, "json_path": str}
_LINE = r"[^\t\n]*\t\d+\t\d+\t[^\t\n]*(?:\t\d+){4}\t[01]"
# Anchors travel one per line: every line empty or an anchor, checked in one match.
_ANCHOR_LINES = re.compile(rf"(?:{_LINE})?(?:\n(?:{_LINE})?)*")


def _fits(value: Any, shape: Shape) -> bool:
    """Does `value` (decoded JSON) have `shape`? Exact: a bool is not an int here."""
    check = _CHECKS.get(shape if isinstance(shape, type) or shape is None else shape[0])
    return check is not None and check(value, shape)


def _fits_record(value: Any, shape: Shape) -> bool:
    fields: dict[str, Shape] = shape[1]
    if not isinstance(value, dict) or not all(_fits(value.get(k, _MISSING), f) for k, f in fields.items()):
        return False
    anchors = value.get("anchors")
    if "anchored" in fields:  # evidence results: anchors travel packed, one per line
        return isinstance(anchors, str) and _ANCHOR_LINES.fullmatch(anchors) is not None
    return True


def _fits_problem(value: Any, _shape: Shape) -> bool:
    return (
        isinstance(value, dict)
        and all(type(value.get(k)) is t for k, t in _PROBLEM_FIELDS.items())
        and value.get("severity") in {s.value for s in Severity}
        and type(value.get("hint", "")) is str
    )


_MISSING = object()
_CHECKS: dict[Any, Callable[[Any, Shape], bool]] = {
    str: lambda v, _s: type(v) is str,
    int: lambda v, _s: type(v) is int,
    bool: lambda v, _s: type(v) is bool,
    dict: lambda v, _s: type(v) is dict,
    None: lambda v, _s: v is None,
    "list": lambda v, s: type(v) is list and all(_fits(x, s[1]) for x in v),
    "dict": lambda v, s: type(v) is dict and all(type(k) is str and _fits(x, s[1]) for k, x in v.items()),
    "tuple": lambda v, s: type(v) is list and len(v) == len(s[1]) and all(map(_fits, v, s[1])),
    "or": lambda v, s: any(_fits(v, x) for x in s[1]),
    "record": _fits_record,
    "problem": _fits_problem,
}


def evidence_key(digest: str, sources: list[str], fingerprints: dict[str, str]) -> str:
    """What a file's evidence results depend on: its bytes and the sources it cites."""
    out = hashlib.sha256(digest.encode())
    for source in sources:
        out.update(b"\0" + source.encode() + b"=" + fingerprints.get(source, "missing").encode())
    return out.hexdigest()
