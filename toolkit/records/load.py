"""Load YAML and JSON record files into plain data, keeping the line and column of every value.

YAML is built from libyaml's events by `toolkit.records.yaml` (duplicate keys caught, YAML 1.2
scalars, warnings for YAML 1.1 surprises); JSON goes through the standard library's C decoder
with a duplicate-key hook. Both keep numbers exact and within `toolkit.core.limits`, and both stop
a hostile file (size, nesting, alias expansion, huge numbers, lone surrogates, lone CR line
ends, a symlink pointing anywhere) with a LoadError naming line and column: never a crash."""

from __future__ import annotations

import bisect
import json
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.core.limits import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_NODES,
    NumberOutOfRange,
    PathKey,
    json_path,
    parse_decimal,
    parse_int,
)
from toolkit.core.problems import (
    AliasLimitExceeded,
    DuplicateKey,
    FileTooLarge,
    LineEndings,
    LoadError,
    MalformedJson,
    NestingTooDeep,
    NotUtf8,
    NumberTooLarge,
    Problem,
    Severity,
    SymlinkedFile,
    UnreadableFile,
)
from toolkit.records.yaml import parse_yaml, yaml_positions

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "RECORD_SUFFIXES",
    "Document",
    "PathKey",
    "decode_text",
    "iter_record_files",
    "json_path",
    "load_error_problem",
    "load_file",
    "read_text",
]

RECORD_SUFFIXES = (".yaml", ".yml", ".json")
SCHEMA_COMMENT = re.compile(r"^#\s*yaml-language-server:\s*\$schema=(\S+)\s*$")


@dataclass
class Document:
    """A loaded record file: its data, the text it came from and where each value stands."""

    path: Path
    display: str
    text: str
    data: Any
    format: str
    schema_ref: str | None = None
    warnings: list[Problem] = field(default_factory=list)
    _positions: dict[PathKey, tuple[int, int]] | None = None
    _key_positions: dict[PathKey, tuple[int, int]] | None = None

    def _ensure_positions(self) -> None:
        if self._positions is None:
            # Files are parsed without positions; they are found again only when a problem
            # needs one, which most files never do. The same parser read the file, so this
            # cannot fail; if it ever did, the problem is still reported, at the file's start.
            try:
                if self.format == "json":
                    self._positions, self._key_positions = _json_positions(self.text)
                else:
                    self._positions, self._key_positions = yaml_positions(self.text, self.display)
            except Exception:  # pragma: no cover - a parser disagreeing with itself
                self._positions, self._key_positions = {}, {}

    def locate(self, key: PathKey, at_key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value at `key` (or of its key), or of its nearest parent."""
        self._ensure_positions()
        assert self._positions is not None and self._key_positions is not None
        table = self._key_positions if at_key else self._positions
        probe = key
        while probe:
            if probe in table:
                return table[probe]
            if at_key:
                table = self._positions
                at_key = False
                continue
            probe = probe[:-1]
        return self._positions.get((), (1, 1))


def read_text(path: Path, max_bytes: int | None = None, follow_symlinks: bool = True) -> str:
    """Read a UTF-8 file (a BOM is fine); the errors say where and what to do.

    With `follow_symlinks=False` a symbolic link is refused, not followed: opened with
    O_NOFOLLOW, so a link swapped in after a check is refused too."""
    max_bytes = MAX_FILE_BYTES if max_bytes is None else max_bytes
    # O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused below).
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
        if path.is_symlink():
            raise _symlink_error(path)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise UnreadableFile("no such file") from None
    except OSError as exc:
        if not follow_symlinks and path.is_symlink():
            raise _symlink_error(path) from None
        if isinstance(exc, IsADirectoryError):
            raise UnreadableFile("is a directory, not a file") from None
        raise UnreadableFile(f"cannot be read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise UnreadableFile("is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile("is not a regular file (a device, pipe or socket): records are text files")
        if info.st_size > max_bytes:
            raise FileTooLarge(
                f"file is {info.st_size:,} bytes, over the limit of {max_bytes:,}: "
                "split it into smaller files"
            )
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise UnreadableFile(f"cannot be read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(raw) > max_bytes:  # grew while being read (a FIFO, a file being written)
        raise FileTooLarge(f"file is over the limit of {max_bytes:,} bytes: split it into smaller files")
    return decode_text(raw)


def _symlink_error(path: Path) -> SymlinkedFile:
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    return SymlinkedFile(
        f"is a symbolic link (to {target}): a record file must be a regular file inside seeds/; "
        "copy the file in instead of linking it"
    )


def decode_text(raw: bytes) -> str:
    """UTF-8 bytes (a BOM is fine) as text; NotUtf8 says where the first bad byte is."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise NotUtf8(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02X}): save the file as UTF-8",
            line,
            column,
        ) from None


def _line_col(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


_LONE_CR = re.compile(r"\r(?!\n)")
_YAML11_BREAK = re.compile("[\x85\u2028\u2029]")


def load_file(path: Path, display: str | None = None) -> Document:
    """Load one record file; raises a LoadError subclass naming line and column on bad input.

    A symbolic link is refused (it could point outside seeds/, and symlinked folders are
    never walked either)."""
    display = display or str(path)
    text = read_text(path, follow_symlinks=False)
    if "\x00" in text:
        raise NotUtf8(
            "contains a NUL character: this is not a text file", *_line_col(text, text.index("\x00"))
        )
    if "\r" in text:
        cr = _LONE_CR.search(text)
        if cr is not None:
            raise LineEndings(
                "a line ends with a lone carriage return (CR, the line end of classic Mac OS): "
                "save the file with LF (or CRLF) line endings",
                *_line_col(text, cr.start()),
            )
    if path.suffix.lower() == ".json":
        return load_json_text(text, path, display)
    odd = _YAML11_BREAK.search(text)
    if odd is not None:  # YAML 1.1 tools (libyaml) break lines there; YAML 1.2 does not
        raise LineEndings(
            f"contains U+{ord(odd.group()):04X}, which YAML 1.1 tools (libyaml among them) read as a "
            "line break and YAML 1.2 tools as a character: use a plain space or line break, or "
            f"write \\u{ord(odd.group()):04x} inside a double-quoted string",
            *_line_col(text, odd.start()),
        )
    return load_yaml_text(text, path, display)


# ------------------------------------------------------------------ JSON


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Duplicate(key)
        out[key] = value
    return out


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _json_int(literal: str) -> int:
    return int(literal) if len(literal) < 20 else parse_int(literal)  # short: the common case


def load_json_text(text: str, path: Path, display: str) -> Document:
    """Decode a JSON record file: duplicate keys, depth, number range and lone surrogates are
    refused with the position of the fault (found by a linear scan, only when needed)."""
    try:
        data = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_float=parse_decimal,
            parse_int=_json_int,
            parse_constant=_reject_constant,
        )
    except _Duplicate:
        _json_depth(text)  # too deep to scan for positions: say so instead
        _json_positions(text)  # raises DuplicateKey at the second occurrence
        raise AssertionError("unreachable") from None
    except json.JSONDecodeError as exc:
        _json_depth(text)  # the decoder gives up on deep nesting with its own message
        raise MalformedJson(f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except NumberOutOfRange as exc:
        raise NumberTooLarge(exc.describe(), *_json_number_at(text, exc.literal)) from None
    except (ValueError, RecursionError) as exc:
        _json_depth(text)  # deeper than the decoder's recursion limit
        raise MalformedJson(f"invalid JSON: {exc}", *_json_constant_at(text)) from None
    if not _within_depth(data):
        _json_depth(text)  # raises with the position
        raise NestingTooDeep(f"nested deeper than {MAX_DEPTH} levels: flatten the data")
    if "\\u" in text and _SURROGATE_ESCAPE.search(text) and _has_surrogate(data):
        raise NotUtf8(
            "a \\u escape stands for half of a UTF-16 surrogate pair with no other half: it is not "
            "a character and cannot be saved as UTF-8; write the character itself",
            *_lone_surrogate_at(text),
        )
    doc = Document(path, display, text, data, "json")
    if isinstance(data, dict) and isinstance(data.get("$schema"), str):
        doc.schema_ref = data["$schema"]
    return doc


def _within_depth(data: Any) -> bool:
    """Is `data` at most MAX_DEPTH deep? Raises AliasLimitExceeded past MAX_NODES values: the
    same bound the YAML builder keeps, so no rule ever walks millions of values."""
    if not isinstance(data, (dict, list)):
        return True
    stack: list[tuple[Any, int]] = [(data, 1)]
    nodes = 1
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        items = value.values() if isinstance(value, dict) else value
        nodes += len(items)
        if nodes > MAX_NODES:
            raise AliasLimitExceeded(f"holds more than {MAX_NODES:,} values: split the file")
        stack.extend((v, depth + 1) for v in items if isinstance(v, (dict, list)))
    return True


_JSON_SKIM = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[{]|[\]}]')


def _json_depth(text: str) -> None:
    """Raise NestingTooDeep at the first bracket nested deeper than MAX_DEPTH (a linear scan
    that skips strings), so no later step walks a deep text."""
    depth = 0
    for m in _JSON_SKIM.finditer(text):
        c = text[m.start()]
        if c in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise NestingTooDeep(
                    f"nested deeper than {MAX_DEPTH} levels: flatten the data", *_line_col(text, m.start())
                )
        elif c in "]}":
            depth -= 1


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_surrogate(data: Any) -> bool:
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                return True
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False


def _lone_surrogate_at(text: str) -> tuple[int, int]:
    """Where the first \\uD800-\\uDFFF escape without its other half is."""
    for m in _SURROGATE_ESCAPE.finditer(text):
        unit = int(m.group()[2:], 16)
        after = _SURROGATE_ESCAPE.match(text, m.end())
        if unit < 0xDC00 and after is not None and int(after.group()[2:], 16) >= 0xDC00:
            continue  # a high half followed by a low half: one character
        if unit >= 0xDC00 and text[m.start() - 6 : m.start()].lower().startswith("\\ud"):
            prev = int(text[m.start() - 4 : m.start()], 16) if m.start() >= 6 else 0
            if 0xD800 <= prev < 0xDC00:
                continue  # the low half of a pair
        return _line_col(text, m.start())
    return 1, 1


def _json_tokens(text: str) -> Iterator[re.Match[str]]:
    return _JSON_TOKEN.finditer(text)


def _json_number_at(text: str, literal: str) -> tuple[int, int]:
    """Where the number `literal` is written (outside strings)."""
    for tok in _json_tokens(text):
        if tok["lit"] == literal:
            start = tok.start("lit")
            return _line_col(text, start)
    return 1, 1


def _json_constant_at(text: str) -> tuple[int, int]:
    """Where NaN, Infinity or -Infinity is written (outside strings)."""
    for m in re.finditer(r'"(?:[^"\\]|\\.)*"|-?(?:NaN|Infinity)', text):
        if not m.group().startswith('"'):
            return _line_col(text, m.start())
    return 1, 1


_JSON_TOKEN = re.compile(
    r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<punct>[{}\[\]:,])|(?P<lit>-?\d[\d.eE+-]*|true|false|null))',
    re.DOTALL,
)


def _json_positions(
    text: str,
) -> tuple[dict[PathKey, tuple[int, int]], dict[PathKey, tuple[int, int]]]:
    """Positions of every value and key in a JSON text; raises DuplicateKey where one repeats.

    Used only for reporting, on text that the decoder has accepted (or to place its error)."""
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def where(offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(line_starts, offset)
        return line, offset - line_starts[line - 1] + 1

    positions: dict[PathKey, tuple[int, int]] = {}
    key_positions: dict[PathKey, tuple[int, int]] = {}
    tokens = _json_tokens(text)
    # Stack of [container kind, path, index or pending key, keys seen].
    stack: list[list[Any]] = []
    expect_key = False
    pending_key: str | None = None

    def value_path() -> PathKey:
        if not stack:
            return ()
        kind, base, state, _ = stack[-1]
        if kind == "list":
            return (*base, state)
        return (*base, pending_key)

    for tok in tokens:
        start = tok.start(tok.lastgroup or 0)
        if tok["punct"]:
            p = tok["punct"]
            if p in "{[":
                here = value_path()
                positions[here] = where(start)
                if len(stack) >= MAX_DEPTH:  # never quadratic on a deep text
                    raise NestingTooDeep(
                        f"nested deeper than {MAX_DEPTH} levels: flatten the data", *where(start)
                    )
                stack.append(["dict" if p == "{" else "list", here, 0, {}])
                expect_key = p == "{"
            elif p in "}]":
                if stack:
                    stack.pop()
                if stack and stack[-1][0] == "list":
                    stack[-1][2] += 1
            elif p == ",":
                if stack and stack[-1][0] == "list":
                    stack[-1][2] += 1
                expect_key = bool(stack) and stack[-1][0] == "dict"
            continue
        if tok["str"] and expect_key and stack and stack[-1][0] == "dict":
            key = json.loads(tok["str"])
            seen = stack[-1][3]
            pos = where(start)
            if key in seen:
                raise DuplicateKey(
                    f"duplicate key {key!r} (first at line {seen[key][0]}): keep one of them",
                    pos[0],
                    pos[1],
                    json_path((*stack[-1][1], key)),
                )
            seen[key] = pos
            pending_key = key
            key_positions[(*stack[-1][1], key)] = pos
            expect_key = False
            continue
        positions[value_path()] = where(start)
        if stack and stack[-1][0] == "dict":
            pending_key = None
    return positions, key_positions


# ------------------------------------------------------------------ YAML


def load_yaml_text(text: str, path: Path, display: str) -> Document:
    first_line = text.split("\n", 1)[0]
    m = SCHEMA_COMMENT.match(first_line)
    parsed = parse_yaml(text, display)
    doc = Document(path, display, text, parsed.data, "yaml", m.group(1) if m else None, parsed.warnings)
    if parsed.positions is not None:
        doc._positions, doc._key_positions = parsed.positions, parsed.key_positions
    return doc


def iter_record_files(root: Path) -> list[Path]:
    """Record files under `root`, sorted, skipping hidden folders."""
    out = [
        p
        for p in root.rglob("*")
        if p.suffix.lower() in RECORD_SUFFIXES
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    ]
    return sorted(out)


def load_error_problem(display: str, exc: LoadError) -> Problem:
    return Problem(display, exc.line, exc.column, exc.code, exc.message, Severity.error, exc.json_path)
