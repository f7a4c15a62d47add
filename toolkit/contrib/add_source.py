"""Archiving a new page with its source record (`toolkit add-source`): the page is copied into
seeds/ unchanged and its record appended to seeds/sources.yaml. What the page itself states
(headline, publication stamp, body bounds, lines to exclude) is proposed from its text and
used only when the contributor accepts it: never a silent guess."""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from toolkit.contrib.layout import propose_source
from toolkit.contrib.record_files import append_records, slug, used_ids
from toolkit.core.files import file_digest
from toolkit.core.problems import ToolkitError, UsageError
from toolkit.core.settings import load_settings
from toolkit.languages import Language, language
from toolkit.records.load import decode_text, read_text
from toolkit.records.models import Source
from toolkit.validate.engine import Project, validate_project

Accept = Callable[[str, str, str], str]
"""How the caller settles a value the text proposes and no flag gave: (label, proposal, the
flag that would give it) -> the value to use; raises UsageError where nobody can say."""


class DuplicateSource(ToolkitError):
    """The text is already archived (same sha256)."""

    code = "source-duplicate"


class InvalidRecord(ToolkitError):
    """The source record the fields make does not validate."""

    code = "invalid-record"


@dataclass(frozen=True)
class AddedSource:
    """A page archived: its source record, where the text went and the file the record went into."""

    record: dict[str, Any]
    text_path: Path
    record_path: Path


@dataclass(frozen=True)
class Given:
    """What the contributor gave on the command line (None: not given)."""

    id: str | None = None
    title: str | None = None
    title_en: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: str | None = None
    published_quote: str | None = None
    published_note: str | None = None
    body: str | None = None  # START-END
    language: str | None = None  # the page's; default: the project's (factbase.toml)


def add_page(
    root: Path, file: Path, given: Given, accept: Accept, note: Callable[[str], None]
) -> AddedSource:
    """Read the page, settle its record's fields (each given, or proposed by the text and
    accepted through `accept`; `note` hears the lines proposed for exclusion), then archive it."""
    tag = given.language or load_settings(root).dataset.language
    return add_source(root, file, settle_fields(file, given, accept, note, language(tag)))


def _decide(label: str, given: str | None, proposed: str | None, flag: str, accept: Accept) -> str | None:
    """A value from its flag, or a proposal the caller accepts; None where there is neither."""
    if given is not None:
        return given
    if proposed is None:
        return None
    return accept(label, proposed, flag)


def settle_fields(
    file: Path, given: Given, accept: Accept, note: Callable[[str], None], lang: Language
) -> dict[str, Any]:
    """The fields `add_source` takes, from what was given and what the page's text proposes
    (read with the words of the page's language)."""
    try:
        text = read_text(file)
    except ToolkitError as exc:
        raise UsageError(f"{file}: {exc.message}") from None
    proposal = propose_source(text, lang)
    proposed_body = (
        f"{proposal.body_start}-{proposal.body_end}" if proposal.body_start and proposal.body_end else None
    )
    title = _decide("title", given.title, proposal.title, "--title", accept)
    published, published_quote = given.published, given.published_quote
    if published is None and given.published_note is None:
        published = _decide("published", None, proposal.published, "--published", accept)
        if published is not None and published == proposal.published:
            published_quote = published_quote or proposal.published_quote
            if proposal.unzoned:
                note(
                    f"published: the page prints {proposal.unzoned} with no time zone, so only the date "
                    f"is proposed; to keep the time, give it with the zone the site keeps, e.g. --published "
                    f"{published}T{proposal.unzoned}:00{lang.time_zone} (usual for {lang.code} pages)"
                )
    body = _decide("body", given.body, proposed_body, "--body START-END", accept)
    # Lines inside the proposed body that are not the article (alt text, related news).
    exclude = proposal.exclude if body == proposed_body else []
    captions = proposal.captions if body == proposed_body else []
    for first, last, reason in exclude:
        note(f"exclude: lines {first}-{last}, {reason} (proposed from the text)")
    for first, last in captions:
        note(f"caption: lines {first}-{last}, a photo caption (proposed from the text)")
    start, end = _required(file, given, title, published, published_quote, body)
    assert published is not None  # _required refuses a page with no date
    return {
        "id": _decide("id", given.id, source_id(given.publisher, published), "--id", accept),
        "title": title,
        "title_en": given.title_en,
        "publisher": given.publisher,
        "url": given.url,
        "published": published,
        "published_quote": published_quote,
        "published_note": given.published_note,
        "body_start": start,
        "body_end": end,
        "exclude": exclude,
        "captions": captions,
        "language": lang.code if given.language is None else given.language,
    }


MAX_PROPOSED_ID = 40


def source_id(publisher: str | None, published: str) -> str:
    """The id proposed for a page: its publisher's words, as many whole ones as fit in 40
    characters with the date (a long name made ids no one would type)."""
    date = published[:10]
    words = slug(publisher or "").split("-")
    while len(words) > 1 and len("-".join(words)) + 1 + len(date) > MAX_PROPOSED_ID:
        words.pop()
    return f"{'-'.join(words)[: MAX_PROPOSED_ID - 1 - len(date)]}-{date}"


def _required(
    file: Path,
    given: Given,
    title: str | None,
    published: str | None,
    published_quote: str | None,
    body: str | None,
) -> tuple[int, int]:
    """Refuse a record the page and the flags leave incomplete; the body's first and last line."""
    if published is None:
        raise UsageError(
            f"{file}: the page states no publication date: pass --published with what the text "
            "supports (a date, a month or a year such as 2023) and --published-note saying why"
        )
    missing = [
        f for f, v in (("--title", title), ("--publisher", given.publisher), ("--body", body)) if v is None
    ]
    if missing:
        raise UsageError(f"{file}: the text does not say, so pass {', '.join(missing)}")
    if published_quote is None and given.published_note is None:
        raise UsageError(
            "the page's own words for the date are unknown: pass --published-quote or --published-note"
        )
    assert body is not None
    m = re.fullmatch(r"\s*(\d+)\s*-\s*(\d+)\s*", body)
    if not m:
        raise UsageError(f"--body {body!r}: write the lines as START-END, e.g. 8-36")
    return int(m[1]), int(m[2])


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
    record = _source_record(fields, target.name, digest)
    if record["id"] in used_ids(validate_project(project.root).dataset):
        raise UsageError(f"id {record['id']!r} is already used: pass another --id")
    shutil.copyfile(file, target)
    try:
        path = append_records(project, project.seeds / "sources.yaml", "sources", [record])
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return AddedSource(record, target, path)


def _source_record(fields: dict[str, Any], name: str, digest: str) -> dict[str, Any]:
    """The source record, in the order people write it; InvalidRecord unless it validates."""
    record: dict[str, Any] = {"id": fields["id"], "file": name, "sha256": digest}
    for key in ("title", "title_en", "publisher", "url", "published", "published_quote", "published_note"):
        if fields.get(key) is not None:
            record[key] = fields[key]
    if fields.get("language"):
        record["language"] = fields["language"]
    record["body"] = {"start_line": fields["body_start"], "end_line": fields["body_end"]}
    if fields.get("exclude"):
        record["body"]["exclude"] = [
            {"start_line": a, "end_line": b, "reason": reason} for a, b, reason in fields["exclude"]
        ]
    if fields.get("captions"):
        record["body"]["captions"] = [{"start_line": a, "end_line": b} for a, b in fields["captions"]]
    try:
        Source.model_validate(record)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidRecord(f"{where}: {first['msg']}") from None
    return record


__all__ = [
    "AddedSource",
    "DuplicateSource",
    "Given",
    "InvalidRecord",
    "add_page",
    "add_source",
    "archive_name",
    "settle_fields",
]
