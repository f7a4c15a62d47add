"""Citing another source for a record (`toolkit cite`): one fact with two sources is one
record with two evidence items. The evidence is appended to the record's file as text, and
kept only if the quote is in the source's article body and states what the record says."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from toolkit.contrib.locate import locate
from toolkit.core.files import atomic_write
from toolkit.core.problems import LoadError, QuoteNotInSource, ToolkitError, UsageError
from toolkit.core.text import fold_text
from toolkit.records.load import Document, json_path, load_file
from toolkit.records.models import EVIDENCED_KINDS, singular
from toolkit.validate.engine import Dataset, Project, validate_project
from toolkit.validate.rule import Entry


class CitationRefused(ToolkitError):
    """The quote is in the source, but does not state what the record says."""

    code = "invalid-record"


def cite_record(root: Path, record_id: str, source: str, quote: str) -> Path:
    """Add an evidence item from `source` to the record `record_id`, wherever its file is.
    The quote must be in the source's article body, found the way the validator finds it, and
    state what the record says (the record validates with it), else the file is left as it was."""
    project = Project.find(root)
    data = validate_project(project.root).dataset
    entry = _citable(data, record_id)
    found = locate(project.root, source, quote, data)
    if not found.in_body:
        raise QuoteNotInSource(
            f"found in source {source!r} only outside the article body (line {found.line})"
        )
    if any(ev.source == source and fold_text(ev.quote) == fold_text(quote) for ev in entry.record.evidence):
        raise UsageError(f"{record_id!r} already cites these words of {source!r}")
    path = entry.doc.path
    original = path.read_text(encoding="utf-8")
    _append_evidence(entry, original, record_id, source, quote)
    # The new evidence must prove the record as the old did: the amount, dates and names it
    # gives must be what these words state too, or nothing is written.
    prefix = json_path(entry.key)
    wrong = [
        p
        for p in validate_project(project.root).errors
        if p.path == entry.doc.display and (p.json_path == prefix or p.json_path.startswith(prefix + "."))
    ]
    if wrong:
        atomic_write(path, original)
        first = wrong[0]
        raise CitationRefused(f"not added: with it, {record_id!r} fails {first.code}: {first.message}")
    return path


def _citable(data: Dataset, record_id: str) -> Entry:
    """The record `record_id`, if it is of a kind that cites sources and validates now."""
    entry = next((e for e in data.entries if e.id == record_id), None)
    if entry is None:
        raise UsageError(f"no record with id {record_id!r}")
    if entry.kind not in EVIDENCED_KINDS:
        raise UsageError(
            f"{record_id!r} is a {singular(entry.kind)}: only positions, events and claims cite sources"
        )
    if entry.record is None:
        raise UsageError(f"{record_id!r} ({entry.at()}) does not validate yet: fix it before citing more")
    return entry


def _append_evidence(entry: Entry, original: str, record_id: str, source: str, quote: str) -> None:
    """Write the record's file with one more evidence item; restore it unless the item landed."""
    path = entry.doc.path
    count = len(entry.record.evidence)
    if entry.doc.format == "json":
        text = _cited_json(original, entry.key, source, quote)
    else:
        text = _cited_yaml(original, entry.doc, (*entry.key, "evidence", count - 1), source, quote)
    atomic_write(path, text)
    try:
        check = load_file(path, str(path))
        record: Any = check.data
        for part in entry.key:
            record = record[part]
        if len(record.get("evidence", [])) != count + 1:
            raise ToolkitError(f"{path}: the evidence did not land in {record_id!r}")
    except (LoadError, ToolkitError, KeyError, IndexError, TypeError):
        atomic_write(path, original)
        raise


def _cited_yaml(original: str, doc: Document, last: tuple[str | int, ...], source: str, quote: str) -> str:
    """The file with an evidence item appended after the record's last one, as block YAML."""
    lines = original.split("\n")
    line, column = doc.locate(last)
    dash = column - 3  # `- ` stands before the item's first key
    if dash < 0 or lines[line - 1][dash : dash + 2] != "- ":
        raise UsageError(f"{doc.display}:{line}: the evidence is a flow list [...]; write it as a block list")
    end = line
    for number in range(line + 1, len(lines) + 1):
        text = lines[number - 1]
        if text.strip() and len(text) - len(text.lstrip(" ")) <= dash:
            break
        if text.strip():
            end = number
    item = [
        f"{' ' * dash}- source: {source}",
        f"{' ' * (dash + 2)}quote: {json.dumps(quote, ensure_ascii=False)}",
    ]
    return "\n".join([*lines[:end], *item, *lines[end:]])


def _cited_json(original: str, key: tuple[str | int, ...], source: str, quote: str) -> str:
    """The JSON file with an evidence item appended to the record's list (re-serialised)."""
    data = json.loads(original)
    record: Any = data
    for part in key:
        record = record[part]
    record.setdefault("evidence", []).append({"source": source, "quote": quote})
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
