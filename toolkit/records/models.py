"""Record models: the single definition from which the JSON Schema, the checks and the
database columns are derived. Every field carries a description because it becomes a
column description in Datasette."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

from toolkit.core import dates

ID_PATTERN = r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"
# A relative POSIX path (no leading slash, no empty segment, no backslash). That it stays
# inside seeds/ (no `..`, no symlink out) is a validation rule with its own message.
FILE_PATTERN = r"^[^/\\\x00]+(?:/[^/\\\x00]+)*$"

Id = Annotated[str, Field(pattern=ID_PATTERN, description="Stable slug: lowercase letters, digits, - _ .")]
Ref = Annotated[str, Field(pattern=ID_PATTERN, description="The id of another record.")]
Date = Annotated[
    str,
    Field(
        pattern=dates.DATE_PATTERN,
        description="A date as precise as the text allows: 2023, 2023-06, 2023-06-03, 2023-Q3 "
        "(quarter) or 2023-H2 (half-year).",
    ),
]
DateOrRange = Annotated[
    str,
    Field(
        pattern=dates.DATE_OR_RANGE_PATTERN,
        description="A date (2023, 2023-06, 2023-06-03, 2023-Q3, 2023-H2) or a range "
        "START/END such as 2023-11-10/2023-11-12.",
    ),
]
Amount = Annotated[Decimal, WithJsonSchema({"type": "number"})]


def _once(ids: list[str]) -> list[str]:
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ValueError(f"{', '.join(repeated)} listed twice: name each once")
    return ids


# A list of ids in which each appears once (the schema says uniqueItems; the model, too).
RefSet = Annotated[list[Ref], AfterValidator(_once), Field(json_schema_extra={"uniqueItems": True})]


class Strict(BaseModel):
    """Base for every record part: unknown fields are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=True)


class LineRange(Strict):
    """A range of lines of a source text (1-based, inclusive)."""

    start_line: int = Field(ge=1, description="First line of the range (1-based).")
    end_line: int = Field(ge=1, description="Last line of the range (inclusive).")
    reason: str | None = Field(
        default=None, description="Why the lines are excluded (related headline, photo caption …)."
    )


class Body(Strict):
    """Where the article body lies in the page, so page furniture is never evidence."""

    start_line: int = Field(ge=1, description="First line of the article body (1-based).")
    end_line: int = Field(ge=1, description="Last line of the article body (inclusive).")
    exclude: list[LineRange] = Field(
        default_factory=list,
        description="Lines inside the body that are not the article: embedded related "
        "headlines, photo file names.",
    )

    def lines(self) -> set[int]:
        """The line numbers that are article: the bounds, less the excluded ranges."""
        out = set(range(self.start_line, self.end_line + 1))
        for ex in self.exclude:
            out -= set(range(ex.start_line, ex.end_line + 1))
        return out


class Review(Strict):
    """One reading of a source's records against the page: who, when, and what was checked."""

    by: str = Field(min_length=1, description="Who reviewed (a name or handle).")
    date: Date = Field(description="When the review was done.")
    checked: list[str] = Field(
        min_length=1, description="What was checked, item by item (the checklist in CONTRIBUTING.md)."
    )
    corrections: str | None = Field(
        default=None, description="What the review corrected, in a sentence or two."
    )


class Source(Strict):
    """A document archived verbatim under seeds/: the only place evidence may come from."""

    id: Id
    file: str = Field(
        pattern=FILE_PATTERN,
        description="Path of the verbatim text, relative to seeds/ (never outside it).",
    )
    sha256: str = Field(
        pattern=SHA256_PATTERN,
        description="SHA-256 of the file's bytes; any edit to the text is caught.",
    )
    title: str = Field(min_length=1, description="Headline as published (original language).")
    title_en: str | None = Field(default=None, description="Headline in English.")
    publisher: str = Field(min_length=1, description="Publication that printed the document.")
    url: str | None = Field(
        default=None, pattern=r"^https?://\S+$", description="Address of the original page."
    )
    published: str = Field(
        pattern=dates.PUBLISHED_PATTERN,
        description="When it was published: a date-time with zone where the page gives one "
        "(2023-01-06T20:16:00+07:00), otherwise the date as precise as the text supports, or a "
        "window START/END (2023-11-12/2024-01) when that is all the text supports.",
    )
    published_quote: str | None = Field(
        default=None,
        description="The text of the page that states the publication date (it must occur in "
        "the file and agree with `published`).",
    )
    published_note: str | None = Field(
        default=None,
        description="Where the page states no publication date: what the text supports and why.",
    )
    language: str = Field(
        default="vi", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$", description="BCP 47 language tag."
    )
    body: Body = Field(description="Line bounds of the article body inside the page.")
    reviews: list[Review] = Field(
        default_factory=list,
        description="Each time the records citing this source were read against the page.",
    )


class ValueType(StrEnum):
    quantity = "quantity"
    date = "date"
    entity = "entity"
    text = "text"


class Property(Strict):
    """A term of the controlled property vocabulary that claims use."""

    id: Id
    label_vi: str = Field(min_length=1, description="Label in Vietnamese.")
    label_en: str = Field(min_length=1, description="Label in English.")
    value_type: ValueType = Field(description="Type of value a claim with this property holds.")
    unit: str | None = Field(
        default=None, description="Expected unit of quantity values (ISO 4217 for money)."
    )
    description: str | None = Field(default=None, description="What the property means.")


class Entity(Strict):
    """Fields shared by people, organizations and places."""

    id: Id
    name: str = Field(min_length=1, description="Name as written in the sources (Vietnamese).")
    name_en: str | None = Field(default=None, description="Name in English.")
    aliases: list[str] = Field(
        default_factory=list,
        description="Other spellings met in sources (dash variants, abbreviations).",
    )
    description_en: str | None = Field(default=None, description="One line saying who or what.")


class Person(Entity):
    """A person named in a source."""


class Organization(Entity):
    """An organization: association, ministry, parliamentary group, agency, company …"""

    type: str | None = Field(
        default=None, description="Kind of organization (association, ministry, agency …)."
    )
    parent: Ref | None = Field(
        default=None, description="Organization this one is part of (a branch of an association)."
    )
    country: Ref | None = Field(default=None, description="Place (country) it belongs to.")


class Place(Entity):
    """A place; `parent` gives the hierarchy (Sa Pa ⊂ Lào Cai ⊂ Việt Nam)."""

    type: str | None = Field(
        default=None, description="Kind of place (country, region, province, city, park …)."
    )
    parent: Ref | None = Field(default=None, description="Place that contains this one.")


class Evidence(Strict):
    """Where a record is stated: a source and the exact words it uses."""

    source: Ref = Field(description="Id of the source record.")
    quote: str = Field(
        min_length=1,
        description="Exact words of the source (NFC and whitespace differences are tolerated).",
    )
    prefix: str | None = Field(
        default=None, description="Words just before the quote, to pick one of several matches."
    )
    suffix: str | None = Field(
        default=None, description="Words just after the quote, to pick one of several matches."
    )


EvidenceList = Annotated[
    list[Evidence], Field(min_length=1, description="One or more places that state this.")
]


class PositionStatus(StrEnum):
    current = "current"
    former = "former"


class Position(Strict):
    """A post held by a person as a source states it (Popolo Membership)."""

    id: Id
    person: Ref = Field(description="Id of the person.")
    organization: Ref | None = Field(default=None, description="Id of the organization.")
    title: str = Field(min_length=1, description="Title as written (Phó Chủ tịch).")
    title_en: str = Field(min_length=1, description="Title in English.")
    as_of: Date = Field(description="Date the source states the post (usually its publication).")
    status: PositionStatus = Field(
        default=PositionStatus.current, description="current, or former (`nguyên`, `cựu`)."
    )
    until: Date | None = Field(default=None, description="When the post ended, where the source states it.")
    evidence: EvidenceList


class EventType(StrEnum):
    meeting = "meeting"
    conference = "conference"
    visit = "visit"
    festival = "festival"
    ceremony = "ceremony"
    signing = "signing"
    anniversary = "anniversary"
    exhibition = "exhibition"
    competition = "competition"
    publication = "publication"
    election = "election"
    other = "other"


class EventStatus(StrEnum):
    held = "held"
    planned = "planned"


class Event(Strict):
    """Something that happened or is announced: meeting, visit, festival, signing …"""

    id: Id
    type: EventType = Field(description="Kind of event.")
    name: str = Field(min_length=1, description="Name in the source's language.")
    name_en: str = Field(min_length=1, description="Name in English.")
    date: DateOrRange | None = Field(default=None, description="When, as precise as the text.")
    status: EventStatus = Field(
        default=EventStatus.held, description="held, or planned (announced for later)."
    )
    place: Ref | None = Field(default=None, description="Id of the place.")
    organizers: RefSet = Field(default_factory=list, description="Ids of the organizers, each once.")
    participants: RefSet = Field(
        default_factory=list, description="Ids of people or organizations taking part, each once."
    )
    parent: Ref | None = Field(default=None, description="Id of the event this is part of.")
    description_en: str | None = Field(default=None, description="One line in English.")
    evidence: EvidenceList


class Comparator(StrEnum):
    exact = "exact"
    about = "about"
    nearly = "nearly"
    more_than = "more_than"
    less_than = "less_than"
    at_least = "at_least"
    at_most = "at_most"
    range = "range"


class Statistic(StrEnum):
    """What kind of figure it is, where the source says it is not a plain count or amount."""

    average = "average"


class Quantity(Strict):
    """A number with its unit, as precise as the source states it."""

    amount: Amount = Field(description="The number, exact (9,8 triệu is 9800000).")
    unit: str = Field(min_length=1, description="ISO 4217 code for money, else a count noun.")
    comparator: Comparator = Field(
        default=Comparator.exact,
        description="exact; about (khoảng); nearly (gần); more_than (hơn); range (15-20) …",
    )
    lower: Amount | None = Field(default=None, description="Lower bound of a range.")
    upper: Amount | None = Field(default=None, description="Upper bound of a range.")
    original: str = Field(min_length=1, description="The wording in the source: khoảng 9,8 triệu.")
    statistic: Statistic | None = Field(
        default=None, description="average where the source gives a mean (bình quân, trung bình)."
    )


class DateValue(Strict):
    """A date as the value of a claim."""

    date: DateOrRange
    original: str | None = Field(default=None, description="The wording in the source.")


class EntityValue(Strict):
    """Another record as the value of a claim."""

    entity: Ref = Field(description="Id of the entity or event.")


class TextValue(Strict):
    """Free text as the value of a claim."""

    text: str = Field(min_length=1, description="The value in the source's language.")
    text_en: str | None = Field(default=None, description="The value in English.")


Value = Quantity | DateValue | EntityValue | TextValue


class Period(Strict):
    """The time a claim covers."""

    start: Date | None = Field(default=None, description="First date covered.")
    end: Date | None = Field(default=None, description="Last date covered.")


class Rank(StrEnum):
    normal = "normal"
    preferred = "preferred"
    deprecated = "deprecated"


class Modality(StrEnum):
    """A claim that is not (yet) a fact: `expected` for a forecast or hope (dự kiến, có thể,
    kỳ vọng, sẽ), `planned` for what is set to happen (kế hoạch, sẽ tổ chức)."""

    expected = "expected"
    planned = "planned"


class Claim(Strict):
    """One statement: subject, property, value, when, and where it is said."""

    id: Id
    subject: Ref = Field(description="Id of the entity or event the claim is about.")
    property: Ref = Field(description="Id of the property (controlled vocabulary).")
    value: Value = Field(description="Quantity, date, entity or text.")
    point_in_time: Date | None = Field(default=None, description="When the value holds.")
    period: Period | None = Field(default=None, description="Time span the value covers.")
    statement_en: str = Field(min_length=1, description="The claim as one English sentence.")
    rank: Rank = Field(default=Rank.normal, description="normal, preferred or deprecated (never deleted).")
    rank_reason: str | None = Field(default=None, description="Why the rank is not normal.")
    modality: Modality | None = Field(
        default=None,
        description="expected (dự kiến, có thể, kỳ vọng) or planned, where the source hedges the value; "
        "absent for a plain fact.",
    )
    according_to: Ref | None = Field(
        default=None,
        description="Id of the person or organization the source attributes the value to "
        "(Tổng cục Hải quan, a JETRO survey).",
    )
    evidence: EvidenceList


class Statement(Strict):
    """What a person said, as a source reports it: the speaker, their words and the verb the
    source introduces them with. Words about an institution's plan are a claim or an event,
    not a statement: a statement is attributed to a person in the source's own sentence."""

    id: Id
    speaker: Ref = Field(description="Id of the person who said it.")
    speaker_organization: Ref | None = Field(
        default=None, description="Id of the organization the speaker spoke for, where the source says."
    )
    position: Ref | None = Field(
        default=None, description="Id of the speaker's post at the time (a position)."
    )
    event: Ref | None = Field(default=None, description="Id of the event where it was said.")
    date: Date | None = Field(default=None, description="When it was said, as precise as the text allows.")
    verb: str = Field(
        min_length=1,
        description="The verb the source uses, as written: cho biết, nhấn mạnh, khẳng định, đề nghị, "
        "bày tỏ, nói …",
    )
    text_en: str = Field(min_length=1, description="A faithful English rendering of the quoted words.")
    topics: list[str] = Field(
        default_factory=list, description="What it is about, in a few English words each."
    )
    evidence: EvidenceList


@dataclass(frozen=True)
class Kind:
    """One kind of record: every name it goes by, in one place (validate, build, contribute,
    metadata and the site all read this table instead of making names of their own)."""

    plural: str  # the collection key in a record file and the table name: `persons`
    singular: str  # one record, in messages and on the site: `person`
    model: type[Strict]
    default_file: str  # where `toolkit new` appends one: `{source}` is the source it quotes
    evidenced: bool = False  # its records quote their sources
    entity: bool = False  # a claim can be about it (person, organization, place, event)
    actor: bool = False  # named in a source (person, organization, place): its name is checked


# Order is the order of checks and of the build.
KIND_TABLE: tuple[Kind, ...] = (
    Kind("sources", "source", Source, "sources.yaml"),
    Kind("properties", "property", Property, "vocabulary.yaml"),
    Kind("persons", "person", Person, "entities.yaml", entity=True, actor=True),
    Kind("organizations", "organization", Organization, "entities.yaml", entity=True, actor=True),
    Kind("places", "place", Place, "entities.yaml", entity=True, actor=True),
    Kind("positions", "position", Position, "facts/{source}.yaml", evidenced=True),
    Kind("events", "event", Event, "facts/{source}.yaml", evidenced=True, entity=True),
    Kind("claims", "claim", Claim, "facts/{source}.yaml", evidenced=True),
    Kind("statements", "statement", Statement, "facts/{source}.yaml", evidenced=True),
)
KIND: dict[str, Kind] = {k.plural: k for k in KIND_TABLE}
KIND_BY_SINGULAR: dict[str, Kind] = {k.singular: k for k in KIND_TABLE}
# Collection key in a record file -> model.
KINDS: dict[str, type[Strict]] = {k.plural: k.model for k in KIND_TABLE}
ENTITY_KINDS: tuple[str, ...] = tuple(k.plural for k in KIND_TABLE if k.entity)
ACTOR_KINDS: tuple[str, ...] = tuple(k.plural for k in KIND_TABLE if k.actor)
EVIDENCED_KINDS: tuple[str, ...] = tuple(k.plural for k in KIND_TABLE if k.evidenced)


def singular(kind: str) -> str:
    """`persons` -> `person`; a name that is no kind comes back as it is."""
    found = KIND.get(kind)
    return found.singular if found is not None else kind


def kind_named(name: str) -> Kind | None:
    """The kind a user named, singular or plural, in any case: `Person`, `persons`."""
    key = name.strip().lower()
    return KIND.get(key) or KIND_BY_SINGULAR.get(key)


class RecordFile(Strict):
    """A record file: any of the record collections, each a list."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_: str | None = Field(
        default=None,
        alias="$schema",
        description="Path or URL of this schema (JSON files; YAML files use the comment line).",
    )
    sources: list[Source] = Field(default_factory=list, description="Source documents.")
    properties: list[Property] = Field(default_factory=list, description="Property vocabulary.")
    persons: list[Person] = Field(default_factory=list, description="People.")
    organizations: list[Organization] = Field(default_factory=list, description="Organizations.")
    places: list[Place] = Field(default_factory=list, description="Places.")
    positions: list[Position] = Field(default_factory=list, description="Posts held by people.")
    events: list[Event] = Field(default_factory=list, description="Events.")
    claims: list[Claim] = Field(default_factory=list, description="Claims.")
    statements: list[Statement] = Field(default_factory=list, description="What people said.")


__all__ = [
    "ACTOR_KINDS",
    "ENTITY_KINDS",
    "EVIDENCED_KINDS",
    "KIND",
    "KINDS",
    "KIND_TABLE",
    "Body",
    "Claim",
    "Comparator",
    "DateValue",
    "EntityValue",
    "Event",
    "Evidence",
    "Kind",
    "Organization",
    "Person",
    "Place",
    "Position",
    "Property",
    "Quantity",
    "RecordFile",
    "Review",
    "Source",
    "Statement",
    "Statistic",
    "TextValue",
    "kind_named",
    "singular",
]
