"""Record models: the single definition from which the JSON Schema, the checks and the
database columns are derived. Every field carries a description because it becomes a
column description in Datasette.

The models are defined by family (`fields`, `sources`, `entities`, `facts`); this module
names the kinds of record, once, and the record file that holds them."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ConfigDict, Field

from toolkit.records.entities import Entity, Organization, Person, Place, Property, ValueType
from toolkit.records.facts import (
    Claim,
    Comparator,
    DateValue,
    EntityValue,
    Event,
    Evidence,
    Position,
    Quantity,
    Statement,
    Statistic,
    TextValue,
)
from toolkit.records.fields import Strict
from toolkit.records.sources import Body, Review, Source


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
    "Entity",
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
    "Strict",
    "TextValue",
    "ValueType",
    "kind_named",
    "singular",
]
