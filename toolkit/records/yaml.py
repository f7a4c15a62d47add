"""YAML records: libyaml's event parser (C) and a builder of our own.

PyYAML's constructor silently keeps the last of duplicate keys and applies YAML 1.1
coercions (`no` -> False, `1:20` -> 80), so events are built here instead. Scalars resolve as
YAML 1.2's core schema does, except that anything another tool could read differently stays
the string written and gets a warning; numbers with a fraction become exact Decimals, within
the range of `toolkit.core.limits`. Where libyaml reads a valid file differently from the YAML 1.2
specification (the official test suite shows where), the file is refused with a clear code
rather than silently given another value. Limits on nesting depth and alias expansion keep a
hostile file from exhausting memory or time."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import yaml

from toolkit.core.limits import (
    MAX_DEPTH,
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
    MalformedYaml,
    NestingTooDeep,
    NumberTooLarge,
    Problem,
    Severity,
    UnsupportedYaml,
)

try:  # libyaml is in PyYAML's wheels; the pure-Python parser is the same grammar, slower.
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

Positions = dict[PathKey, tuple[int, int]]
_ScalarEvent, _AliasEvent = yaml.ScalarEvent, yaml.AliasEvent
_MappingStart, _SequenceStart = yaml.MappingStartEvent, yaml.SequenceStartEvent
_MappingEnd, _SequenceEnd = yaml.MappingEndEvent, yaml.SequenceEndEvent
_DocumentStart = yaml.DocumentStartEvent

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

    def __init__(self, display: str, text: str, positions: bool = False, values: bool = True) -> None:
        self.display = display
        self.text = text
        self._line_starts: list[int] | None = None
        # A `?` starting a token and glued to what follows: only then is _glued_question asked.
        self._question = "?" in text and _QUESTION.search(text) is not None
        self.record = positions
        self.values = values  # False: only positions are wanted (the text was built before)
        self.positions: dict[PathKey, tuple[int, int]] = {}
        self.key_positions: dict[PathKey, tuple[int, int]] = {}
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.warnings: list[Problem] = []
        self.nodes = 0

    def scalar(self, event: Any, path: PathKey | None, as_key: bool = False) -> Any:
        value: str = event.value
        tag = event.tag
        if tag is None and not self._question:
            # The common cases first, before any position is worked out: quoted text, a key,
            # and plain text that cannot be read as anything but text.
            if event.style:
                return value
            if event.implicit[0] and value != "-" and (as_key or (value and value[0] not in _SPECIAL_START)):
                return value
        line, col = event.start_mark.line + 1, event.start_mark.column + 1
        plain = not event.style and event.implicit[0]  # C parser gives "", Python None
        if tag == "!":  # the non-specific tag: a string, whatever it looks like (libyaml says plain)
            return value
        if tag is not None:
            if not tag.startswith(_TAG):
                raise UnsupportedYaml(f"custom tag {tag!r} is not allowed in records", line, col)
            name = tag[len(_TAG) :]
            if name == "str":
                return value
            if name == "int" and _INT.match(value):
                return self._number(parse_int, value, line, col)
            if name == "float" and _FLOAT.match(value):
                return self._number(parse_decimal, value, line, col)
            if name == "bool" and value in _BOOL:
                return _BOOL[value]
            if name == "null" and _NULL.match(value):
                return None
            raise UnsupportedYaml(f"tag !!{name} cannot apply to {value!r}", line, col)
        if plain and self._question and self._glued_question(event):
            raise UnsupportedYaml(
                f"?{value}: YAML 1.2 reads this as the text '?{value}', libyaml as the key {value!r}: "
                "put it in quotes",
                line,
                col - 1,
            )
        if plain and value == "-":  # libyaml accepts `[-]`; YAML 1.2 does not
            raise MalformedYaml(
                "invalid YAML: a lone '-' is not a value: quote it ('-') or remove it", line, col
            )
        if not plain or as_key:
            return value
        if value and value[0] not in _SPECIAL_START:
            return value  # no null, bool, number or YAML 1.1 form starts this way
        if _NULL.match(value):
            return None
        if value in _BOOL:
            return _BOOL[value]
        if _INT.match(value):
            return self._number(parse_int, value, line, col)
        if _FLOAT.match(value):
            return self._number(parse_decimal, value, line, col)
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

    @staticmethod
    def _number(parse: Any, value: str, line: int, col: int) -> int | Decimal:
        try:
            number: int | Decimal = parse(value)
        except NumberOutOfRange as exc:
            raise NumberTooLarge(exc.describe(), line, col) from None
        return number

    def _offset(self, event: Any) -> int:
        if self._line_starts is None:  # lines as libyaml counts them
            self._line_starts = [0] + [m.end() for m in _LIBYAML_BREAK.finditer(self.text)]
        line, col = event.start_mark.line, event.start_mark.column
        at = self._line_starts[line] + col if line < len(self._line_starts) else len(self.text)
        return min(at, len(self.text))

    def _glued_question(self, event: Any) -> bool:
        """Did libyaml take the `?` of a plain `?foo` as the key indicator (test suite 652Z)?"""
        at = self._offset(event)
        return (
            0 < at <= len(self.text)
            and self.text[at - 1] == "?"
            and (at < 2 or self.text[at - 2] in " \t\n[{,")
        )

    def _check_anchor(self, event: Any, sigil: str) -> None:
        """Refuse an anchor or alias name libyaml cut short: YAML 1.2 allows `&an:chor`, libyaml
        stops at the colon and reads the rest as the value (test suite case Y2GN)."""
        name = sigil + event.anchor
        line, col = event.start_mark.line, event.start_mark.column
        at = self.text.find(name, self._offset(event))
        if at < 0:
            return
        after = self.text[at + len(name) : at + len(name) + 1]
        if after and after not in " \t\r\n,[]{}":
            raise UnsupportedYaml(
                f"anchor or alias name {name}{after}... uses a character other than letters, digits, "
                "- and _: rename it",
                line + 1,
                col + 1,
            )

    def build(self, events: Iterator[Any]) -> Any:
        """Plain data from `events`. Scalars, by far the most frequent events, are tested first,
        and paths are made only when positions are kept."""
        # Each frame: [container, path, is_mapping, pending key or None, first-seen key lines, anchor]
        stack: list[list[Any]] = []
        root: Any = None
        documents = 0
        record = self.record
        counts: list[int] = []
        for event in events:
            cls = type(event)
            if cls is _ScalarEvent or cls is _AliasEvent or cls is _MappingStart or cls is _SequenceStart:
                mark = event.start_mark
                line, col = mark.line + 1, mark.column + 1
                if event.anchor:
                    self._check_anchor(event, "*" if cls is _AliasEvent else "&")
                frame = stack[-1] if stack else None
                if frame is not None and frame[2] and frame[3] is None:
                    # A mapping frame waiting for a key: this event is the key.
                    if cls is not _ScalarEvent:
                        raise UnsupportedYaml("mapping keys must be plain text", line, col)
                    self._key(event, frame, line, col)
                    continue
                path: PathKey | None = None
                if record:
                    path = () if frame is None else (*frame[1], frame[3] if frame[2] else len(frame[0]))
                    self.positions[path] = (line, col)
                if cls is _ScalarEvent:
                    self.nodes += 1
                    if self.nodes > MAX_NODES:
                        self._count(0, line, col)
                    value = self.scalar(event, path) if self.values else None
                    size, anchor = 1, event.anchor
                elif cls is _AliasEvent:
                    if event.anchor not in self.anchors:
                        raise UnsupportedYaml(
                            f"alias *{event.anchor} refers to no anchor before it", line, col
                        )
                    value, size = self.anchors[event.anchor]
                    self._count(size, line, col)
                    anchor = None
                else:
                    if event.tag not in (None, "!", f"{_TAG}map", f"{_TAG}seq"):
                        raise UnsupportedYaml(f"tag {event.tag!r} is not allowed in records", line, col)
                    if len(stack) >= MAX_DEPTH:
                        raise NestingTooDeep(f"nested deeper than {MAX_DEPTH} levels", line, col)
                    self._count(1, line, col)
                    if not record:  # the path of a container is kept in its frame for its children
                        path = () if frame is None else (*frame[1], frame[3] if frame[2] else len(frame[0]))
                    is_map = cls is _MappingStart
                    stack.append([{} if is_map else [], path, is_map, None, {}, event.anchor])
                    counts.append(self.nodes)
                    continue
            elif cls is _MappingEnd or cls is _SequenceEnd:
                done = stack.pop()
                value, size, anchor = done[0], self.nodes - counts.pop() + 1, done[5]
                frame = stack[-1] if stack else None
            elif cls is _DocumentStart:
                documents += 1
                if documents > 1:
                    raise UnsupportedYaml(
                        "more than one YAML document (---): put each in its own file",
                        event.start_mark.line + 1,
                        event.start_mark.column + 1,
                    )
                continue
            else:  # stream start and end, document end
                continue
            if anchor:
                self.anchors[anchor] = (value, size)
            if frame is None:
                root = value
            elif frame[2]:
                frame[0][frame[3]] = value
                frame[3] = None
            else:
                frame[0].append(value)
        return root

    def _key(self, event: Any, frame: list[Any], line: int, col: int) -> None:
        """Take a mapping key: text, not empty, not seen before in this mapping."""
        key = self.scalar(event, frame[1], as_key=True)
        if not isinstance(key, str) or (key == "" and not event.style):
            raise UnsupportedYaml("mapping keys must be text: an empty or null key is not", line, col)
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

    def _count(self, n: int, line: int, col: int) -> None:
        self.nodes += n
        if self.nodes > MAX_NODES:
            raise AliasLimitExceeded(
                f"holds more than {MAX_NODES:,} values (aliases expanded): "
                "split the file, or write out values re-used too often",
                line,
                col,
            )


_LIBYAML_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
_QUESTION = re.compile(r"(?:^|[\s\[{,])\?[^\s]")


class _NeedPositions(Exception):
    """Raised by a builder without positions when it meets something it must report."""


@dataclass
class Parsed:
    """A YAML text built into plain data, with its warnings and (when found) positions."""

    data: Any
    warnings: list[Problem]
    positions: Positions | None = None
    key_positions: Positions | None = None


def _events(text: str) -> Iterator[Any]:
    """libyaml's events for `text`, taken straight from the C parser (`yaml.parse` wraps each
    in two Python calls and a generator step: about 6 % of loading)."""
    loader = _Loader(text)
    return iter(loader.get_event, None)


def parse_yaml(text: str, display: str) -> Parsed:
    """Build `text`; raises a LoadError naming line and column on anything it cannot build."""
    tail = text[text.rfind("\n") + 1 :]
    if tail and not tail.strip(" \t"):
        raise MalformedYaml(
            "invalid YAML: the last line holds only white space and no line break (libyaml misreads "
            "a block scalar before it): delete that white space",
            text.count("\n") + 1,
            1,
        )
    builder = _Builder(display, text)
    try:
        try:
            data = builder.build(_events(text))
        except _NeedPositions:
            builder = _Builder(display, text, positions=True)
            data = builder.build(_events(text))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        last = text.count("\n") + 1
        if line > last:  # libyaml marks the end of a file without a final line break one line on
            line, col = last, len(text) - (text.rfind("\n") + 1) + 1
        what = exc.problem or "invalid YAML"
        if exc.context:
            what = f"{exc.context}, {what}"
        if "tab character" in what or _tab_at(text, line, col):
            what += ": indent with spaces, and leave blank lines empty (no tabs)"
        raise MalformedYaml(f"invalid YAML: {what}", line, col) from None
    except yaml.YAMLError as exc:
        raise MalformedYaml(f"invalid YAML: {exc}") from None
    if builder.record:
        return Parsed(data, builder.warnings, builder.positions, builder.key_positions)
    return Parsed(data, builder.warnings)


def _tab_at(text: str, line: int, col: int) -> bool:
    """Is there a tab where libyaml stopped (or only white space and a tab before it)?"""
    lines = text.split("\n", line)
    if line > len(lines):
        return False
    return "\t" in lines[line - 1][: col + 1]


def yaml_positions(text: str, display: str) -> tuple[Positions, Positions]:
    """Where each value and key of a text that `parse_yaml` accepted stands."""
    builder = _Builder(display, text, positions=True, values=False)
    builder.build(_events(text))
    return builder.positions, builder.key_positions
