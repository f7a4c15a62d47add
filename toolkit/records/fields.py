"""What every record is made of: the strict base model (unknown fields are errors) and the
field types records share: ids and references to them, dates as precise as the text allows,
exact amounts."""

from __future__ import annotations

from decimal import Decimal
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
