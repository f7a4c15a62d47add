"""What facts are about and the terms they use: people, organizations and places as the
sources name them, and the property vocabulary claims state values of."""

from __future__ import annotations

from enum import StrEnum

from pydantic import ConfigDict, Field, model_validator

from toolkit.records.fields import Id, Ref, Strict


class ValueType(StrEnum):
    quantity = "quantity"
    date = "date"
    entity = "entity"
    text = "text"


class Property(Strict):
    """A term of the controlled property vocabulary that claims use."""

    # One of `label` and `label_vi` (the older name, still read): the schema says so too.
    model_config = ConfigDict(
        **Strict.model_config,
        json_schema_extra={"anyOf": [{"required": ["label"]}, {"required": ["label_vi"]}]},
    )

    id: Id
    label: str | None = Field(
        default=None, min_length=1, description="Label in the dataset's language (factbase.toml)."
    )
    label_vi: str | None = Field(
        default=None, min_length=1, description="The older name of `label`, still read."
    )
    label_en: str = Field(min_length=1, description="Label in English.")
    value_type: ValueType = Field(description="Type of value a claim with this property holds.")
    unit: str | None = Field(
        default=None, description="Expected unit of quantity values (ISO 4217 for money)."
    )
    nouns: list[str] = Field(
        default_factory=list,
        description="The words a page writes for what a figure of this property counts or ranks: the "
        "noun after the number (`ngày`, `days`) or the thing ranked (`nhà đầu tư`, `investor`). A "
        "quote's number must belong to one (`40 hoạt động` is no count of days).",
    )
    description: str | None = Field(default=None, description="What the property means.")

    @model_validator(mode="after")
    def _a_label(self) -> Property:
        if self.label is None and self.label_vi is None:
            raise ValueError("a property needs `label` (its label in the dataset's language)")
        if self.label is not None and self.label_vi is not None and self.label != self.label_vi:
            raise ValueError("give `label` or `label_vi` (its older name), not two different labels")
        return self

    @property
    def own_label(self) -> str:
        """The label in the dataset's language, under either name."""
        return self.label or self.label_vi or ""


class Entity(Strict):
    """Fields shared by people, organizations and places."""

    id: Id
    name: str = Field(min_length=1, description="Name as written in the sources, in their language.")
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
    """A place; `parent` gives the hierarchy (a town ⊂ its province ⊂ its country)."""

    type: str | None = Field(
        default=None, description="Kind of place (country, region, province, city, park …)."
    )
    parent: Ref | None = Field(default=None, description="Place that contains this one.")
