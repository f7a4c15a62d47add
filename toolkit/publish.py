"""Publish: Datasette metadata generated from the models, and a local Datasette server.

metadata.json is generated, never hand-edited: column descriptions come from the models'
field descriptions (the same text an editor shows while a contributor types a record), so
the published site and the schema cannot drift apart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from toolkit import __version__
from toolkit.build import DEFAULT_OUT, build_database, inputs_hash
from toolkit.models import (
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
    Source,
    TextValue,
)
from toolkit.problems import ToolkitError

METADATA_FILE = "metadata.json"
HOST = "127.0.0.1"
DEFAULT_PORT = 8001
# Suggested facets run several GROUP BY queries on every table page: too slow at 100 000 claims
# for a page that must answer in well under 100 ms. Facets stay one click away (?_facet=).
SETTINGS = {
    "sql_time_limit_ms": 3000,
    "max_returned_rows": 2000,
    "default_page_size": 50,
    "suggest_facets": False,
}
PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE / "templates"
STATIC = PACKAGE / "static"


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
COLUMNS["claims_flat"] = {
    column: COLUMNS[table][source] for column, (table, source) in _FLAT_FROM.items()
} | {column: text for column, text in COLUMNS["claims"].items() if column not in ("id", "search_key")}

TABLES: dict[str, dict[str, Any]] = {
    "claims_flat": {
        "description": "Every claim with each of its evidence items: subject, property, value, unit, "
        "comparator, dates, source and the exact quote. One CSV of this table holds everything.",
        "sort": "claim_id",
    },
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
        "description": "Every claim about a place or any place inside it (type a place id, e.g. lao-cai).",
        "sql": """with recursive inside(id) as (
  select :place
  union select places.id from places join inside on places.parent = inside.id
)
select f.* from claims_flat f where f.subject in (select id from inside)
order by f.subject, f.property""",
    },
    "positions_of_person": {
        "title": "Positions held by a person",
        "description": "Type a name, with or without diacritics (Dang Xuan Phong).",
        "sql": """select p.* from positions_by_person p
join persons pe on pe.id = p.person
where pe.search_key like '%' || lower(:name) || '%' or pe.name like '%' || :name || '%'
order by p.person_name, p.as_of""",
    },
    "events_between": {
        "title": "Events between two dates",
        "description": "Events whose dates overlap the range (YYYY-MM-DD).",
        "sql": """select * from timeline where date_end >= :start and date_start <= :end
order by date_start""",
    },
    "corroborated": {
        "title": "Corroborated claims",
        "description": "Claims that more than one source states.",
        "sql": "select * from corroborated_claims order by claim_id",
    },
    "conflicting": {
        "title": "Conflicting claims",
        "description": "Different values for the same subject, property and time from different sources.",
        "sql": "select * from conflicts order by subject, property",
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
            "<p>Facts hand-checked against five Vietnamese news pages from the 50th anniversary year of "
            "Vietnam–Japan diplomatic relations. Every figure, date, position and event carries the exact "
            "quote it comes from; the toolkit proves each quote is in the archived page and that the value "
            "is the one the quote states. Search works with or without Vietnamese diacritics.</p>"
            '<p>Start with <a href="/factbase/claims_flat">every fact with its quote</a>, the '
            '<a href="/timeline">timeline of events</a>, or search '
            '<a href="/factbase/persons">people</a> and <a href="/factbase/events">events</a>.</p>'
        ),
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
    path.write_text(render_metadata(), encoding="utf-8")
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
    """Build the database if it is missing or stale; returns (path, rebuilt)."""
    target = db_path if db_path is not None else root / DEFAULT_OUT
    if database_is_current(root, target):
        return target, False
    return build_database(root, target).path, True


def datasette_app(db_path: Path, metadata_path: Path | None = None) -> Any:
    """A Datasette instance serving `db_path` immutable, with our metadata, limits and pages."""
    from datasette.app import Datasette

    from toolkit import hardening

    hardening.register()  # value, query and method limits: see toolkit/hardening.py
    meta = json.loads(metadata_path.read_text(encoding="utf-8")) if metadata_path else metadata()
    if db_path.stem != "factbase":
        meta["databases"] = {db_path.stem: meta["databases"]["factbase"]}
    return Datasette(
        immutables=[str(db_path)],
        metadata=meta,
        settings=SETTINGS,
        template_dir=str(TEMPLATES),
        static_mounts=[("assets", str(STATIC))],
    )


def serve(root: Path, port: int = DEFAULT_PORT, db_path: Path | None = None) -> None:
    """Build if stale, then serve the site on 127.0.0.1:`port` until interrupted."""
    import uvicorn

    path, _ = ensure_database(root, db_path)
    meta_path = root / METADATA_FILE
    app = datasette_app(path, meta_path if meta_path.is_file() else None)
    try:
        uvicorn.run(app.app(), host=HOST, port=port, log_level="warning")
    except OSError as exc:
        raise ToolkitError(f"cannot serve on {HOST}:{port}: {exc.strerror or exc}") from None
