"""YAML scalars as YAML 1.2's core schema reads them: null, booleans, integers and exact
Decimals within the range of `toolkit.core.limits`, explicit tags only where they fit, and the
plain scalars a YAML 1.1 tool would read as something else (kept as the text written, with a
warning: `no`, `1:20`, `010`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from toolkit.core.limits import NumberOutOfRange, PathKey, json_path, parse_decimal, parse_int
from toolkit.core.problems import NumberTooLarge, Problem, Severity, UnsupportedYaml

TAG = "tag:yaml.org,2002:"
NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]+)?)(?:[eE][-+]?[0-9]+)?$")
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
SPECIAL_START = frozenset("0123456789+-.~nNyYoOtTfF")


def number(parse: Callable[[str], int | Decimal], value: str, line: int, col: int) -> int | Decimal:
    """`value` read by `parse_int` or `parse_decimal`; NumberTooLarge where it is out of range."""
    try:
        return parse(value)
    except NumberOutOfRange as exc:
        raise NumberTooLarge(exc.describe(), line, col) from None


def tagged(value: str, tag: str, line: int, col: int) -> Any:
    """A scalar with an explicit tag: only the core schema's tags, on values they fit."""
    if tag == "!":  # the non-specific tag: a string, whatever it looks like (libyaml says plain)
        return value
    if not tag.startswith(TAG):
        raise UnsupportedYaml(f"custom tag {tag!r} is not allowed in records", line, col)
    name = tag[len(TAG) :]
    if name == "str":
        return value
    if name == "int" and INT.match(value):
        return number(parse_int, value, line, col)
    if name == "float" and FLOAT.match(value):
        return number(parse_decimal, value, line, col)
    if name == "bool" and value in BOOL:
        return BOOL[value]
    if name == "null" and NULL.match(value):
        return None
    raise UnsupportedYaml(f"tag !!{name} cannot apply to {value!r}", line, col)


def yaml11_reading(value: str) -> str | None:
    """What a YAML 1.1 tool reads this plain text as (`a boolean` …), if not as the text."""
    for pattern, what in _YAML11:
        if pattern.match(value):
            return what
    return None


def ambiguous(display: str, value: str, what: str, line: int, col: int, path: PathKey) -> Problem:
    """The warning for a plain scalar kept as text that YAML 1.1 tools read as `what`."""
    return Problem(
        display,
        line,
        col,
        "yaml-ambiguous-scalar",
        f"{value!r} is read as the string {value!r}, but YAML 1.1 tools read it as {what}: put it in quotes",
        Severity.warning,
        json_path(path),
    )
