"""Build: validated records into a deterministic SQLite database, written atomically.

The build refuses invalid records, writes to a temporary file beside the target and renames it
into place, so a failed or killed build never leaves a half-written database. The same records
give the same rows in the same order; the build time comes from SOURCE_DATE_EPOCH when set."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlite_utils

from toolkit import __version__, dates
from toolkit.models import Claim, DateValue, EntityValue, Event, Quantity, TextValue
from toolkit.problems import Problem, ToolkitError
from toolkit.text import search_key
from toolkit.validate import Dataset, Entry, validate_project

DEFAULT_OUT = Path("dist") / "factbase.db"
CONTEXT_CHARS = 40


class InvalidRecords(ToolkitError):
    """The records do not validate; nothing was built."""

    code = "invalid-records"

    def __init__(self, problems: list[Problem]) -> None:
        errors = [p for p in problems if p.is_error]
        super().__init__(f"{len(errors)} errors in the records: nothing was built")
        self.problems = problems


@dataclass(frozen=True)
class BuildResult:
    path: Path
    counts: dict[str, int]
    content_hash: str


def build_database(root: Path, out: Path | None = None) -> BuildResult:
    """Validate the project at `root` and build its database at `out` (atomically)."""
    result = validate_project(root)
    if not result.ok:
        raise InvalidRecords(result.problems)
    target = out if out is not None else root / DEFAULT_OUT
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()
        counts, content_hash = _write(result.dataset, tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return BuildResult(target, counts, content_hash)


def _build_time() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else datetime.now(UTC)
    return moment.replace(microsecond=0).isoformat()


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _exact(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _span_bounds(text: str | None) -> tuple[str | None, str | None]:
    if text is None:
        return None, None
    span = dates.parse_range(text)
    return span.first.isoformat(), span.last.isoformat()


def _sorted(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: e.record.id)


def _write(data: Dataset, path: Path) -> tuple[dict[str, int], str]:
    db = sqlite_utils.Database(path)
    db.conn.execute("PRAGMA foreign_keys = OFF")  # rows go in table by table, checked at the end
    tables = dict(_rows(data))
    with db.conn:
        for name, (rows, pk, fks, columns) in tables.items():
            table = sqlite_utils.db.Table(db, name)
            table.create(columns, pk=pk, foreign_keys=fks, not_null=[pk] if isinstance(pk, str) else None)
            if rows:
                table.insert_all(rows, batch_size=10_000)
    for name, column in INDEXES:
        sqlite_utils.db.Table(db, name).create_index([column], if_not_exists=True)
    digest = hashlib.sha256()
    for name in sorted(tables):
        for row in db.execute(f"select * from [{name}] order by rowid").fetchall():
            digest.update(json.dumps([name, *row], ensure_ascii=False, default=str).encode())
    counts = {name: sqlite_utils.db.Table(db, name).count for name in sorted(tables)}
    info = {
        "toolkit_version": __version__,
        "built_at": _build_time(),
        "record_counts": json.dumps(data.counts(), sort_keys=True),
        "source_hashes": json.dumps(
            {e.record.id: e.record.sha256 for e in _sorted(data.valid("sources"))}, sort_keys=True
        ),
        "content_hash": digest.hexdigest(),
    }
    sqlite_utils.db.Table(db, "build_info").insert_all(
        [{"key": k, "value": v} for k, v in info.items()], pk="key", replace=True
    )
    db.conn.execute("PRAGMA foreign_keys = ON")
    broken = db.execute("PRAGMA foreign_key_check").fetchall()
    db.close()
    if broken:
        raise ToolkitError(f"foreign keys do not resolve in the build: {broken[:5]}")
    return counts, digest.hexdigest()


INDEXES = [
    ("claims", "subject"),
    ("claims", "property"),
    ("positions", "person"),
    ("events", "date_start"),
    ("evidence", "record_id"),
    ("evidence", "source"),
]

Table = tuple[list[dict[str, Any]], str | tuple[str, ...], list[tuple[str, str, str]], dict[str, type]]


def _columns(names: list[str], kind: type = str) -> dict[str, type]:
    return dict.fromkeys(names, kind)


def _rows(data: Dataset) -> Iterator[tuple[str, Table]]:
    yield (
        "sources",
        (
            [
                {
                    "id": s.id,
                    "file": s.file,
                    "sha256": s.sha256,
                    "title": s.title,
                    "title_en": s.title_en,
                    "publisher": s.publisher,
                    "url": s.url,
                    "published": s.published,
                    "published_quote": s.published_quote,
                    "published_note": s.published_note,
                    "language": s.language,
                    "body_start_line": s.body.start_line,
                    "body_end_line": s.body.end_line,
                }
                for s in (e.record for e in _sorted(data.valid("sources")))
            ],
            "id",
            [],
            _columns(
                [
                    *["id", "file", "sha256", "title", "title_en", "publisher", "url", "published"],
                    *["published_quote", "published_note", "language"],
                ],
            )
            | {"body_start_line": int, "body_end_line": int},
        ),
    )
    yield (
        "properties",
        (
            [
                {
                    "id": p.id,
                    "label_vi": p.label_vi,
                    "label_en": p.label_en,
                    "value_type": p.value_type,
                    "unit": p.unit,
                    "description": p.description,
                }
                for p in (e.record for e in _sorted(data.valid("properties")))
            ],
            "id",
            [],
            _columns(["id", "label_vi", "label_en", "value_type", "unit", "description"]),
        ),
    )
    # One table of everything a claim can be about, so `subject` has a real foreign key.
    entity_rows = []
    for kind in ("persons", "organizations", "places", "events"):
        for e in _sorted(data.valid(kind)):
            r = e.record
            names = [r.name, r.name_en or "", *getattr(r, "aliases", [])]
            entity_rows.append(
                {
                    "id": r.id,
                    "kind": kind.rstrip("s") if kind != "persons" else "person",
                    "name": r.name,
                    "name_en": r.name_en,
                    "search_key": " | ".join(search_key(n) for n in names if n),
                }
            )
    entity_rows.sort(key=lambda row: row["id"])
    yield (
        "entities",
        (entity_rows, "id", [], _columns(["id", "kind", "name", "name_en", "search_key"])),
    )
    for kind in ("places", "organizations", "persons"):  # a table exists before keys point at it
        rows = []
        for e in _sorted(data.valid(kind)):
            r = e.record
            row: dict[str, Any] = {
                "id": r.id,
                "name": r.name,
                "name_en": r.name_en,
                "aliases": json.dumps(r.aliases, ensure_ascii=False),
                "description_en": r.description_en,
            }
            if kind != "persons":
                row["type"] = r.type
                row["parent"] = r.parent
            if kind == "organizations":
                row["country"] = r.country
            rows.append(row)
        fks = []
        columns = _columns(["id", "name", "name_en", "aliases", "description_en"])
        if kind != "persons":
            columns |= {"type": str, "parent": str}
            fks.append(("parent", kind, "id"))
        if kind == "organizations":
            columns["country"] = str
            fks.append(("country", "places", "id"))
        yield kind, (rows, "id", fks, columns)
    yield (
        "positions",
        (
            [
                {
                    "id": p.id,
                    "person": p.person,
                    "organization": p.organization,
                    "title": p.title,
                    "title_en": p.title_en,
                    "as_of": p.as_of,
                    "status": p.status,
                }
                for p in (e.record for e in _sorted(data.valid("positions")))
            ],
            "id",
            [("person", "persons", "id"), ("organization", "organizations", "id")],
            _columns(["id", "person", "organization", "title", "title_en", "as_of", "status"]),
        ),
    )
    events: list[Event] = [e.record for e in _sorted(data.valid("events"))]
    event_rows = []
    for ev in events:
        start, end = _span_bounds(ev.date)
        event_rows.append(
            {
                "id": ev.id,
                "type": ev.type,
                "name": ev.name,
                "name_en": ev.name_en,
                "date": ev.date,
                "date_start": start,
                "date_end": end,
                "status": ev.status,
                "place": ev.place,
                "parent": ev.parent,
                "description_en": ev.description_en,
            }
        )
    yield (
        "events",
        (
            event_rows,
            "id",
            [("place", "places", "id"), ("parent", "events", "id")],
            _columns(["id", "type", "name", "name_en", "date", "date_start", "date_end", "status"])
            | _columns(["place", "parent", "description_en"]),
        ),
    )
    for role in ("organizers", "participants"):
        yield (
            f"event_{role}",
            (
                [{"event": ev.id, "entity": ref} for ev in events for ref in sorted(getattr(ev, role))],
                ("event", "entity"),
                [("event", "events", "id"), ("entity", "entities", "id")],
                {"event": str, "entity": str},
            ),
        )
    yield "claims", _claims(data)
    yield "evidence", _evidence(data)


def _claims(data: Dataset) -> Table:
    rows = []
    for e in _sorted(data.valid("claims")):
        c: Claim = e.record
        v = c.value
        row: dict[str, Any] = {
            "id": c.id,
            "subject": c.subject,
            "property": c.property,
            "value_type": "quantity",
            "amount": None,
            "amount_exact": None,
            "unit": None,
            "comparator": None,
            "lower": None,
            "upper": None,
            "original": None,
            "value_date": None,
            "value_entity": None,
            "value_text": None,
            "value_text_en": None,
            "point_in_time": c.point_in_time,
            "period_start": c.period.start if c.period else None,
            "period_end": c.period.end if c.period else None,
            "statement_en": c.statement_en,
            "rank": c.rank,
            "rank_reason": c.rank_reason,
        }
        if isinstance(v, Quantity):
            row |= {
                "amount": _number(v.amount),
                "amount_exact": _exact(v.amount),
                "unit": v.unit,
                "comparator": v.comparator,
                "lower": _number(v.lower),
                "upper": _number(v.upper),
                "original": v.original,
            }
        elif isinstance(v, DateValue):
            row |= {"value_type": "date", "value_date": v.date, "original": v.original}
        elif isinstance(v, EntityValue):
            row |= {"value_type": "entity", "value_entity": v.entity}
        elif isinstance(v, TextValue):
            row |= {"value_type": "text", "value_text": v.text, "value_text_en": v.text_en}
        rows.append(row)
    columns = _columns(list(rows[0]) if rows else ["id"])
    columns |= {"amount": float, "lower": float, "upper": float}
    return (
        rows,
        "id",
        [
            ("subject", "entities", "id"),
            ("property", "properties", "id"),
            ("value_entity", "entities", "id"),
        ],
        columns,
    )


def _evidence(data: Dataset) -> Table:
    rows = []
    for kind in ("positions", "events", "claims"):
        for e in _sorted(data.valid(kind)):
            for i, ev in enumerate(e.record.evidence):
                anchor = data.anchors[(e.doc.display, e.kind, e.index, i)]
                text = data.texts[ev.source].text
                m = anchor.match
                rows.append(
                    {
                        "id": f"{e.record.id}#{i}",
                        "record_kind": kind.rstrip("s"),
                        "record_id": e.record.id,
                        "seq": i,
                        "source": ev.source,
                        "quote": ev.quote,
                        "exact": text[m.start : m.end],
                        "start": m.start,
                        "end": m.end,
                        "line": m.line,
                        "prefix": text[max(0, m.start - CONTEXT_CHARS) : m.start],
                        "suffix": text[m.end : m.end + CONTEXT_CHARS],
                    }
                )
    rows.sort(key=lambda r: (r["record_id"], r["seq"]))
    names = ["id", "record_kind", "record_id", "seq", "source", "quote", "exact"]
    names += ["start", "end", "line", "prefix", "suffix"]
    columns: dict[str, type] = {n: int if n in ("seq", "start", "end", "line") else str for n in names}
    return rows, "id", [("source", "sources", "id")], columns
