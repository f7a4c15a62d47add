"""The cache's files on disk: this machine's secret key (never in a project), files signed
with it and written atomically, and the shapes a file read back must have before any of it is
trusted (a cache written by a buggy or older toolkit, or by someone else, is ignored)."""

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
from pathlib import Path
from typing import Any

from toolkit.core.files import read_regular
from toolkit.core.limits import MAX_FILE_BYTES
from toolkit.core.problems import LoadError, Severity

MAGIC = "factbase-toolkit-cache 3"
KEY_BYTES = 32


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
