"""Contributor tools: add a source text, locate a quote, and append record skeletons.

These write records into YAML files by appending text, never by re-serialising a whole file,
so contributors' comments and layout survive; every write is re-read and checked, and the
file is restored if the result would not parse."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from rapidfuzz import fuzz, process

from toolkit.files import atomic_write, file_digest
from toolkit.load import decode_text, load_file
from toolkit.models import ACTOR_KINDS, KIND, KINDS, Source, singular
from toolkit.pages import SourceProposal, propose_source
from toolkit.problems import LoadError, QuoteNotInSource, ToolkitError, UsageError
from toolkit.schema import SCHEMA_FILE
from toolkit.text import SourceText, fold_text
from toolkit.validate import Dataset, Project, validate_project
from toolkit.vietnamese import COMPARATOR_RE, DateMention, NumberMention, read_dates, read_numbers


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


def slug(text: str) -> str:
    """An id from free text: `Báo Lào Cai 2023` -> `bao-lao-cai-2023`."""
    from toolkit.text import search_key

    return re.sub(r"[^a-z0-9]+", "-", search_key(text)).strip("-") or "record"


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


# ------------------------------------------------------------------ appending records


def _schema_line(project: Project, path: Path) -> str:
    rel = os.path.relpath((project.root / "schema" / SCHEMA_FILE).resolve(), path.parent.resolve())
    return f"# yaml-language-server: $schema={Path(rel).as_posix()}\n"


class _IndentedDumper(yaml.SafeDumper):
    """Indent lists under their key, as the record files are written by hand."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def dump_records(records: list[dict[str, Any]]) -> str:
    """Records as YAML list items, indented to sit under a collection key."""

    def plain(value: Any) -> Any:
        if isinstance(value, Decimal):
            return int(value) if value == value.to_integral_value() else float(value)
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    text = yaml.dump(plain(records), Dumper=_IndentedDumper, allow_unicode=True, sort_keys=False, width=4096)
    return "".join(f"  {line}\n" if line else "\n" for line in text.rstrip("\n").split("\n"))


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
        text = original.rstrip("\n") + "\n" + dedented
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
        if lines[key_line - 1].split(":", 1)[1].strip().startswith("["):
            raise UsageError(
                f"{path}:{key_line}: {kind} is written as a flow list [...]; write it as a block list"
            )
        new_lines = [*lines[:end], *items.rstrip("\n").split("\n"), *lines[end:]]
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


def _ids(data: Dataset) -> set[str]:
    return {e.id for e in data.entries if e.id}


def unused_id(ids: set[str], base: str) -> str:
    """`base`, or `base-2`, `base-3` … whichever no record uses."""
    if base not in ids:
        return base
    n = 2
    while f"{base}-{n}" in ids:
        n += 1
    return f"{base}-{n}"


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
    from toolkit.coverage import split_sentences

    line_start = text.lines.starts[text.lines.line_of(start) - 1]
    line_end = text.text.find("\n", end)
    line = text.text[line_start : line_end if line_end >= 0 else len(text.text)]
    for s, e in split_sentences(line, line_start):
        if s <= start < e or (start <= s < end):
            return text.text[s : max(e, min(end, line_start + len(line)))]
    return line


def locate(root: Path, source_id: str, quote: str) -> Located:
    """Find `quote` the way the validator does; raise QuoteNotInSource with the closest passages."""
    result = validate_project(root)
    data = result.dataset
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


# ------------------------------------------------------------------ skeletons


def _original(quote: str, mention: NumberMention) -> str:
    """The number's wording with the comparator word before it (`khoảng 9,8 triệu`)."""
    before = quote[max(0, mention.start - 16) : mention.start]
    m = COMPARATOR_RE.search(before)
    start = mention.start - (len(before) - m.start()) if m else mention.start
    tail = re.match(r"\s*[\wÀ-ỹ]+", quote[mention.end :])  # the counted noun
    end = mention.end + (tail.end() if tail else 0)
    return quote[start:end].strip()


def skeleton(kind: str, record_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    """A schema-valid record to edit; `fields` fill in what is known (source, quote, subject …)."""
    todo = "TODO"
    evidence = [{"source": fields["source"], "quote": fields["quote"]}] if fields.get("quote") else []
    if kind in ACTOR_KINDS:
        out: dict[str, Any] = {
            "id": record_id,
            "name": fields.get("name") or todo,
            "name_en": fields.get("name_en") or todo,
        }
        if kind != "persons" and fields.get("parent"):
            out["parent"] = fields["parent"]
        return out
    if kind == "properties":
        prop: dict[str, Any] = {
            "id": record_id,
            "label_vi": fields.get("name") or todo,
            "label_en": fields.get("name_en") or todo,
            "value_type": fields.get("value_type") or "quantity",
        }
        if fields.get("unit"):
            prop["unit"] = fields["unit"]
        return prop
    if not evidence:
        raise UsageError(f"a new {singular(kind)} needs --source and --quote (its evidence)")
    quote = fold_text(fields["quote"])
    numbers = [
        n for n in read_numbers(quote) if any(c.isdigit() for c in n.text) or n.text.lower().startswith("thứ")
    ]
    dates = read_dates(quote)
    published = fields.get("published")
    if kind == "events":
        out = {"id": record_id, "type": fields.get("type") or "other", "name": fields.get("name") or todo}
        out["name_en"] = fields.get("name_en") or todo
        if dates and dates[0].year is not None:
            from toolkit.dates import format_span

            out["date"] = format_span(dates[0].span())
        out["evidence"] = evidence
        return out
    if kind == "positions":
        return {
            "id": record_id,
            "person": fields.get("person") or todo.lower(),
            "title": fields.get("title") or todo,
            "title_en": fields.get("title_en") or todo,
            "as_of": published or todo,
            "evidence": evidence,
        }
    out = {
        "id": record_id,
        "subject": fields.get("subject") or "todo",
        "property": fields.get("property") or "todo",
    }
    if numbers:
        n = numbers[0]
        value: dict[str, Any] = {"amount": n.value, "unit": fields.get("unit") or todo}
        if n.comparator != "exact":
            value["comparator"] = n.comparator
        if n.comparator == "range":
            value["lower"], value["upper"] = n.lower, n.upper
        if n.percent:
            value["unit"] = "percent"
        value["original"] = _original(quote, n)
        out["value"] = value
    elif dates and (dates[0].year is not None or published):
        from toolkit.dates import format_span

        year = int(published[:4]) if published and dates[0].year is None else None
        out["value"] = {"date": format_span(dates[0].span(year)), "original": dates[0].text}
    else:
        out["value"] = {"text": quote}
    if published:
        out["point_in_time"] = published
    out["statement_en"] = fields.get("statement_en") or "TODO: the claim as one English sentence."
    out["evidence"] = evidence
    return out


def new_record(
    root: Path, kind: str, fields: dict[str, Any], file: Path | None = None
) -> tuple[Path, dict[str, Any]]:
    """Append a skeleton of `kind` to the right file with an unused id; returns (file, record)."""
    project = Project.find(root)
    if kind not in KINDS or kind == "sources":
        kinds = "persons, organizations, places, positions, events, claims, properties"
        raise UsageError(f"cannot create {kind!r}: use one of {kinds}")
    where = KIND[kind].default_file
    if file is None:
        if "{source}" not in where:
            file = project.seeds / where
        elif fields.get("source"):
            file = project.seeds / where.format(source=fields["source"])
        else:
            raise UsageError(f"say where the new {singular(kind)} goes: --source SOURCE or --file FILE")
    elif not file.is_absolute():
        file = Path.cwd() / file
    try:
        file.resolve().relative_to(project.seeds.resolve())
    except ValueError:
        raise UsageError(f"{file}: record files live under {project.seeds}") from None
    data = validate_project(project.root).dataset
    if fields.get("source"):
        published = _published(data, fields["source"])
        if kind in ("claims", "positions"):
            fields = {**fields, "published": published}
    base = fields.get("id") or slug(_id_words(kind, fields))
    record = skeleton(kind, unused_id(_ids(data), base), fields)
    return append_records(project, file, kind, [record]), record


def _id_words(kind: str, fields: dict[str, Any]) -> str:
    """Readable words for a new id: a claim's subject and property, a position's person and
    title, otherwise the name (`vo-van-thuong`, not `person-vo-van-thuong`)."""
    if kind == "claims" and fields.get("subject") and fields.get("property"):
        return f"{fields['subject']} {fields['property']}"
    if kind == "positions" and fields.get("person") and fields.get("title"):
        return f"{fields['person']} {fields['title']}"
    return str(fields.get("name_en") or fields.get("name") or f"new {singular(kind)}")


def _published(data: Dataset, source_id: str) -> str:
    """The source's publication date (without time), for `as_of` and `point_in_time`."""
    for e in data.valid("sources"):
        if e.record.id == source_id:
            value: str = e.record.published
            return value.split("T", 1)[0]
    raise UsageError(f"no valid source {source_id!r}: add it with `toolkit add-source` first")


__all__ = [
    "AddedSource",
    "DuplicateSource",
    "Located",
    "SourceProposal",
    "add_source",
    "append_records",
    "locate",
    "new_record",
    "propose_source",
    "skeleton",
]
