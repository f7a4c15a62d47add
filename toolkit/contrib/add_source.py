"""Contributor tools: archive a new page with its source record (`toolkit add-source`) and
find a quote the way the validator does (`toolkit locate`). Record skeletons and citations
are in `toolkit.contrib.scaffold`."""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rapidfuzz import fuzz, process

from toolkit.contrib.layout import SourceProposal, propose_source
from toolkit.contrib.scaffold import _ids, append_records, slug
from toolkit.core.files import file_digest
from toolkit.core.problems import QuoteNotInSource, ToolkitError, UsageError
from toolkit.core.text import SourceText
from toolkit.languages import DateMention, NumberMention
from toolkit.languages.vi import read_dates, read_numbers
from toolkit.records.load import decode_text
from toolkit.records.models import Source
from toolkit.validate.engine import Dataset, Project, validate_project


class DuplicateSource(ToolkitError):
    """The text is already archived (same sha256)."""

    code = "source-duplicate"


class InvalidRecord(ToolkitError):
    code = "invalid-record"


# ------------------------------------------------------------------ add-source


@dataclass(frozen=True)
class AddedSource:
    record: dict[str, Any]
    text_path: Path
    record_path: Path


def archive_name(seeds: Path, digest: str) -> str:
    """`NNN_<first 16 hex digits of the sha256>.txt`, NNN one more than the highest in seeds/,
    as the first pages were archived: the name says the order and the content, never the site."""
    numbers = [
        int(m[1]) for p in seeds.glob("*.txt") if (m := re.match(r"(\d{3,})_[0-9a-f]{16}\.txt$", p.name))
    ]
    return f"{max(numbers, default=-1) + 1:03d}_{digest[:16]}.txt"


def add_source(root: Path, file: Path, fields: dict[str, Any]) -> AddedSource:
    """Copy `file` into seeds/ unchanged (named by `archive_name`) and append its source record
    to seeds/sources.yaml."""
    project = Project.find(root)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise UsageError(f"{file}: {exc.strerror or exc}") from None
    decode_text(raw)  # UTF-8 or a clear error
    digest = hashlib.sha256(raw).hexdigest()
    for existing in project.seeds.rglob("*"):
        if existing.is_file() and existing.suffix not in (".yaml", ".yml", ".json"):
            if file_digest(existing) == digest:
                raise DuplicateSource(
                    f"{file} is already archived as seeds/{existing.relative_to(project.seeds).as_posix()}: "
                    "cite that source instead"
                )
    target = project.seeds / archive_name(project.seeds, digest)
    record: dict[str, Any] = {"id": fields["id"], "file": target.name, "sha256": digest}
    for key in ("title", "title_en", "publisher", "url", "published", "published_quote", "published_note"):
        if fields.get(key) is not None:
            record[key] = fields[key]
    record["language"] = fields.get("language") or "vi"
    record["body"] = {"start_line": fields["body_start"], "end_line": fields["body_end"]}
    if fields.get("exclude"):
        record["body"]["exclude"] = [
            {"start_line": a, "end_line": b, "reason": reason} for a, b, reason in fields["exclude"]
        ]
    try:
        Source.model_validate(record)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidRecord(f"{where}: {first['msg']}") from None
    if record["id"] in _ids(validate_project(project.root).dataset):
        raise UsageError(f"id {record['id']!r} is already used: pass another --id")
    shutil.copyfile(file, target)
    try:
        path = append_records(project, project.seeds / "sources.yaml", "sources", [record])
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return AddedSource(record, target, path)


# ------------------------------------------------------------------ locate


@dataclass
class Located:
    """A quote found in a source, with what it states read the Vietnamese way."""

    source: str
    line: int
    column: int
    start: int
    end: int
    in_body: bool
    loose: bool
    sentence: str
    published: str
    numbers: list[NumberMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)


def _sentence(text: SourceText, start: int, end: int) -> str:
    from toolkit.languages.vi.words import split_sentences

    line_start = text.lines.starts[text.lines.line_of(start) - 1]
    line_end = text.text.find("\n", end)
    line = text.text[line_start : line_end if line_end >= 0 else len(text.text)]
    for s, e in split_sentences(line, line_start):
        if s <= start < e or (start <= s < end):
            return text.text[s : max(e, min(end, line_start + len(line)))]
    return line


def locate(root: Path, source_id: str, quote: str, data: Dataset | None = None) -> Located:
    """Find `quote` the way the validator does; raise QuoteNotInSource with the closest passages.
    `data`: the project already validated, if the caller has it."""
    if data is None:
        data = validate_project(root).dataset
    text = data.texts.get(source_id)
    if text is None:
        known = sorted(data.texts)
        found = process.extractOne(source_id, known, scorer=fuzz.ratio, score_cutoff=60)
        hint = f"; did you mean {found[0]!r}?" if found else f" (sources: {', '.join(known)})"
        raise UsageError(f"no valid source {source_id!r}{hint}")
    entry = next(e for e in data.valid("sources") if e.record.id == source_id)
    src: Source = entry.record
    located = text.locate(quote, src.body.lines())
    if not located.matches:
        raise QuoteNotInSource(f"not found in source {source_id!r}", located.closest)
    inside = located.status != "outside-body"
    m = located.match or located.matches[0]
    loose = located.loose
    folded = located.needle
    return Located(
        source_id,
        m.line,
        text.lines.column_of(m.start),
        m.start,
        m.end,
        bool(inside),
        loose,
        _sentence(text, m.start, m.end),
        src.published.split("T", 1)[0],
        read_numbers(folded),
        read_dates(folded),
    )


__all__ = [
    "AddedSource",
    "DuplicateSource",
    "Located",
    "SourceProposal",
    "add_source",
    "archive_name",
    "locate",
    "propose_source",
    "slug",
]
