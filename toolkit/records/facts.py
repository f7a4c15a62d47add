"""Fact records, each proven by the exact words of one or more sources: positions held,
events, claims (a subject, a property and a value as precise as the text) and statements."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field

from toolkit.records.fields import Amount, Date, DateOrRange, Id, Ref, RefSet, Strict


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
    caption: bool = Field(
        default=False,
        description="The quote is a photo caption (body.captions of its source), not the article's prose.",
    )
    verb: str | None = Field(
        default=None,
        min_length=1,
        description="A statement's verb as this source writes it, where the sources differ (one says "
        "`cho biết`, another `nhấn mạnh`); else the statement's `verb`.",
    )
    according_to: Ref | None = Field(
        default=None,
        description="Id of the person or organization this source gives a claim's figure as stated by, "
        "where the sources differ (one page states it plainly, another through a minister).",
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
    since: Date | None = Field(default=None, description="When the post began, where the source states it.")
    until: Date | None = Field(
        default=None,
        description="When the post ends or ended (a term's last year), where the source states it.",
    )
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
    chairs: RefSet = Field(
        default_factory=list, description="Ids of who chaired it (`chủ trì`, `chaired`), each once."
    )
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

    amount: Amount = Field(description="The number, exact (`9,8 triệu` or `9.8 million` is 9800000).")
    unit: str = Field(min_length=1, description="ISO 4217 code for money, else a count noun.")
    comparator: Comparator = Field(
        default=Comparator.exact,
        description="exact; about (khoảng, about); nearly (gần, nearly); more_than (hơn, over); "
        "range (15-20) …",
    )
    lower: Amount | None = Field(default=None, description="Lower bound of a range.")
    upper: Amount | None = Field(default=None, description="Upper bound of a range.")
    original: str = Field(
        min_length=1, description="The wording in the source: `khoảng 9,8 triệu`, `about $9.8 million`."
    )
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
