"""Placeholders: a record never ships with a TODO. `toolkit new` writes `TODO` where it
cannot know the answer; this rule makes sure someone replaced it (with or without
`--strict`), in any text field of any record."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from toolkit.core.problems import Problem
from toolkit.records.load import PathKey
from toolkit.validate.context import Context
from toolkit.validate.rule import ERROR, Code, Entry, declare

CODES = declare(
    "placeholders",
    Code(
        "placeholder-text",
        ERROR,
        "A text field still holds a placeholder: TODO, FIXME, XXX, TBD, or only dots.",
        "Write the real value, or remove the field if it is optional.",
    ),
)

# Upper case only: `todo` can be part of a word in many languages, `TODO` is a marker.
PLACEHOLDER = re.compile(r"(?<![A-Za-z])(TODO|FIXME|XXX|TBD)(?![A-Za-z])|^\s*(\.{3,}|…)\s*$")
# The source's own words are checked against the page, and a page may write "..." itself.
VERBATIM = {"quote", "prefix", "suffix", "original", "published_quote"}


def _texts(value: Any, key: PathKey) -> Iterator[tuple[PathKey, str]]:
    """Every text in a record (models walked by their fields, without dumping them)."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, BaseModel):
        for name, item in value.__dict__.items():
            if item is not None and name not in VERBATIM:
                yield from _texts(item, (*key, name))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, (*key, i))


# A file whose text has none of these holds no placeholder: each is written out in it, or
# escaped (YAML and JSON both need a backslash for that).
_HINT = re.compile(r"TODO|FIXME|XXX|TBD|\.\.\.|…|\\")


def _may_hold(ctx: Context, entry: Entry) -> bool:
    seen: dict[str, bool] = ctx.memo.setdefault("placeholder-files", {})
    display = entry.doc.display
    if display not in seen:
        seen[display] = _HINT.search(entry.doc.text) is not None
    return seen[display]


def check_record(ctx: Context, entry: Entry) -> Iterator[Problem]:
    if not _may_hold(ctx, entry):
        return
    for key, text in _texts(entry.record, ()):
        found = PLACEHOLDER.search(text)
        if found:
            yield ctx.problem(
                entry.doc,
                (*entry.key, *key),
                "placeholder-text",
                f"{found.group(0).strip()!r} is a placeholder: write the real value",
            )
