"""Scaffolding: append schema-valid record skeletons (`toolkit new`) and evidence from
another source (`toolkit cite`) to record files.

Records go into YAML files by appending text, never by re-serialising a whole file, so
contributors' comments and layout survive; every write is re-read and checked, and the file
is restored if the result would not parse or the records did not land where meant. A
skeleton holds only what validates, or a TODO the validator refuses until it is replaced."""

from __future__ import annotations

import json
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from toolkit.core.files import atomic_write
from toolkit.core.problems import LoadError, QuoteNotInSource, ToolkitError, UsageError
from toolkit.core.text import fold_text
from toolkit.languages import DateMention, NumberMention
from toolkit.languages.vi import LANGUAGE as VI
from toolkit.languages.vi import read_dates, read_numbers
from toolkit.languages.vi.numbers import COMPARATOR_RE, CURRENCIES
from toolkit.languages.vi.words import SPEECH_VERBS
from toolkit.records.load import json_path, load_file
from toolkit.records.models import ACTOR_KINDS, EVIDENCED_KINDS, KIND, KINDS, singular
from toolkit.records.schema import SCHEMA_FILE
from toolkit.validate.engine import Dataset, Project, validate_project
from toolkit.validate.rules.wording import hedged


def slug(text: str) -> str:
    """An id from free text: `Báo Lào Cai 2023` -> `bao-lao-cai-2023`."""
    from toolkit.core.text import search_key

    return re.sub(r"[^a-z0-9]+", "-", search_key(text)).strip("-") or "record"


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

    items = [
        yaml.dump([plain(r)], Dumper=_IndentedDumper, allow_unicode=True, sort_keys=False, width=4096)
        for r in records
    ]
    # A blank line between records, as people write them.
    text = "\n".join(item.rstrip("\n") + "\n" for item in items)
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
        if lines[key_line - 1].split(":", 1)[1].strip().startswith("["):
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


# ------------------------------------------------------------------ skeletons


def _original(quote: str, mention: NumberMention) -> str:
    """The number's wording with the comparator word before it (`khoảng 9,8 triệu`)."""
    before = quote[max(0, mention.start - 30) : mention.start]
    m = COMPARATOR_RE.search(before)
    start = mention.start - (len(before) - m.start()) if m else mention.start
    # The currency it is in (`đô la Mỹ`), or else the counted noun (`đại biểu`'s first word).
    currency = next((m for pattern, _ in CURRENCIES if (m := pattern.match(quote[mention.end :]))), None)
    tail = currency or re.match(r"\s*[\wÀ-ỹ]+", quote[mention.end :])
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
    dates = read_dates(quote)
    published = fields.get("published")
    if kind == "events":
        out = {"id": record_id, "type": fields.get("type") or "other", "name": fields.get("name") or todo}
        out["name_en"] = fields.get("name_en") or todo
        stated = _stated_span(dates, published)
        if stated:
            out["date"] = stated
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
    if kind == "statements":
        said = SPEECH_VERBS.search(fields["quote"])
        return {
            "id": record_id,
            "speaker": fields.get("person") or todo.lower(),
            "verb": fields.get("verb") or (said.group(0) if said else todo),
            "text_en": fields.get("statement_en") or "TODO: a faithful English rendering of the quote.",
            "evidence": evidence,
        }
    out = {
        "id": record_id,
        "subject": fields.get("subject") or "todo",
        "property": fields.get("property") or "todo",
    }
    out["value"] = _claim_value(quote, dates, fields)
    stated = _stated_span(dates, published)
    if "date" not in out["value"]:
        # The date the quote states; else the day the page was published (never a window: a
        # page known only to have appeared between two dates says nothing of when).
        when = stated or (published if published and "/" not in published else None)
        if when and "/" in when:
            start, end = when.split("/", 1)
            out["period"] = {"start": start, "end": end}
        elif when:
            out["point_in_time"] = when
    if hedged(VI, quote, None):  # dự kiến, có thể, sẽ …: not a plain fact
        out["modality"] = "expected"
    out["statement_en"] = fields.get("statement_en") or "TODO: the claim as one English sentence."
    out["evidence"] = evidence
    return out


def _claim_value(quote: str, dates: list[DateMention], fields: dict[str, Any]) -> dict[str, Any]:
    """The value, of the type the property takes: the figure with its unit, the date stated,
    or the words to write; TODO where the quote does not say it."""
    wanted = fields.get("value_type")
    published = fields.get("published")
    value = _figure(quote, fields.get("unit")) if wanted in (None, "quantity") else None
    stated = _stated_span(dates, published)
    if value is not None:
        return value
    if stated is not None and dates and wanted in (None, "date"):
        return {"date": stated, "original": dates[0].text}
    if wanted == "entity":
        return {"entity": "todo"}
    return {"text": "TODO: the value in the source's words"}


_TIME_NOUN = re.compile(r"^\s*(tháng|năm|ngày|tuần|giờ|phút|quý)\b", re.IGNORECASE)
_ISO_CURRENCY = re.compile(r"^[A-Z]{3}$")


def _figure(quote: str, unit: str | None) -> dict[str, Any] | None:
    """The quote's figure with its unit, only where the unit is known: a percentage, a
    currency the quote names, or `--unit` (never a currency the quote does not name, so
    `10 tháng` never becomes 10 USD). None: nothing that would validate."""
    for n in read_numbers(quote):
        if n.percent:
            found = "percent"
        elif n.currency:
            found = n.currency
        elif unit and not _ISO_CURRENCY.match(unit):
            found = unit
        else:
            continue
        value: dict[str, Any] = {"amount": n.value, "unit": found}
        if n.comparator != "exact":
            value["comparator"] = n.comparator
        if n.comparator == "range":
            value["lower"], value["upper"] = n.lower, n.upper
        value["original"] = _original(quote, n)
        return value
    return None


def _stated_span(dates: list[DateMention], published: str | None) -> str | None:
    """The first date the quote states, as a record writes it; a year it leaves out is the
    publication's (the validator reads it the same way)."""
    from toolkit.core.dates import InvalidDate, format_span

    for mention in dates:
        year = mention.year or (int(published[:4]) if published else None)
        if year is None:
            continue
        try:
            return format_span(mention.span(year))
        except (InvalidDate, ValueError):
            continue
    return None


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
        fields = {**fields, "published": published}
    if kind == "claims" and fields.get("property"):
        prop = next((e.record for e in data.valid("properties") if e.record.id == fields["property"]), None)
        if prop is not None:
            fields = {**fields, "value_type": str(prop.value_type), "unit": fields.get("unit") or prop.unit}
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
    if kind == "statements" and fields.get("person"):
        return f"{fields['person']} {fields.get('verb') or 'said'}"
    return str(fields.get("name_en") or fields.get("name") or f"new {singular(kind)}")


def _published(data: Dataset, source_id: str) -> str:
    """The source's publication date (without time), for `as_of` and `point_in_time`."""
    for e in data.valid("sources"):
        if e.record.id == source_id:
            value: str = e.record.published
            return value.split("T", 1)[0]
    raise UsageError(f"no valid source {source_id!r}: add it with `toolkit add-source` first")


def cite_record(root: Path, record_id: str, source: str, quote: str) -> Path:
    """Add an evidence item from `source` to the record `record_id`, wherever its file is:
    one fact with two sources is one record with two evidence items. The quote must be in the
    source's article body, found the way the validator finds it, and state what the record
    says (the record validates with it), else the file is left as it was."""
    from toolkit.contrib.add_source import locate

    project = Project.find(root)
    data = validate_project(project.root).dataset
    entry = next((e for e in data.entries if e.id == record_id), None)
    if entry is None:
        raise UsageError(f"no record with id {record_id!r}")
    if entry.kind not in EVIDENCED_KINDS:
        raise UsageError(
            f"{record_id!r} is a {singular(entry.kind)}: only positions, events and claims cite sources"
        )
    if entry.record is None:
        raise UsageError(f"{record_id!r} ({entry.at()}) does not validate yet: fix it before citing more")
    found = locate(project.root, source, quote, data)
    if not found.in_body:
        raise QuoteNotInSource(
            f"found in source {source!r} only outside the article body (line {found.line})"
        )
    if any(ev.source == source and fold_text(ev.quote) == fold_text(quote) for ev in entry.record.evidence):
        raise UsageError(f"{record_id!r} already cites these words of {source!r}")
    path = entry.doc.path
    original = path.read_text(encoding="utf-8")
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


class CitationRefused(ToolkitError):
    """The quote is in the source, but does not state what the record says."""

    code = "invalid-record"


def _cited_yaml(original: str, doc: Any, last: tuple[str | int, ...], source: str, quote: str) -> str:
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
    data = json.loads(original)
    record: Any = data
    for part in key:
        record = record[part]
    record.setdefault("evidence", []).append({"source": source, "quote": quote})
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
