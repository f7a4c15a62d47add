"""JSON Schema (Draft 2020-12) generated from the models, written to `schema/` for editors and
outside tools, and compiled once here to check records exactly as those tools would."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from toolkit import __version__
from toolkit.models import RecordFile

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


def render_schema() -> str:
    """The schema file's exact text (stable key order, trailing newline)."""
    return json.dumps(record_file_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema(out_dir: Path) -> list[Path]:
    """Write the schema files into `out_dir`; returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / SCHEMA_FILE
    target.write_text(render_schema(), encoding="utf-8")
    return [target]


def stale_schema_files(out_dir: Path) -> list[Path]:
    """Schema files in `out_dir` that differ from what the models generate."""
    target = out_dir / SCHEMA_FILE
    try:
        current = target.read_text(encoding="utf-8")
    except OSError:
        return [target]
    return [] if current == render_schema() else [target]


@lru_cache(maxsize=1)
def validator() -> Draft202012Validator:
    """The compiled validator for record files (built once per process)."""
    schema = record_file_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)
