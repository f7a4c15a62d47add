"""Schema: a record file names its JSON Schema, each record fits it, and each fitting record
makes a model. jsonschema's errors are reworded here into problems a person can act on."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError as PydanticError
from rapidfuzz import fuzz, process

from toolkit.core.problems import Problem, Severity
from toolkit.records.load import Document, PathKey
from toolkit.records.models import KIND_TABLE, KINDS
from toolkit.records.schema import SCHEMA_FILE, fast_validator, list_schema_file, validator
from toolkit.validate.context import Context
from toolkit.validate.rule import ALL_CODES, ERROR, WARNING, Code, Entry, Where, declare

if TYPE_CHECKING:
    from jsonschema import ValidationError

CODES = declare(
    "schema",
    Code(
        "schema-ref-missing",
        ERROR,
        "The file does not name its JSON Schema.",
        "Start a YAML file with `# yaml-language-server: $schema=../schema/records.schema.json`; "
        'give a JSON file a "$schema" key.',
    ),
    Code(
        "schema-ref",
        ERROR,
        "The file names another schema than its own (a list file names its kind's), or one that "
        "does not exist from here (then a warning).",
        "Name records.schema.json, or the list schema of the file's kind (claims.schema.json …).",
    ),
    Code("empty-file", ERROR, "The file holds no records.", "Add records, or delete the file."),
    Code(
        "unknown-field",
        ERROR,
        "A field the schema does not know (often a typo).",
        "Fix the name (the message suggests the closest) or remove the field.",
    ),
    Code("missing-field", ERROR, "A required field is missing.", "Add the field."),
    Code(
        "wrong-type",
        ERROR,
        "A value has the wrong JSON type (a number where text is needed …).",
        "Give a value of the type named; put numbers meant as text in quotes.",
    ),
    Code(
        "invalid-value",
        ERROR,
        "A value is not one the field allows (not in its list of choices, or refused by its model).",
        "Use one of the values the message lists.",
    ),
    Code(
        "invalid-format",
        ERROR,
        "A text value does not have the field's format (an id, a date, a sha256 …).",
        "Write it in the format the message describes.",
    ),
    Code(
        "empty-value",
        ERROR,
        "A text or list that must not be empty is empty.",
        "Fill it in, or remove the field.",
    ),
    Code(
        "out-of-range",
        ERROR,
        "A number is below the field's minimum or above its maximum (line numbers start at 1).",
        "Give a number in the field's range.",
    ),
    Code(
        "duplicate-item",
        ERROR,
        "A list that names each record once names one twice (an event's organizers or participants).",
        "Remove the repeated id.",
    ),
    Code(
        "schema-errors-truncated",
        ERROR,
        "A file has more schema errors than are reported for one file (1 000); the rest are not shown.",
        "Fix the errors shown (often one mistake repeated), then validate again.",
    ),
    Code(
        "schema-violation",
        ERROR,
        "Any other schema constraint (for schemas a reuser extends with keywords ours do not use).",
        "Read the message: it is the schema validator's own.",
    ),
)
MAX_SCHEMA_ERRORS = 1000  # per file: a hostile file cannot make a run explain millions

# Range keywords share one code; any keyword our schema does not use gets the catch-all.
_RANGE = {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}


def list_kind(doc: Document) -> str | None:
    """The kind of a file that is a plain list, named by its schema (`claims.schema.json`)."""
    if not isinstance(doc.data, list) or doc.schema_ref is None:
        return None
    name = doc.schema_ref.rsplit("/", 1)[-1]
    kind = name.removesuffix(".schema.json")
    return kind if kind in KINDS and name == list_schema_file(kind) else None


def read_file(ctx: Context, doc: Document) -> tuple[list[Problem], list[Entry], bool]:
    """The file's schema problems, its records (each valid one with its model), and whether
    it is a plain list of one kind."""
    if doc.data is None:
        problems = _check_ref(ctx, doc, None)[0]
        problems.append(
            ctx.problem(doc, (), "empty-file", "the file holds no records: add some or delete it")
        )
        return problems, [], False
    kind = list_kind(doc)
    problems, go_on = _check_ref(ctx, doc, kind)
    if not go_on:
        return problems, [], kind is not None
    invalid = _schema(ctx, doc, kind, problems)
    return problems, _entries(ctx, doc, kind, invalid, problems), kind is not None


def _check_ref(ctx: Context, doc: Document, kind: str | None) -> tuple[list[Problem], bool]:
    """The file names its schema; a list file must name its kind's. False: stop here."""
    is_list = isinstance(doc.data, list)
    wanted = list_schema_file(kind or "claims") if is_list else SCHEMA_FILE
    target = ctx.project.root / "schema" / wanted
    try:
        expected = Path(os.path.relpath(target.resolve(), doc.path.parent.resolve())).as_posix()
    except ValueError:
        expected = f"../schema/{wanted}"
    hint = (
        f"start the file with `# yaml-language-server: $schema={expected}`"
        if doc.format == "yaml"
        else f'add "$schema": "{expected}" to the top-level object'
    )
    if is_list:
        hint += " (a file that is a list names its kind's schema: claims.schema.json, events.schema.json …)"
    ref = doc.schema_ref
    if ref is None:
        return [_at_start(doc, "schema-ref-missing", f"no schema named: {hint}")], not is_list
    if (is_list and kind is None) or (not is_list and not ref.endswith(SCHEMA_FILE)):
        return [_at_start(doc, "schema-ref", f"names {ref!r}: {hint}")], not is_list
    if "://" not in ref and not (doc.path.parent / ref).is_file():
        message = f"names {ref!r}, which does not exist from here: {hint}"
        return [_at_start(doc, "schema-ref", message, WARNING)], True
    return [], True


def _at_start(doc: Document, code: str, message: str, severity: Severity | None = None) -> Problem:
    declared = ALL_CODES[code]
    return Problem(doc.display, 1, 1, code, message, severity or declared.severity, "$", declared.hint)


def _schema(ctx: Context, doc: Document, kind: str | None, problems: list[Problem]) -> set[Any]:
    """Add the schema's problems; return the records (kind, index) or whole kinds that failed."""
    invalid: set[Any] = set()
    fast = fast_validator(kind)
    if fast is not None and fast.is_valid(doc.data):
        return invalid
    described = (d for error in validator(kind).iter_errors(doc.data) for d in describe(error))
    for shown, (key, code, message, at_key) in enumerate(described):
        if shown == MAX_SCHEMA_ERRORS:  # each costs ~0.3 ms to explain: bound a hostile file
            problems.append(
                ctx.problem(
                    doc, (), "schema-errors-truncated", f"more than {shown} schema errors: fix these first"
                )
            )
            invalid.update(KINDS)
            break
        problems.append(ctx.problem(doc, key, code, message, at_key=at_key))
        if kind is not None:
            key = (kind, *key)
        if len(key) >= 2:
            invalid.add(key[:2])
        elif key:
            invalid.add(key[0])
        else:
            invalid.update(KINDS)
    return invalid


def _entries(
    ctx: Context, doc: Document, kind: str | None, invalid: set[Any], problems: list[Problem]
) -> list[Entry]:
    if kind is not None:
        collections = [(kind, doc.data)]
    elif isinstance(doc.data, dict):
        collections = [(k.plural, doc.data.get(k.plural)) for k in KIND_TABLE]
    else:
        return []
    out: list[Entry] = []
    for plural, items in collections:
        if not isinstance(items, list):
            continue
        model = KINDS[plural]
        for index, raw in enumerate(items):
            entry = Entry(Where(doc.display, plural, index, kind is not None), doc, raw)
            out.append(entry)
            if (plural, index) in invalid or plural in invalid:
                continue
            try:
                entry.record = model.model_validate(raw)
            except PydanticError as exc:
                for err in exc.errors():
                    problems.append(ctx.problem(doc, (*entry.key, *err["loc"]), "invalid-value", err["msg"]))
                continue
            entry.raw = None  # the model holds it now; keep memory to one copy
    return out


def _close(word: str, options: list[str]) -> str | None:
    found = process.extractOne(word, options, scorer=fuzz.ratio, score_cutoff=60)
    return str(found[0]) if found else None


def describe(error: ValidationError) -> Iterator[tuple[PathKey, str, str, bool]]:
    """Turn a jsonschema error into (path, code, message, at_key) items a person can act on."""
    key: PathKey = tuple(error.absolute_path)
    v = error.validator
    instance = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}
    if v == "additionalProperties" and isinstance(instance, dict):
        allowed = list(schema.get("properties", {}))
        for name in instance:
            if name in allowed:
                continue
            close = _close(str(name), allowed)
            hint = f"; did you mean {close!r}?" if close else f"; allowed: {', '.join(allowed)}"
            yield (*key, name), "unknown-field", f"unknown field {name!r}{hint}", True
        return
    if v == "required":
        yield key, "missing-field", f"{error.message.split(' is a required')[0]} is required here", False
    elif v in ("anyOf", "oneOf"):
        yield from _describe_union(error)
    elif v == "type":
        expected = schema.get("type")
        got = _json_type(instance)
        hint = (
            ": put it in quotes" if expected == "string" and got in ("number", "boolean", "integer") else ""
        )
        yield key, "wrong-type", f"expected {expected}, got {got} {_short(instance)}{hint}", False
    elif v == "enum":
        options = [str(o) for o in schema.get("enum", [])]
        close = _close(str(instance), options)
        hint = f"; did you mean {close!r}?" if close else ""
        yield key, "invalid-value", f"{_short(instance)} is not one of {', '.join(options)}{hint}", False
    elif v == "pattern":
        what = schema.get("description") or f"the pattern {schema.get('pattern')}"
        yield key, "invalid-format", f"{_short(instance)} is not valid here: {what}", False
    elif v in ("minLength", "minItems"):
        yield key, "empty-value", "must not be empty", False
    elif v == "uniqueItems":
        yield key, "duplicate-item", f"{_short(instance)} names an item twice: name each once", False
    elif v in _RANGE:
        yield key, "out-of-range", f"{_short(instance)} is out of range: {error.message}", False
    else:
        yield key, "schema-violation", f"{error.message} (schema keyword {v})", False


def _describe_union(error: ValidationError) -> Iterator[tuple[PathKey, str, str, bool]]:
    key: PathKey = tuple(error.absolute_path)
    branches: dict[Any, list[ValidationError]] = defaultdict(list)
    for sub in error.context or []:
        branches[sub.relative_schema_path[0]].append(sub)
    # A branch whose own type does not fit (a string where an object is wanted) is no candidate.
    fitting = {
        b: errs
        for b, errs in branches.items()
        if not any(e.validator == "type" and tuple(e.absolute_path) == key for e in errs)
    }
    if not fitting:
        types: list[Any] = []
        for errs in branches.values():
            for e in errs:
                t = e.schema.get("type") if isinstance(e.schema, dict) else None
                if t and t not in types:
                    types.append(t)
        names = " or ".join(str(t) for t in types) or "another type"
        yield (
            key,
            "wrong-type",
            f"expected {names}, got {_json_type(error.instance)} {_short(error.instance)}",
            False,
        )
        return
    best = min(fitting.values(), key=len)
    for sub in best:
        yield from describe(sub)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float, Decimal)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, Decimal) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."
