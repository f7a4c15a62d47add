"""The table registry: every table the build makes, in the order it makes them. The tables
filled from records are declared here; those made by a query (the flat list of facts, the
reader's tables, the views) in toolkit/build/views.py. Rows are made by column name against
these declarations (toolkit/build/rows.py); the build, metadata.json, the exports and the site
read them. Adding a column is one line here and one where its value is made."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from pydantic import BaseModel

from toolkit.build.table import C, Column, Table
from toolkit.build.table import described as _d
from toolkit.build.views import (
    BUILD_INFO,
    CLAIMS_FLAT,
    CONFLICTS,
    CORROBORATED,
    INFERRED_DATES,
    MENTIONS,
    PLACES_WITHIN,
    POSITIONS_BY_PERSON,
    SITE_NAMES,
    SITE_SEARCH,
    SOURCE_LINES,
    TIMELINE,
)
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

SEARCH_KEY = "The names and text of the row, lower-cased without diacritics (đ as d), for search."
ALIASES = "Other spellings (a JSON list)."
PUBLISHED_START = (
    "First day the publication date covers (ISO 8601): the day itself for a dated page, the "
    "window's first day where the page prints no date."
)
PUBLISHED_END = "Last day the publication date covers (ISO 8601): the same day for a dated page."


def _key() -> Column:
    return C("search_key", SEARCH_KEY, export=False)


def _named(model: type[BaseModel]) -> tuple[Column, ...]:
    return (
        C("id", _d(model, "id")),
        C("name", _d(Entity, "name")),
        C("name_en", _d(Entity, "name_en")),
        C("aliases", ALIASES, json_list=True),
        C("description_en", _d(Entity, "description_en")),
        _key(),
    )


def _role(name: str, who: str) -> Table:
    return Table(
        name,
        f"The {who}s of each event.",
        (
            C("event", "Id of the event."),
            C("entity", f"Id of an {who}." if who[0] in "aeiou" else f"Id of a {who}."),
        ),
        pk=("event", "entity"),
        fks=(("event", "events", "id"), ("entity", "entities", "id")),
        order=("event", "entity"),
    )


_SOURCES = Table(
    "sources",
    "The archived pages every quote comes from (texts remain their publishers').",
    (
        *(C(n, _d(Source, n)) for n in ("id", "file", "sha256", "title", "title_en", "publisher", "url")),
        # As written (a date-time, a day or a window): exports give published_start and _end.
        C("published", _d(Source, "published"), export=False),
        *(C(n, _d(Source, n)) for n in ("published_quote", "published_note", "language")),
        C("body_start_line", int, _d(Body, "start_line")),
        C("body_end_line", int, _d(Body, "end_line")),
        C("published_start", date, PUBLISHED_START),
        C("published_end", date, PUBLISHED_END),
        C("publisher_named", int, _d(Source, "publisher_named")),
    ),
    site={"label_column": "title"},
)
_REVIEWS = Table(
    "reviews",
    "Each reading of a source's records against the page: who, when, what was checked.",
    (
        C("source", "Id of the source whose records were reviewed."),
        C("by", _d(Review, "by")),
        C("date", _d(Review, "date")),
        C("checked", "What was checked (a JSON list).", json_list=True),
        C("seq", int, "Order of the review among the source's reviews."),
        C("corrections", _d(Review, "corrections")),
    ),
    pk=("source", "seq"),
    fks=(("source", "sources", "id"),),
    order=("source", "seq"),
    site={"facets": ["by"]},
)
_PROPERTIES = Table(
    "properties",
    "The controlled property vocabulary.",
    (
        C("id", _d(Property, "id")),
        # The column keeps its first name; it holds `label` (or `label_vi`) in the dataset's language.
        C("label_vi", "Label in the dataset's language (`label`, or `label_vi` in older files)."),
        *(C(n, _d(Property, n)) for n in ("label_en", "value_type", "unit", "description")),
        C("nouns", "What its figures count or rank, in the pages' words (a JSON list; empty: none listed)."),
    ),
    site={"label_column": "label_en"},
)
_ENTITIES = Table(
    "entities",
    "Everything a claim can be about: people, organizations, places and events.",
    (
        C("id", _d(Entity, "id")),
        C("kind", "person, organization, place or event: what a claim can be about."),
        C("name", _d(Entity, "name")),
        C("name_en", _d(Entity, "name_en")),
        _key(),
    ),
    search=("name", "name_en", "search_key"),
    site={"facets": ["kind"], "label_column": "name"},
)
_NAME_SEARCH = ("name", "name_en", "aliases", "search_key")
_PLACES = Table(
    "places",
    "Places, with their hierarchy.",
    (*_named(Place), C("type", _d(Place, "type")), C("parent", _d(Place, "parent"))),
    fks=(("parent", "places", "id"),),
    search=_NAME_SEARCH,
    site={"facets": ["type"], "label_column": "name"},
)
_ORGANIZATIONS = Table(
    "organizations",
    "Associations, parliamentary groups, ministries, agencies.",
    (*_named(Organization), *(C(n, _d(Organization, n)) for n in ("type", "parent", "country"))),
    fks=(("parent", "organizations", "id"), ("country", "places", "id")),
    search=_NAME_SEARCH,
    site={"facets": ["type"], "label_column": "name"},
)
_PERSONS = Table(
    "persons",
    "People named in the articles.",
    _named(Entity),
    search=_NAME_SEARCH,
    site={"label_column": "name"},
)
_POSITIONS = Table(
    "positions",
    "Posts held by people as a source states them (title as written, date, status).",
    (
        *(C(n, _d(Position, n)) for n in ("id", "person", "organization", "title", "title_en", "as_of")),
        *(C(n, _d(Position, n)) for n in ("status", "since", "until")),
        _key(),
    ),
    fks=(("person", "persons", "id"), ("organization", "organizations", "id")),
    label="person",
    search=("title", "title_en", "search_key"),
    site={"facets": ["status", "organization"], "label_column": "title"},
)
_EVENTS = Table(
    "events",
    "Meetings, conferences, visits, festivals, ceremonies and signings.",
    (
        *(C(n, _d(Event, n)) for n in ("id", "type", "name")),
        C("name_en", _d(Entity, "name_en")),
        C("date", _d(Event, "date")),
        C("date_start", date, "First day the event's date covers (ISO 8601), for sorting and ranges."),
        C("date_end", date, "Last day the event's date covers (ISO 8601)."),
        *(C(n, _d(Event, n)) for n in ("status", "place", "parent", "description_en")),
        _key(),
    ),
    fks=(("place", "places", "id"), ("parent", "events", "id")),
    label="place",
    label_first=False,
    search=("name", "name_en", "description_en", "search_key"),
    site={"facets": ["type", "status", "place"], "sort": "date_start", "label_column": "name"},
)
_CLAIMS = Table(
    "claims",
    "Statements: subject, property, value, when, rank.",
    (
        *(C(n, _d(Claim, n)) for n in ("id", "subject", "property")),
        C("value_type", "quantity, date, entity or text: which value columns are filled."),
        C("amount", float, "The number, for sorting and sums (exact text in amount_exact)."),
        C("amount_exact", _d(Quantity, "amount")),
        *(C(n, _d(Quantity, n)) for n in ("unit", "comparator")),
        C("lower", float, _d(Quantity, "lower")),
        C("upper", float, _d(Quantity, "upper")),
        *(C(n, _d(Quantity, n)) for n in ("original", "statistic")),
        C("value_date", _d(DateValue, "date")),
        C("value_entity", "Id of the entity or event that is the value."),
        C("value_text", _d(TextValue, "text")),
        C("value_text_en", _d(TextValue, "text_en")),
        C("point_in_time", _d(Claim, "point_in_time")),
        C("period_start", "First date the claim covers."),
        C("period_end", "Last date the claim covers."),
        *(C(n, _d(Claim, n)) for n in ("statement_en", "rank", "rank_reason", "modality", "according_to")),
        _key(),
    ),
    fks=(
        ("subject", "entities", "id"),
        ("property", "properties", "id"),
        ("value_entity", "entities", "id"),
        ("according_to", "entities", "id"),
    ),
    label="subject",
    search=("statement_en", "original", "value_text", "search_key"),
    site={"facets": ["property", "subject", "comparator", "rank"], "label_column": "statement_en"},
)
_STATEMENTS = Table(
    "statements",
    "What people said: the speaker, the verb the source uses, the words (in evidence) and a "
    "faithful English rendering.",
    (
        *(C(n, _d(Statement, n)) for n in ("id", "speaker", "speaker_organization", "position", "event")),
        *(C(n, _d(Statement, n)) for n in ("date", "verb", "text_en")),
        C("topics", "What it is about (a JSON list).", json_list=True),
        _key(),
    ),
    fks=(
        ("speaker", "persons", "id"),
        ("speaker_organization", "organizations", "id"),
        ("position", "positions", "id"),
        ("event", "events", "id"),
    ),
    label="speaker",
    search=("verb", "text_en", "search_key"),
    site={"facets": ["speaker", "verb", "event"], "label_column": "text_en"},
)
_EVIDENCE = Table(
    "evidence",
    "Where each record is stated: the quote, its offsets and line in the source.",
    (
        C("id", "Record id and the evidence's position in its list (claim-id#0)."),
        C("record_kind", "claim, event or position."),
        C("record_id", "Id of the record the evidence supports."),
        C("seq", int, "Position of this evidence in the record's list (0-based)."),
        C("source", _d(Evidence, "source")),
        C("quote", _d(Evidence, "quote")),
        C(
            "exact",
            "The source's own characters at the quote's place (the quote may differ in NFC or spaces).",
        ),
        C("start", int, "Character offset where the quote starts in the source text (0-based)."),
        C("end", int, "Character offset just after the quote."),
        C("line", int, "Line of the source text where the quote starts (1-based)."),
        C("prefix", "Up to 40 characters of the source just before the quote."),
        C("suffix", "Up to 40 characters of the source just after the quote."),
        C("verb", _d(Evidence, "verb")),
        C("according_to", _d(Evidence, "according_to")),
    ),
    fks=(("source", "sources", "id"),),
    order=("record_id", "seq"),
    site={"facets": ["source", "record_kind"]},
)
_ORGANIZERS = _role("event_organizers", "organizer")
_CHAIRS = _role("event_chairs", "chair")
_PARTICIPANTS = _role("event_participants", "participant")

# The tables filled from records' rows, in the order they are created: a table exists before
# keys point at it.
RECORD_TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        _SOURCES,
        _REVIEWS,
        _PROPERTIES,
        _ENTITIES,
        _PLACES,
        _ORGANIZATIONS,
        _PERSONS,
        _POSITIONS,
        _EVENTS,
        _ORGANIZERS,
        _CHAIRS,
        _PARTICIPANTS,
        _CLAIMS,
        _STATEMENTS,
        _EVIDENCE,
    )
}
# The indexes on them, in the order they are made (a tuple: an index on several columns).
INDEXES: tuple[tuple[str, str | tuple[str, ...]], ...] = (
    ("claims", "subject"),
    ("claims", "property"),
    # A property's page: its subjects and units, read from the index alone at any size.
    ("claims", ("property", "subject")),
    ("claims", ("property", "unit")),
    ("positions", "person"),
    ("events", "date_start"),
    ("evidence", "record_id"),
    ("evidence", "source"),
)


# Made from several files' rows once the records' tables exist (toolkit/build/links.py).
LINKS = (MENTIONS, PLACES_WITHIN, INFERRED_DATES, SITE_NAMES)


def _resolved(table: Table, known: dict[str, Table]) -> Table:
    """The table with each `same_as` column's description copied from the column it repeats."""
    columns = tuple(
        replace(c, description=known[c.same_as[0]].described()[c.same_as[1]]) if c.same_as else c
        for c in table.columns
    )
    return replace(table, columns=columns)


def _registry() -> dict[str, Table]:
    made = [
        SOURCE_LINES,
        CLAIMS_FLAT,
        SITE_SEARCH,
        *LINKS,
        POSITIONS_BY_PERSON,
        TIMELINE,
        CORROBORATED,
        CONFLICTS,
    ]
    tables = dict(RECORD_TABLES)
    for table in [*made, BUILD_INFO]:
        tables[table.name] = _resolved(table, tables)
    return tables


# Every table the build makes, record tables first, then those made by query, views last.
TABLES: dict[str, Table] = _registry()
VIEWS = {name: t for name, t in TABLES.items() if t.view}
