"""Writing record files: ids and slugs for new records, records dumped as YAML the way people
write them, and appended to a file without re-serialising it.

Records go into YAML files by appending text, never by re-serialising a whole file, so
contributors' comments and layout survive; every write is re-read and checked, and the file
is restored if the result would not parse or the records did not land where meant."""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from toolkit.core.files import atomic_write
from toolkit.core.problems import LoadError, ToolkitError, UsageError
from toolkit.core.searchfold import search_key
from toolkit.records.load import load_file
from toolkit.records.models import KINDS
from toolkit.records.schema import SCHEMA_FILE
from toolkit.validate.engine import Dataset, Project


def slug(text: str) -> str:
    """An id from free text: `Báo Lào Cai 2023` -> `bao-lao-cai-2023`."""
    return re.sub(r"[^a-z0-9]+", "-", search_key(text)).strip("-") or "record"


def used_ids(data: Dataset) -> set[str]:
    """Every id the project's records use."""
    return {e.id for e in data.entries if e.id}


def unused_id(ids: set[str], base: str) -> str:
    """`base`, or `base-2`, `base-3` … whichever no record uses."""
    if base not in ids:
        return base
    n = 2
    while f"{base}-{n}" in ids:
        n += 1
    return f"{base}-{n}"


class _IndentedDumper(yaml.SafeDumper):
    """Indent lists under their key, as the record files are written by hand."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _plain(value: Any) -> Any:
    """Decimals as the numbers YAML writes (an int where whole)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def dump_records(records: list[dict[str, Any]]) -> str:
    """Records as YAML list items, indented to sit under a collection key."""
    items = [
        yaml.dump([_plain(r)], Dumper=_IndentedDumper, allow_unicode=True, sort_keys=False, width=4096)
        for r in records
    ]
    # A blank line between records, as people write them.
    text = "\n".join(item.rstrip("\n") + "\n" for item in items)
    return "".join(f"  {line}\n" if line else "\n" for line in text.rstrip("\n").split("\n"))


def _schema_line(project: Project, path: Path) -> str:
    rel = os.path.relpath((project.root / "schema" / SCHEMA_FILE).resolve(), path.parent.resolve())
    return f"# yaml-language-server: $schema={Path(rel).as_posix()}\n"


def append_records(project: Project, path: Path, kind: str, records: list[dict[str, Any]]) -> Path:
    """Append records to the `kind` list of a record file (created if missing), keeping its text."""
    if kind not in KINDS:
        raise UsageError(f"unknown record kind {kind!r}")
    items = dump_records(records)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, f"{_schema_line(project, path)}{kind}:\n{items}")
        return path
    original = path.read_text(encoding="utf-8")
    doc = load_file(path, str(path))
    if isinstance(doc.data, list):  # a list file of one kind, named by its schema
        if not (doc.schema_ref or "").endswith(f"/{kind}.schema.json"):
            raise UsageError(f"{path} is a list file of another kind: name a file for {kind}")
        dedented = "".join(line[2:] + "\n" for line in items.rstrip("\n").split("\n"))
        text = original.rstrip("\n") + "\n\n" + dedented
        return _write_checked(path, original, text, None, records)
    data = doc.data if isinstance(doc.data, dict) else {}
    lines = original.split("\n")
    if kind in data:
        if not isinstance(data[kind], list):
            raise UsageError(f"{path}: {kind} is not a list")
        key_line, _ = doc.locate((kind,), at_key=True)
        later = sorted(doc.locate((k,), at_key=True)[0] for k in data if k != kind)
        end = next((ln for ln in later if ln > key_line), len(lines) + 1) - 1  # last line of block
        while end > key_line and not lines[end - 1].strip():
            end -= 1
        head, rest = lines[key_line - 1].split(":", 1)
        if rest.strip() == "[]":  # an empty list, as `toolkit init` writes: becomes a block list
            new_lines = [
                *lines[: key_line - 1],
                f"{head}:",
                *items.rstrip("\n").split("\n"),
                *lines[key_line:],
            ]
            return _write_checked(path, original, "\n".join(new_lines), kind, records)
        if rest.strip().startswith("["):
            raise UsageError(
                f"{path}:{key_line}: {kind} is written as a flow list [...]; write it as a block list"
            )
        new_lines = [*lines[:end], "", *items.rstrip("\n").split("\n"), *lines[end:]]
        text = "\n".join(new_lines)
    else:
        text = original.rstrip("\n") + f"\n\n{kind}:\n{items}"
    return _write_checked(path, original, text, kind, records)


def _write_checked(
    path: Path, original: str, text: str, kind: str | None, records: list[dict[str, Any]]
) -> Path:
    """Write `text`, re-read it, and restore `original` unless the records landed where meant."""
    atomic_write(path, text)
    try:
        check = load_file(path, str(path))
        if kind is None:
            listed = check.data if isinstance(check.data, list) else []
        else:
            listed = check.data.get(kind, []) if isinstance(check.data, dict) else []
        added = [r.get("id") for r in listed if isinstance(r, dict)]
        if not all(r.get("id") in added for r in records):
            raise ToolkitError(f"{path}: the new records did not land in {kind or 'the list'}")
    except (LoadError, ToolkitError):
        atomic_write(path, original)
        raise
    return path
