"""JSON Schema (Draft 2020-12) generated from the models, written to `schema/` for editors and
outside tools, and compiled once here to check records exactly as those tools would."""

from __future__ import annotations

import json
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.core.files import atomic_write
from toolkit.core.version import __version__
from toolkit.records.models import KINDS, RecordFile

if TYPE_CHECKING:  # jsonschema is imported when a file fails the compiled check
    from jsonschema import Draft202012Validator

SCHEMA_FILE = "records.schema.json"


@lru_cache(maxsize=1)
def record_file_schema() -> dict[str, Any]:
    """The schema of a record file, as a JSON-ready dict."""
    body = RecordFile.model_json_schema(by_alias=True, mode="validation")
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Fact base record file",
        "description": (
            "A YAML or JSON file of fact-base records: sources, properties, persons, "
            "organizations, places, positions, events and claims, each a list. "
            f"Generated from toolkit {__version__.split('+')[0]} models; do not edit."
        ),
    }
    schema.update({k: v for k, v in body.items() if k not in ("title", "description")})
    return schema


def list_schema_file(kind: str) -> str:
    """File name of the schema of a file that is a plain list of one kind (`claims.schema.json`)."""
    return f"{kind}.schema.json"


@cache
def list_file_schema(kind: str) -> dict[str, Any]:
    """The schema of a file that is a list of `kind` records (what yaml-to-sqlite and others read)."""
    whole = record_file_schema()
    model = KINDS[kind].__name__
    return {
        "$schema": whole["$schema"],
        "title": f"Fact base {kind} file",
        "description": f"A YAML file that is a list of {kind}. Generated from the models; do not edit.",
        "type": "array",
        "items": {"$ref": f"#/$defs/{model}"},
        "$defs": whole["$defs"],
    }


def _render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def render_schema() -> str:
    """The record-file schema's exact text (stable key order, trailing newline)."""
    return _render(record_file_schema())


def render_schemas() -> dict[str, str]:
    """Every schema file by name: the record-file schema and one list schema per kind."""
    out = {SCHEMA_FILE: render_schema()}
    out.update({list_schema_file(kind): _render(list_file_schema(kind)) for kind in KINDS})
    return out


def write_schema(out_dir: Path) -> list[Path]:
    """Write the schema files into `out_dir`; returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_schemas().items():
        target = out_dir / name
        atomic_write(target, text)
        written.append(target)
    return written


def stale_schema_files(out_dir: Path) -> list[Path]:
    """Schema files in `out_dir` that are missing or differ from what the models generate."""
    stale = []
    for name, text in render_schemas().items():
        target = out_dir / name
        try:
            current = target.read_text(encoding="utf-8")
        except OSError:
            current = None
        if current != text:
            stale.append(target)
    return stale


@cache
def fast_validator(kind: str | None = None) -> Any:
    """A compiled validator (jsonschema-rs) that answers valid or not in microseconds; the
    pure-Python one then explains the files that are not. None where it is not installed."""
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - an optional speed-up
        return None
    schema = record_file_schema() if kind is None else list_file_schema(kind)
    return jsonschema_rs.validator_for(schema)


@cache
def validator(kind: str | None = None) -> Draft202012Validator:
    """The compiled validator for record files, or for list files of `kind` (built once)."""
    schema = record_file_schema() if kind is None else list_file_schema(kind)
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)
