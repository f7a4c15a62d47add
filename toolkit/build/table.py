"""What a table declaration is: every table the build makes is declared once — its columns by name, type
and description, its keys, what full-text search indexes and whether exports carry it.

The build creates tables from it and rows are made by column name against it
(`Table.row`); metadata.json, the exports and data package and the site read their
descriptions, search columns and export flags here. Descriptions of columns that hold a
record's field are the model's own, so the published site and the schema cannot drift apart.
Adding a column is one line here and one where its value is made (toolkit/build/rows.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pydantic import BaseModel


def described(model: type[BaseModel], name: str) -> str:
    """The description a model gives one of its fields."""
    return model.model_fields[name].description or ""


@dataclass(frozen=True)
class Column:
    """One column: its name, Python type (str, int, float, or date for an ISO 8601 day kept
    as text), what it holds, whether the CSV and JSON exports carry it (search keys are the
    build's, not the data) and whether its text is a JSON list (the JSON export gives a list)."""

    name: str
    type: type = str
    description: str = ""
    export: bool = True
    same_as: tuple[str, str] | None = None  # (table, column) whose description this copies
    json_list: bool = False


def C(
    name: str,
    kind: type | str = str,
    description: str = "",
    *,
    export: bool = True,
    same_as: tuple[str, str] | None = None,
    json_list: bool = False,
) -> Column:
    """A column, the type omitted when it is text: `C("id", "what it is")`."""
    if isinstance(kind, str):
        return Column(name, str, kind, export, same_as, json_list)
    return Column(name, kind, description, export, same_as, json_list)


class RowMismatch(ValueError):
    """A row made with names that are not its table's columns: a programming error, caught
    before any data is written in the wrong column."""


@dataclass(frozen=True)
class Table:
    """One table: columns, keys, the order its rows are copied in, how its search key joins
    another record's name (`label`), its full-text columns, and how Datasette shows it."""

    name: str
    description: str
    columns: tuple[Column, ...] = ()
    pk: str | tuple[str, ...] = "id"
    fks: tuple[tuple[str, str, str], ...] = ()
    order: tuple[str, ...] = ("id",)
    label: str | None = None  # the column holding the id whose name joins the search key
    label_first: bool = True
    search: tuple[str, ...] = ()  # full-text indexed columns, in index order
    sql: str | None = None  # a table made by a query (derived or a view), not from rows
    view: bool = False
    export: bool = True  # in `toolkit export` and the data package
    site: Mapping[str, Any] = field(default_factory=dict)  # Datasette's table options

    @cached_property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @cached_property
    def types(self) -> dict[str, type]:
        return {c.name: c.type for c in self.columns}

    def row(self, **values: Any) -> tuple[Any, ...]:
        """The row of these column values, in the table's column order; naming a column the
        table lacks, or leaving one out, raises RowMismatch."""
        if len(values) == len(self.names):
            try:
                return tuple([values[n] for n in self.names])
            except KeyError:
                pass
        wrong = sorted(set(values) ^ set(self.names))
        raise RowMismatch(f"{self.name}: a row must name exactly its columns (not: {', '.join(wrong)})")

    def described(self) -> dict[str, str]:
        return {c.name: c.description for c in self.columns}

    @cached_property
    def exported(self) -> tuple[Column, ...]:
        """The columns `toolkit export` and the data package carry, in table order."""
        return tuple(c for c in self.columns if c.export)
