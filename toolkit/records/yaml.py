"""YAML records: libyaml's event parser (C) and a builder of our own.

PyYAML's constructor silently keeps the last of duplicate keys and applies YAML 1.1
coercions (`no` -> False, `1:20` -> 80), so events are built here instead. Scalars resolve as
YAML 1.2's core schema does (`toolkit.records.yaml_scalars`), except that anything another tool
could read differently stays the string written and gets a warning; numbers with a fraction
become exact Decimals, within the range of `toolkit.core.limits`. Where libyaml reads a valid
file differently from the YAML 1.2 specification (the official test suite shows where), the
file is refused with a clear code rather than silently given another value. Limits on nesting
depth and alias expansion keep a hostile file from exhausting memory or time."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from toolkit.core.limits import MAX_DEPTH, MAX_NODES, PathKey, json_path, parse_decimal, parse_int
from toolkit.core.problems import (
    AliasLimitExceeded,
    DuplicateKey,
    MalformedYaml,
    NestingTooDeep,
    Problem,
    UnsupportedYaml,
)
from toolkit.records.yaml_scalars import (
    BOOL,
    FLOAT,
    INT,
    NULL,
    SPECIAL_START,
    TAG,
    ambiguous,
    number,
    tagged,
    yaml11_reading,
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
_CONTAINER_TAGS = frozenset((None, "!", f"{TAG}map", f"{TAG}seq"))


class _Builder:
    """Builds plain data from parser events, recording positions, catching duplicates."""

    def __init__(self, display: str, text: str, positions: bool = False, values: bool = True) -> None:
        self.display = display
        self.libyaml = _Libyaml(text)
        # A `?` starting a token and glued to what follows: only then is glued_question asked.
        self._question = "?" in text and _QUESTION.search(text) is not None
        self.record = positions
        self.values = values  # False: only positions are wanted (the text was built before)
        self.positions: dict[PathKey, tuple[int, int]] = {}
        self.key_positions: dict[PathKey, tuple[int, int]] = {}
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.warnings: list[Problem] = []
        self.nodes = 0
        self.documents = 0

    def scalar(self, event: Any, path: PathKey | None, as_key: bool = False) -> Any:
        """A scalar's value as YAML 1.2's core schema reads it (`toolkit.records.yaml_scalars`)."""
        value: str = event.value
        tag = event.tag
        if tag is None and not self._question:
            # The common cases first, before any position is worked out: quoted text, a key,
            # and plain text that cannot be read as anything but text.
            if event.style:
                return value
            if event.implicit[0] and value != "-" and (as_key or (value and value[0] not in SPECIAL_START)):
                return value
        line, col = event.start_mark.line + 1, event.start_mark.column + 1
        if tag is not None:
            return tagged(value, tag, line, col)
        plain = not event.style and event.implicit[0]  # C parser gives "", Python None
        if plain and self._question and self.libyaml.glued_question(event):
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
        if value and value[0] not in SPECIAL_START:
            return value  # no null, bool, number or YAML 1.1 form starts this way
        if NULL.match(value):
            return None
        if value in BOOL:
            return BOOL[value]
        if INT.match(value):
            return number(parse_int, value, line, col)
        if FLOAT.match(value):
            return number(parse_decimal, value, line, col)
        what = yaml11_reading(value)
        if what is not None:
            if path is None:
                raise _NeedPositions  # a warning names its JSON path: parse again with them
            self.warnings.append(ambiguous(self.display, value, what, line, col, path))
        return value

    def build(self, events: Iterator[Any]) -> Any:
        """Plain data from `events`. Scalars, by far the most frequent events, are tested first,
        and paths are made only when positions are kept."""
        # Each frame: [container, path, is_mapping, pending key or None, first-seen key lines, anchor]
        stack: list[list[Any]] = []
        root: Any = None
        record = self.record
        counts: list[int] = []  # the node count when each open container started
        for event in events:
            cls = type(event)
            if cls is _ScalarEvent or cls is _AliasEvent or cls is _MappingStart or cls is _SequenceStart:
                mark = event.start_mark
                line, col = mark.line + 1, mark.column + 1
                if event.anchor:
                    self.libyaml.check_anchor(event, "*" if cls is _AliasEvent else "&")
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
                    value, size = self._alias(event, line, col)
                    anchor = None
                else:
                    stack.append(self._open(event, frame, path, len(stack), line, col))
                    counts.append(self.nodes)
                    continue
            elif cls is _MappingEnd or cls is _SequenceEnd:
                done = stack.pop()
                value, size, anchor = done[0], self.nodes - counts.pop() + 1, done[5]
                frame = stack[-1] if stack else None
            else:  # stream start and end, document start and end
                if cls is _DocumentStart:
                    self._document(event)
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

    def _open(
        self, event: Any, frame: list[Any] | None, path: PathKey | None, depth: int, line: int, col: int
    ) -> list[Any]:
        """The frame of a mapping or sequence that starts here, once its tag and depth pass."""
        if event.tag not in _CONTAINER_TAGS:
            raise UnsupportedYaml(f"tag {event.tag!r} is not allowed in records", line, col)
        if depth >= MAX_DEPTH:
            raise NestingTooDeep(f"nested deeper than {MAX_DEPTH} levels", line, col)
        self._count(1, line, col)
        if path is None:  # not recording positions: the path is still kept for the children
            path = () if frame is None else (*frame[1], frame[3] if frame[2] else len(frame[0]))
        is_map = type(event) is _MappingStart
        return [{} if is_map else [], path, is_map, None, {}, event.anchor]

    def _document(self, event: Any) -> None:
        """One document per file: a second `---` is refused."""
        self.documents += 1
        if self.documents > 1:
            raise UnsupportedYaml("more than one YAML document (---): put each in its own file", *_at(event))

    def _alias(self, event: Any, line: int, col: int) -> tuple[Any, int]:
        """The value an alias repeats, and its size, counted again (aliases cannot bomb)."""
        if event.anchor not in self.anchors:
            raise UnsupportedYaml(f"alias *{event.anchor} refers to no anchor before it", line, col)
        value, size = self.anchors[event.anchor]
        self._count(size, line, col)
        return value, size

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


def _at(event: Any) -> tuple[int, int]:
    """1-based line and column where an event starts."""
    return event.start_mark.line + 1, event.start_mark.column + 1


class _Libyaml:
    """Where libyaml reads a valid file differently from the YAML 1.2 specification (the
    official test suite shows where): found by looking at the text around an event."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._line_starts: list[int] | None = None

    def _offset(self, event: Any) -> int:
        if self._line_starts is None:  # lines as libyaml counts them
            self._line_starts = [0] + [m.end() for m in _LIBYAML_BREAK.finditer(self.text)]
        line, col = event.start_mark.line, event.start_mark.column
        at = self._line_starts[line] + col if line < len(self._line_starts) else len(self.text)
        return min(at, len(self.text))

    def glued_question(self, event: Any) -> bool:
        """Did libyaml take the `?` of a plain `?foo` as the key indicator (test suite 652Z)?"""
        at = self._offset(event)
        return (
            0 < at <= len(self.text)
            and self.text[at - 1] == "?"
            and (at < 2 or self.text[at - 2] in " \t\n[{,")
        )

    def check_anchor(self, event: Any, sigil: str) -> None:
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
