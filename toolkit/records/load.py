"""Load YAML and JSON record files into plain data, keeping the line and column of every value.

YAML is built from libyaml's events by `toolkit.records.yaml` (duplicate keys caught, YAML 1.2
scalars, warnings for YAML 1.1 surprises); JSON goes through the standard library's C decoder
with a duplicate-key hook (`toolkit.records.json`). Both keep numbers exact and within
`toolkit.core.limits`, and both stop a hostile file (size, nesting, alias expansion, huge
numbers, lone surrogates, lone CR line ends, a symlink pointing anywhere) with a LoadError
naming line and column: never a crash."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.core.limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES, PathKey, json_path
from toolkit.core.problems import LineEndings, LoadError, NotUtf8, Problem, Severity
from toolkit.records.json import json_positions, parse_json
from toolkit.records.reading import decode_text, line_col, read_text
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
                    self._positions, self._key_positions = json_positions(self.text)
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
            "contains a NUL character: this is not a text file", *line_col(text, text.index("\x00"))
        )
    if "\r" in text:
        cr = _LONE_CR.search(text)
        if cr is not None:
            raise LineEndings(
                "a line ends with a lone carriage return (CR, the line end of classic Mac OS): "
                "save the file with LF (or CRLF) line endings",
                *line_col(text, cr.start()),
            )
    if path.suffix.lower() == ".json":
        return load_json_text(text, path, display)
    odd = _YAML11_BREAK.search(text)
    if odd is not None:  # YAML 1.1 tools (libyaml) break lines there; YAML 1.2 does not
        raise LineEndings(
            f"contains U+{ord(odd.group()):04X}, which YAML 1.1 tools (libyaml among them) read as a "
            "line break and YAML 1.2 tools as a character: use a plain space or line break, or "
            f"write \\u{ord(odd.group()):04x} inside a double-quoted string",
            *line_col(text, odd.start()),
        )
    return load_yaml_text(text, path, display)


def load_json_text(text: str, path: Path, display: str) -> Document:
    """A JSON record file's document; its `$schema` names the schema it follows."""
    data = parse_json(text)
    doc = Document(path, display, text, data, "json")
    if isinstance(data, dict) and isinstance(data.get("$schema"), str):
        doc.schema_ref = data["$schema"]
    return doc


def load_yaml_text(text: str, path: Path, display: str) -> Document:
    """A YAML record file's document; its first line may name its schema, as editors read it."""
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
    """The problem a file that cannot be loaded is reported as."""
    return Problem(display, exc.line, exc.column, exc.code, exc.message, Severity.error, exc.json_path)
