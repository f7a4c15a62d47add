"""Load YAML and JSON record files into plain data, keeping the line and column of every value.

YAML goes through libyaml's event parser (C) and is built here, not by PyYAML's constructor,
because the constructor silently keeps the last of duplicate keys and applies YAML 1.1
coercions (`no` -> False, `1:20` -> 80). Here scalars resolve as YAML 1.2's core schema does,
except that anything another tool could read differently stays the string written and gets a
warning; numbers with a fraction become exact Decimals. Limits on size, nesting depth and
alias expansion keep a hostile file from exhausting memory or time."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from toolkit.problems import (
    AliasLimitExceeded,
    DuplicateKey,
    FileTooLarge,
    LoadError,
    MalformedJson,
    MalformedYaml,
    NestingTooDeep,
    NotUtf8,
    Problem,
    Severity,
    UnreadableFile,
    UnsupportedYaml,
)

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 2_000_000  # nodes after alias expansion; a record is ~30

RECORD_SUFFIXES = (".yaml", ".yml", ".json")
SCHEMA_COMMENT = re.compile(r"^#\s*yaml-language-server:\s*\$schema=(\S+)\s*$")

PathKey = tuple[str | int, ...]

try:  # libyaml is in PyYAML's wheels; the pure-Python parser is the same grammar, slower.
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


def json_path(key: PathKey) -> str:
    """`('claims', 3, 'value')` -> `$.claims[3].value`."""
    out = "$"
    for part in key:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


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
            # needs one, which most files never do.
            if self.format == "json":
                self._positions, self._key_positions = _json_positions(self.text)
            else:
                builder = _Builder(self.display, positions=True)
                builder.build(yaml.parse(self.text, Loader=_Loader))
                self._positions, self._key_positions = builder.positions, builder.key_positions

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


def read_text(path: Path, max_bytes: int | None = None) -> str:
    """Read a UTF-8 file (a BOM is fine); the errors say where and what to do."""
    max_bytes = MAX_FILE_BYTES if max_bytes is None else max_bytes
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise FileTooLarge(
                f"file is {size:,} bytes, over the limit of {max_bytes:,}: split it into smaller files"
            )
        raw = path.read_bytes()
    except IsADirectoryError:
        raise UnreadableFile("is a directory, not a file") from None
    except FileNotFoundError:
        raise UnreadableFile("no such file") from None
    except OSError as exc:
        raise UnreadableFile(f"cannot be read: {exc.strerror or exc}") from None
    return decode_text(raw)


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


def load_file(path: Path, display: str | None = None) -> Document:
    """Load one record file; raises a LoadError subclass naming line and column on bad input."""
    display = display or str(path)
    text = read_text(path)
    if "\x00" in text:
        i = text.index("\x00")
        raise NotUtf8(
            "contains a NUL character: this is not a text file",
            text.count("\n", 0, i) + 1,
            i - (text.rfind("\n", 0, i) + 1) + 1,
        )
    if path.suffix.lower() == ".json":
        return load_json_text(text, path, display)
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


def load_json_text(text: str, path: Path, display: str) -> Document:
    try:
        data = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_float=Decimal,
            parse_constant=_reject_constant,
        )
    except _Duplicate:
        _json_positions(text)  # raises DuplicateKey at the second occurrence
        raise AssertionError("unreachable") from None
    except json.JSONDecodeError as exc:
        raise MalformedJson(f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except (ValueError, RecursionError) as exc:
        _json_positions(text)  # gives the position where it can
        raise MalformedJson(f"invalid JSON: {exc}") from None
    doc = Document(path, display, text, data, "json")
    if isinstance(data, dict) and isinstance(data.get("$schema"), str):
        doc.schema_ref = data["$schema"]
    _check_depth(data)
    return doc


def _check_depth(data: Any) -> None:
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise NestingTooDeep(f"nested deeper than {MAX_DEPTH} levels")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


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
        import bisect

        line = bisect.bisect_right(line_starts, offset)
        return line, offset - line_starts[line - 1] + 1

    positions: dict[PathKey, tuple[int, int]] = {}
    key_positions: dict[PathKey, tuple[int, int]] = {}
    tokens: Iterator[re.Match[str]] = _JSON_TOKEN.finditer(text)
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

_TAG = "tag:yaml.org,2002:"
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]+)?)(?:[eE][-+]?[0-9]+)?$")
# Plain scalars that YAML 1.1 tools (PyYAML, many editors) read as something else.
_YAML11 = [
    (re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$"), "a boolean"),
    (re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$"), "a base-60 number"),
    (
        re.compile(r"^[-+]?0[0-7_]+$|^[-+]?0x[0-9a-fA-F_]+$|^[-+]?0o[0-7_]+$|^[-+]?0b[01_]+$"),
        "an octal, hex or binary number",
    ),
    (re.compile(r"^[-+]?[0-9][0-9_]*_[0-9_]*(?:\.[0-9_]*)?$"), "a number with _ separators"),
    (re.compile(r"^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$"), "infinity or not-a-number"),
    (re.compile(r"^[0-9]+\.$|^0[0-9]+\.[0-9]*$"), "a number"),
]


# First characters of every plain scalar that resolves to something other than a string,
# or that a YAML 1.1 tool would read differently (see _YAML11).
_SPECIAL_START = frozenset("0123456789+-.~nNyYoOtTfF")


class _Builder:
    """Builds plain data from parser events, recording positions, catching duplicates."""

    def __init__(self, display: str, positions: bool = False) -> None:
        self.display = display
        self.record = positions
        self.positions: dict[PathKey, tuple[int, int]] = {}
        self.key_positions: dict[PathKey, tuple[int, int]] = {}
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.warnings: list[Problem] = []
        self.nodes = 0

    def scalar(self, event: Any, path: PathKey | None, as_key: bool = False) -> Any:
        value: str = event.value
        line, col = event.start_mark.line + 1, event.start_mark.column + 1
        tag = event.tag
        plain = not event.style and event.implicit[0]  # C parser gives "", Python None
        if tag not in (None, "!"):
            if not tag.startswith(_TAG):
                raise UnsupportedYaml(f"custom tag {tag!r} is not allowed in records", line, col)
            name = tag[len(_TAG) :]
            if name == "str":
                return value
            if name == "int" and _INT.match(value):
                return int(value)
            if name == "float" and _FLOAT.match(value):
                return Decimal(value)
            if name == "bool" and value in _BOOL:
                return _BOOL[value]
            if name == "null" and _NULL.match(value):
                return None
            raise UnsupportedYaml(f"tag !!{name} cannot apply to {value!r}", line, col)
        if not plain or as_key:
            return value
        if value and value[0] not in _SPECIAL_START:
            return value  # no null, bool, number or YAML 1.1 form starts this way
        if _NULL.match(value):
            return None
        if value in _BOOL:
            return _BOOL[value]
        if _INT.match(value):
            return int(value)
        if _FLOAT.match(value):
            return Decimal(value)
        for pattern, what in _YAML11:
            if pattern.match(value):
                if path is None:
                    raise _NeedPositions  # a warning names its JSON path: parse again with them
                self.warnings.append(
                    Problem(
                        self.display,
                        line,
                        col,
                        "yaml-ambiguous-scalar",
                        f"{value!r} is read as the string {value!r}, but YAML 1.1 tools read it "
                        f"as {what}: put it in quotes",
                        Severity.warning,
                        json_path(path),
                    )
                )
                break
        return value

    def build(self, events: Iterator[Any]) -> Any:
        # Each frame: [container, path, is_mapping, pending key or None, first-seen key lines]
        stack: list[list[Any]] = []
        root: Any = None
        documents = 0

        def place(value: Any, count: int, anchor: str | None) -> None:
            nonlocal root
            if anchor:
                self.anchors[anchor] = (value, count)
            if not stack:
                root = value
                return
            frame = stack[-1]
            if frame[2]:
                frame[0][frame[3]] = value
                frame[3] = None
            else:
                frame[0].append(value)

        def child_path() -> PathKey:
            frame = stack[-1]
            return (*frame[1], frame[3] if frame[2] else len(frame[0]))

        counts: list[int] = []
        for event in events:
            kind = type(event).__name__
            if kind in ("StreamStartEvent", "StreamEndEvent", "DocumentEndEvent"):
                continue
            if kind == "DocumentStartEvent":
                documents += 1
                if documents > 1:
                    raise UnsupportedYaml(
                        "more than one YAML document (---): put each in its own file",
                        event.start_mark.line + 1,
                        event.start_mark.column + 1,
                    )
                continue
            line, col = event.start_mark.line + 1, event.start_mark.column + 1
            if kind in ("MappingEndEvent", "SequenceEndEvent"):
                frame = stack.pop()
                size = self.nodes - counts.pop() + 1
                place(frame[0], size, frame[5])
                continue
            # A mapping frame waiting for a key: this event is the key.
            if stack and stack[-1][2] and stack[-1][3] is None:
                frame = stack[-1]
                if kind != "ScalarEvent":
                    raise UnsupportedYaml("mapping keys must be plain text", line, col)
                key = self.scalar(event, frame[1], as_key=True)
                if key in frame[4]:
                    raise DuplicateKey(
                        f"duplicate key {key!r} (first at line {frame[4][key]}): keep one of them",
                        line,
                        col,
                        json_path((*frame[1], key)),
                    )
                frame[4][key] = line
                frame[3] = key
                if self.record:
                    self.key_positions[(*frame[1], key)] = (line, col)
                continue
            if kind == "ScalarEvent":
                self._count(1, line, col)
                path = child_path() if stack else ()
                if self.record:
                    self.positions[path] = (line, col)
                place(self.scalar(event, path if self.record else None), 1, event.anchor)
                continue
            path = child_path() if stack else ()
            if kind in ("MappingStartEvent", "SequenceStartEvent"):
                if event.tag not in (None, "!", f"{_TAG}map", f"{_TAG}seq"):
                    raise UnsupportedYaml(f"tag {event.tag!r} is not allowed in records", line, col)
                if len(stack) >= MAX_DEPTH:
                    raise NestingTooDeep(f"nested deeper than {MAX_DEPTH} levels", line, col)
                self._count(1, line, col)
                if self.record:
                    self.positions[path] = (line, col)
                is_map = kind == "MappingStartEvent"
                stack.append([{} if is_map else [], path, is_map, None, {}, event.anchor])
                counts.append(self.nodes)
                continue
            if kind == "AliasEvent":
                if event.anchor not in self.anchors:
                    raise UnsupportedYaml(f"alias *{event.anchor} refers to no anchor before it", line, col)
                value, size = self.anchors[event.anchor]
                self._count(size, line, col)
                if self.record:
                    self.positions[path] = (line, col)
                place(value, size, None)
        return root

    def _count(self, n: int, line: int, col: int) -> None:
        self.nodes += n
        if self.nodes > MAX_NODES:
            raise AliasLimitExceeded(
                f"expands to more than {MAX_NODES:,} values (aliases re-used too often): "
                "write the values out or split the file",
                line,
                col,
            )


class _NeedPositions(Exception):
    """Raised by a builder without positions when it meets something it must report."""


_yaml_rs: Any
try:  # a compiled YAML 1.2 parser, several times faster than events through Python
    import yaml_rs as _yaml_rs
except ImportError:  # pragma: no cover - an optional speed-up
    _yaml_rs = None

# Text the fast parser is not trusted with: anchors, aliases and tags (limits, custom tags),
# document markers, and numbers spelled so that YAML versions disagree (010, 0x1F).
_NOT_FOR_FAST = re.compile(
    r"(?:^|[\s\[{,])[&*!]\S|^(?:---|\.\.\.)(?:\s|$)|(?:^|[\s\[{,:])[+-]?(?:0[\dxob]|\d[\d_]*_)"
    r"|[\x85\u2028\u2029]",  # line breaks in YAML 1.1 only
    re.M,
)


def _fast_yaml(text: str) -> tuple[bool, Any]:
    """(True, data) when the compiled parser's result is certainly what the builder would
    build: no duplicate keys, only str/int/bool/null scalars, nothing a YAML 1.1 tool reads
    differently, within the limits. (False, None) sends the file to the builder."""
    if _yaml_rs is None or _NOT_FOR_FAST.search(text):
        return False, None
    try:
        data = _yaml_rs.loads(text, parse_datetime=False)  # raises on duplicate keys
    except Exception:
        return False, None
    stack: list[tuple[Any, int]] = [(data, 1)]
    nodes = 0
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if depth > MAX_DEPTH or nodes > MAX_NODES:
            return False, None
        kind = type(value)
        if kind is str:
            if value and value[0] in _SPECIAL_START and any(p.match(value) for p, _ in _YAML11):
                return False, None  # maybe a plain `no` or `1:20`: the builder warns about those
        elif kind is dict:
            for key, item in value.items():
                if type(key) is not str:
                    return False, None
                stack.append((item, depth + 1))
        elif kind is list:
            stack.extend((item, depth + 1) for item in value)
        elif not (kind is int or kind is bool or value is None):
            return False, None  # floats become exact Decimals, dates stay text: the builder does that
    return True, data


def load_yaml_text(text: str, path: Path, display: str) -> Document:
    first_line = text.split("\n", 1)[0]
    m = SCHEMA_COMMENT.match(first_line)
    ok, fast = _fast_yaml(text)
    if ok:
        return Document(path, display, text, fast, "yaml", m.group(1) if m else None, [])
    builder = _Builder(display)
    try:
        try:
            data = builder.build(yaml.parse(text, Loader=_Loader))
        except _NeedPositions:
            builder = _Builder(display, positions=True)
            data = builder.build(yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or "invalid YAML"
        if exc.context:
            what = f"{exc.context}, {what}"
        raise MalformedYaml(f"invalid YAML: {what}", line, col) from None
    except yaml.YAMLError as exc:
        raise MalformedYaml(f"invalid YAML: {exc}") from None
    doc = Document(path, display, text, data, "yaml", m.group(1) if m else None, builder.warnings)
    if builder.record:
        doc._positions = builder.positions
        doc._key_positions = builder.key_positions
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
