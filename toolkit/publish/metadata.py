"""Publish: Datasette metadata generated from the models, and a local Datasette server.

metadata.json is generated, never hand-edited: column descriptions come from the models'
field descriptions (the same text an editor shows while a contributor types a record), so
the published site and the schema cannot drift apart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from toolkit.build.database import DEFAULT_OUT, build_database, inputs_hash
from toolkit.core.files import atomic_write
from toolkit.core.version import __version__
from toolkit.records.models import (
    Body,
    Claim,
    DateValue,
    Entity,
    Event,
    Evidence,
    Organization,
    Place,
    Position,
    Property,
    Quantity,
    Review,
    Source,
    Statement,
    TextValue,
)

METADATA_FILE = "metadata.json"


def _fields(model: type[BaseModel], prefix: str = "", rename: dict[str, str] | None = None) -> dict[str, str]:
    out = {}
    for name, info in model.model_fields.items():
        if info.description:
            out[(rename or {}).get(name, prefix + name)] = info.description
    return out


SEARCH_KEY = "The names and text of the row, lower-cased without diacritics (đ as d), for search."

# Columns computed by the build, described here; every other column takes its model's text.
COLUMNS: dict[str, dict[str, str]] = {
    "sources": {
        **_fields(Source),
        "body_start_line": Body.model_fields["start_line"].description or "",
        "body_end_line": Body.model_fields["end_line"].description or "",
    },
    "properties": _fields(Property),
    "entities": {
        **_fields(Entity),
        "kind": "person, organization, place or event: what a claim can be about.",
        "search_key": SEARCH_KEY,
    },
    "persons": {**_fields(Entity), "aliases": "Other spellings (a JSON list).", "search_key": SEARCH_KEY},
    "organizations": {
        **_fields(Organization),
        "aliases": "Other spellings (a JSON list).",
        "search_key": SEARCH_KEY,
    },
    "places": {**_fields(Place), "aliases": "Other spellings (a JSON list).", "search_key": SEARCH_KEY},
    "positions": {**_fields(Position), "search_key": SEARCH_KEY},
    "reviews": {
        "source": "Id of the source whose records were reviewed.",
        "seq": "Order of the review among the source's reviews.",
        **_fields(Review),
        "checked": "What was checked (a JSON list).",
    },
    "statements": {
        **_fields(Statement),
        "topics": "What it is about (a JSON list).",
        "search_key": SEARCH_KEY,
    },
    "events": {
        **_fields(Event),
        "date_start": "First day the event's date covers (ISO 8601), for sorting and ranges.",
        "date_end": "Last day the event's date covers (ISO 8601).",
        "search_key": SEARCH_KEY,
    },
    "event_organizers": {"event": "Id of the event.", "entity": "Id of an organizer."},
    "event_participants": {"event": "Id of the event.", "entity": "Id of a participant."},
    "claims": {
        **_fields(Claim),
        "value_type": "quantity, date, entity or text: which value columns are filled.",
        "amount": "The number, for sorting and sums (exact text in amount_exact).",
        "amount_exact": "The number exactly as a decimal string (9,8 triệu is 9800000).",
        **_fields(Quantity, rename={"amount": "amount_exact"}),
        "value_date": DateValue.model_fields["date"].description or "Date value.",
        "value_entity": "Id of the entity or event that is the value.",
        "value_text": TextValue.model_fields["text"].description or "",
        "value_text_en": TextValue.model_fields["text_en"].description or "",
        "period_start": "First date the claim covers.",
        "period_end": "Last date the claim covers.",
        "search_key": SEARCH_KEY,
    },
    "evidence": {
        **_fields(Evidence),
        "id": "Record id and the evidence's position in its list (claim-id#0).",
        "record_kind": "claim, event or position.",
        "record_id": "Id of the record the evidence supports.",
        "seq": "Position of this evidence in the record's list (0-based).",
        "exact": "The source's own characters at the quote's place (the quote may differ in NFC or spaces).",
        "start": "Character offset where the quote starts in the source text (0-based).",
        "end": "Character offset just after the quote.",
        "line": "Line of the source text where the quote starts (1-based).",
        "prefix": "Up to 40 characters of the source just before the quote.",
        "suffix": "Up to 40 characters of the source just after the quote.",
    },
    "build_info": {"key": "What is recorded.", "value": "Its value."},
    "source_lines": {
        "source": "Id of the source.",
        "line": "Line number in the archived text (1-based).",
        "start": "Character offset where the line starts in the source text (0-based).",
        "text": "The line as archived.",
        "part": "body (the article), excluded (inside the body but not the article) or furniture.",
        "note": "Why an excluded line is not the article.",
    },
    "site_search": {
        "rowid": "Row number.",
        "kind": "person, organization, place, event, position, claim or source.",
        "record_id": "Id of the record.",
        "name": "Its name or title as written.",
        "name_en": "Its name, title or statement in English.",
    },
}
_FLAT_FROM = {  # claims_flat column -> (table, column) it copies
    "claim_id": ("claims", "id"),
    "subject_name": ("entities", "name"),
    "subject_name_en": ("entities", "name_en"),
    "subject_kind": ("entities", "kind"),
    "property_label": ("properties", "label_en"),
    "property_label_vi": ("properties", "label_vi"),
    "value_entity_name": ("entities", "name"),
    "source_title": ("sources", "title"),
    "publisher": ("sources", "publisher"),
    "published": ("sources", "published"),
    "quote": ("evidence", "quote"),
    "line": ("evidence", "line"),
    "source": ("evidence", "source"),
    "evidence_id": ("evidence", "id"),
}
COLUMNS["claims_flat"] = (
    {column: COLUMNS[table][source] for column, (table, source) in _FLAT_FROM.items()}
    | {column: text for column, text in COLUMNS["claims"].items() if column != "id"}
    | {
        "value_words": "The value as a reader says it: about USD 9.8 million, 15–20 delegations.",
        "time_words": "When the value holds, in words: since 2006, first half of 2023.",
        "search_key": "The words of subject, statement and quote that hold đ, folded (Đặng as dang), "
        "so search finds them typed without it.",
    }
)

TABLES: dict[str, dict[str, Any]] = {
    "claims_flat": {
        "title": "Every fact with its quote",
        "description": "One row per fact and quote: the statement, its value in words, subject, date, "
        "source and the exact quote come first; each fact links to its page. Search ignores diacritics. "
        "The whole dataset (events, positions, people too) is the everything download on the home page.",
        "sort": "claim_id",
        "size": 20,
    },
    "source_lines": {
        "description": "Every line of every archived page, marked article body, excluded or furniture.",
        "facets": ["source", "part"],
    },
    "site_search": {"description": "The site-wide search index over every kind.", "hidden": True},
    "claims": {
        "description": "Statements: subject, property, value, when, rank.",
        "facets": ["property", "subject", "comparator", "rank"],
        "label_column": "statement_en",
    },
    "evidence": {
        "description": "Where each record is stated: the quote, its offsets and line in the source.",
        "facets": ["source", "record_kind"],
    },
    "events": {
        "description": "Meetings, conferences, visits, festivals, ceremonies and signings.",
        "facets": ["type", "status", "place"],
        "sort": "date_start",
        "label_column": "name",
    },
    "timeline": {"description": "Events in date order.", "facets": ["type", "status"]},
    "positions": {
        "description": "Posts held by people as a source states them (title as written, date, status).",
        "facets": ["status", "organization"],
        "label_column": "title",
    },
    "positions_by_person": {"description": "Positions with the person's and organization's names."},
    "reviews": {
        "description": "Each reading of a source's records against the page: who, when, what was checked.",
        "facets": ["by"],
    },
    "statements": {
        "description": "What people said: the speaker, the verb the source uses, the words (in "
        "evidence) and a faithful English rendering.",
        "facets": ["speaker", "verb", "event"],
        "label_column": "text_en",
    },
    "persons": {"description": "People named in the articles.", "label_column": "name"},
    "organizations": {
        "description": "Associations, parliamentary groups, ministries, agencies.",
        "facets": ["type"],
        "label_column": "name",
    },
    "places": {"description": "Places, with their hierarchy.", "facets": ["type"], "label_column": "name"},
    "entities": {
        "description": "Everything a claim can be about: people, organizations, places and events.",
        "facets": ["kind"],
        "label_column": "name",
    },
    "properties": {"description": "The controlled property vocabulary.", "label_column": "label_en"},
    "sources": {
        "description": "The archived pages every quote comes from (texts remain their publishers').",
        "label_column": "title",
    },
    "corroborated_claims": {"description": "Claims stated by more than one source."},
    "conflicts": {
        "description": "Same subject, property and time with different values from different sources, "
        "where no rank resolves them."
    },
    "build_info": {"description": "Provenance of this build: toolkit version, counts, hashes."},
}

QUERIES: dict[str, dict[str, Any]] = {
    "figures_for_place": {
        "title": "Figures about a place",
        "description": "Every fact about a place or any place inside it. Type a place's name, with or "
        "without diacritics (Lào Cai, lao cai), or its id (lao-cai).",
        "empty": "No place matches that name, or no fact is about it or a place inside it.",
        "params": ["place"],
        "sql": """with recursive inside(id) as (
  select id from places where :place != ''
    and (id = :place or search_key like '%' || fb_fold(:place) || '%')
  union select places.id from places join inside on places.parent = inside.id
)
select f.claim_id, f.statement_en as fact, f.value_words as value, f.subject_name as subject,
  f.time_words as "when", f.source_title as source, f.quote
from claims_flat f where f.subject in (select id from inside)
order by f.subject, f.property, f.claim_id""",
    },
    "positions_of_person": {
        "title": "Positions held by a person",
        "description": "Every post a person held as the sources state it. Type a name, with or without "
        "diacritics (Đặng Xuân Phong, dang xuan phong), or an id.",
        "empty": "No person matches that name.",
        "params": ["name"],
        "sql": """select p.position_id, p.person_name as person, p.title, p.title_en as title_in_english,
  p.organization_name as organization, p.as_of, p.status, p.source_title as source, p.quote
from positions_by_person p
join persons pe on pe.id = p.person
where :name != '' and (pe.id = :name or pe.search_key like '%' || fb_fold(:name) || '%')
order by p.person_name, p.as_of""",
    },
    "events_between": {
        "title": "Events between two dates",
        "description": "Events whose dates overlap the range. A year (2023), a month (2023-06) or a day "
        "(2023-06-03) each stand for their whole span; leave one end empty for an open range.",
        "empty": "No dated event overlaps that range. Events whose date no source states are not "
        "included; they are at the end of the timeline.",
        "params": ["start", "end"],
        "sql": """select event, name_en as event_name, name, date, type, place_name_en as place, status,
  sources
from timeline
where date_start is not null
  and (:start = '' or date_end >= :start)
  and (:end = '' or date_start <= :end || '~')
order by date_start, date_end, event""",
    },
    "corroborated": {
        "title": "Corroborated claims",
        "description": "Facts that more than one source states.",
        "empty": "No fact is stated by more than one source yet.",
        "sql": """select claim_id, statement_en as fact, sources, source_ids
from corroborated_claims order by claim_id""",
    },
    "conflicting": {
        "title": "Conflicting claims",
        "description": "Different values for the same subject, property and time from different "
        "sources, where no rank resolves them.",
        "empty": "No conflicts: no two sources give different values for the same subject, property "
        "and time (or ranks resolve every difference).",
        "sql": """select subject_name as subject, property, claim_a, value_a, claim_b, value_b, time
from conflicts order by subject, property""",
    },
}


def metadata(database: str = "factbase") -> dict[str, Any]:
    """The Datasette metadata for the built database."""
    tables: dict[str, dict[str, Any]] = {}
    for name in sorted(set(COLUMNS) | set(TABLES)):
        table = dict(TABLES.get(name, {}))
        if name in COLUMNS:
            table["columns"] = COLUMNS[name]
        tables[name] = table
    return {
        "title": "Vietnam–Japan fact base, 2023",
        "description_html": (
            "<p>Facts hand-checked against Vietnamese news pages from the 50th anniversary year of "
            "Vietnam–Japan diplomatic relations. Every figure, date, position and event carries the exact "
            "quote it comes from; the toolkit proves each quote is in the archived page and that the value "
            "is the one the quote states. Search works with or without Vietnamese diacritics.</p>"
        ),
        "creator": "Vietnam–Japan fact base contributors",
        "spatial_coverage": ["Vietnam", "Japan"],
        "extra_css_urls": ["/assets/factbase.css"],
        "license": "Records: CC BY 4.0; source texts remain their publishers'",
        "license_url": "https://creativecommons.org/licenses/by/4.0/",
        "source": "Thời Đại, Tạp chí Cộng sản, Báo Lào Cai and other Vietnamese news pages (2023)",
        "about": f"Built with the fact base toolkit {__version__}",
        "databases": {database: {"tables": tables, "queries": QUERIES}},
    }


def render_metadata() -> str:
    return json.dumps(metadata(), ensure_ascii=False, indent=2) + "\n"


def write_metadata(path: Path) -> Path:
    atomic_write(path, render_metadata())
    return path


def metadata_is_current(path: Path) -> bool:
    try:
        return path.read_text(encoding="utf-8") == render_metadata()
    except OSError:
        return False


def database_is_current(root: Path, db_path: Path) -> bool:
    """True when `db_path` was built from exactly the project's current inputs."""
    import sqlite3

    if not db_path.is_file():
        return False
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            row = conn.execute("select value from build_info where key = 'inputs_hash'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return row is not None and row[0] == inputs_hash(root)


def ensure_database(root: Path, db_path: Path | None = None) -> tuple[Path, bool]:
    """Build the database if it is missing or stale, and its inspect file; returns (path, rebuilt)."""
    target = db_path if db_path is not None else root / DEFAULT_OUT
    rebuilt = not database_is_current(root, target)
    if rebuilt:
        target = build_database(root, target).path
    inspect = inspect_path(target)
    if rebuilt or not inspect.is_file() or inspect.stat().st_mtime < target.stat().st_mtime:
        write_inspect(target)
    return target, rebuilt


def inspect_path(db_path: Path) -> Path:
    """Where the database's inspect file lies: beside it, `factbase.inspect.json`."""
    return db_path.with_suffix(".inspect.json")


def write_inspect(db_path: Path) -> Path:
    """`datasette inspect` of an immutable database: its hash and every table's row count, so
    a replica serving the file never counts rows at start or on a page (see the README's
    section on serving past one machine)."""
    import asyncio

    from datasette.cli import inspect_

    data = asyncio.run(inspect_([str(db_path)], ()))
    target = inspect_path(db_path)
    atomic_write(target, json.dumps(data, indent=2, sort_keys=True) + "\n")
    return target
