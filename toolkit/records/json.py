"""JSON records: the standard library's C decoder with a duplicate-key hook, numbers kept
exact and within `toolkit.core.limits`, and a scan of the text that finds where a value
stands only when a problem needs to say so (most files never do)."""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator
from typing import Any

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
    MalformedJson,
    NestingTooDeep,
    NotUtf8,
    NumberTooLarge,
)
from toolkit.records.reading import line_col

Positions = dict[PathKey, tuple[int, int]]


def parse_json(text: str) -> Any:
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
        json_positions(text)  # raises DuplicateKey at the second occurrence
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
    return data


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
                    f"nested deeper than {MAX_DEPTH} levels: flatten the data", *line_col(text, m.start())
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
        return line_col(text, m.start())
    return 1, 1


def _json_tokens(text: str) -> Iterator[re.Match[str]]:
    return _JSON_TOKEN.finditer(text)


def _json_number_at(text: str, literal: str) -> tuple[int, int]:
    """Where the number `literal` is written (outside strings)."""
    for tok in _json_tokens(text):
        if tok["lit"] == literal:
            start = tok.start("lit")
            return line_col(text, start)
    return 1, 1


def _json_constant_at(text: str) -> tuple[int, int]:
    """Where NaN, Infinity or -Infinity is written (outside strings)."""
    for m in re.finditer(r'"(?:[^"\\]|\\.)*"|-?(?:NaN|Infinity)', text):
        if not m.group().startswith('"'):
            return line_col(text, m.start())
    return 1, 1


_JSON_TOKEN = re.compile(
    r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<punct>[{}\[\]:,])|(?P<lit>-?\d[\d.eE+-]*|true|false|null))',
    re.DOTALL,
)


def json_positions(text: str) -> tuple[Positions, Positions]:
    """Positions of every value and key in a JSON text; raises DuplicateKey where one repeats.

    Used only for reporting, on text that the decoder has accepted (or to place its error)."""
    scan = _PositionScan(text)
    for tok in _json_tokens(text):
        start = tok.start(tok.lastgroup or 0)
        if tok["punct"]:
            scan.punctuation(tok["punct"], start)
        elif tok["str"] and scan.expect_key and scan.stack and scan.stack[-1][0] == "dict":
            scan.key(json.loads(tok["str"]), start)
        else:
            scan.value(start)
    return scan.positions, scan.key_positions


class _PositionScan:
    """The state of `json_positions` walking the tokens: the open containers and what comes next."""

    def __init__(self, text: str) -> None:
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.positions: Positions = {}
        self.key_positions: Positions = {}
        # Stack of [container kind, path, index or pending key, keys seen].
        self.stack: list[list[Any]] = []
        self.expect_key = False
        self.pending_key: str | None = None

    def where(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def value_path(self) -> PathKey:
        if not self.stack:
            return ()
        kind, base, state, _ = self.stack[-1]
        if kind == "list":
            return (*base, state)
        return (*base, self.pending_key)

    def punctuation(self, p: str, start: int) -> None:
        stack = self.stack
        if p in "{[":
            here = self.value_path()
            self.positions[here] = self.where(start)
            if len(stack) >= MAX_DEPTH:  # never quadratic on a deep text
                raise NestingTooDeep(
                    f"nested deeper than {MAX_DEPTH} levels: flatten the data", *self.where(start)
                )
            stack.append(["dict" if p == "{" else "list", here, 0, {}])
            self.expect_key = p == "{"
        elif p in "}]":
            if stack:
                stack.pop()
            if stack and stack[-1][0] == "list":
                stack[-1][2] += 1
        elif p == ",":
            if stack and stack[-1][0] == "list":
                stack[-1][2] += 1
            self.expect_key = bool(stack) and stack[-1][0] == "dict"

    def key(self, key: str, start: int) -> None:
        frame = self.stack[-1]
        seen = frame[3]
        pos = self.where(start)
        if key in seen:
            raise DuplicateKey(
                f"duplicate key {key!r} (first at line {seen[key][0]}): keep one of them",
                pos[0],
                pos[1],
                json_path((*frame[1], key)),
            )
        seen[key] = pos
        self.pending_key = key
        self.key_positions[(*frame[1], key)] = pos
        self.expect_key = False

    def value(self, start: int) -> None:
        self.positions[self.value_path()] = self.where(start)
        if self.stack and self.stack[-1][0] == "dict":
            self.pending_key = None
