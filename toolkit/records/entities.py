"""What facts are about and the terms they use: people, organizations and places as the
sources name them, and the property vocabulary claims state values of."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from toolkit.records.fields import Id, Ref, Strict


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
