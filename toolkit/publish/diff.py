"""Diff two built databases: records added, removed and changed, by kind, with the changed
fields — the changelog a maintainer pastes into a release."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.publish.readonly import connect, reading, require_tables, time_limit
from toolkit.records.models import KIND, KIND_TABLE

KINDS = tuple(KIND)
# Columns the build derives from others; a change shows in the columns they come from.
DERIVED = {"search_key", "date_start", "date_end", "amount", "published_start", "published_end"}
RELATED = {k.plural: (k.singular,) for k in KIND_TABLE if k.evidenced}


@dataclass(frozen=True)
class Change:
    kind: str
    id: str
    action: str  # added, removed, changed
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class DiffResult:
    changes: list[Change]

    def by_kind(self) -> dict[str, list[Change]]:
        out: dict[str, list[Change]] = {}
        for change in self.changes:
            out.setdefault(change.kind, []).append(change)
        return out


# What a diff reads: each a table in a build, never a view (a recursive one never ends).
READ = ("build_info", "evidence", "event_organizers", "event_participants", *KINDS)


def _open(path: Path) -> sqlite3.Connection:
    conn = connect(path)
    try:
        require_tables(conn, path, READ)
        with reading(path), time_limit(conn):
            conn.execute("select count(*) from build_info").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


def _rows(conn: sqlite3.Connection, kind: str) -> dict[str, dict[str, Any]]:
    exists = conn.execute("select 1 from sqlite_master where type='table' and name=?", (kind,)).fetchone()
    if not exists:
        return {}
    cursor = conn.execute(f"select * from [{kind}]")
    names = [d[0] for d in cursor.description]
    rows = {row[0]: {n: v for n, v in zip(names, row, strict=True) if n not in DERIVED} for row in cursor}
    if kind in RELATED:
        record_kind = RELATED[kind][0]
        for record_id, source, quote in conn.execute(
            "select record_id, source, quote from evidence where record_kind = ? order by record_id, seq",
            (record_kind,),
        ):
            if record_id in rows:
                rows[record_id].setdefault("evidence", []).append((source, quote))
    if kind == "events":
        for role in ("organizers", "participants"):
            for event, entity in conn.execute(
                f"select event, entity from event_{role} order by event, entity"
            ):
                if event in rows:
                    rows[event].setdefault(role, []).append(entity)
    return rows


def diff_databases(old: Path, new: Path) -> DiffResult:
    """Records added, removed and changed from `old` to `new`, in a stable order."""
    a = _open(old)
    try:
        b = _open(new)
    except BaseException:
        a.close()
        raise
    changes: list[Change] = []
    try:
        for kind in KINDS:
            with reading(old):
                before = _rows(a, kind)
            with reading(new):
                after = _rows(b, kind)
            for record_id in sorted(set(before) | set(after)):
                if record_id not in before:
                    changes.append(Change(kind, record_id, "added"))
                elif record_id not in after:
                    changes.append(Change(kind, record_id, "removed"))
                else:
                    x, y = before[record_id], after[record_id]
                    fields = tuple(sorted(k for k in set(x) | set(y) if x.get(k) != y.get(k)))
                    if fields:
                        changes.append(Change(kind, record_id, "changed", fields))
    finally:
        a.close()
        b.close()
    return DiffResult(changes)


def render_diff(result: DiffResult, markdown: bool = False) -> str:
    """Plain text (`+ claims x`), or Markdown sections for release notes."""
    if not result.changes:
        return "No changes.\n"
    out: list[str] = []
    counts = {
        action: sum(1 for c in result.changes if c.action == action)
        for action in ("added", "removed", "changed")
    }
    summary = ", ".join(f"{n} {action}" for action, n in counts.items() if n)
    if markdown:
        out.append(f"## Data changes\n\n{summary}.\n")
        for kind, changes in result.by_kind().items():
            out.append(f"\n### {kind.capitalize()}\n\n")
            for c in changes:
                detail = f" ({', '.join(c.fields)})" if c.fields else ""
                out.append(f"- {c.action}: `{c.id}`{detail}\n")
        return "".join(out)
    for c in result.changes:
        sign = {"added": "+", "removed": "-", "changed": "~"}[c.action]
        detail = f": {', '.join(c.fields)}" if c.fields else ""
        out.append(f"{sign} {c.kind} {c.id}{detail}\n")
    out.append(f"{summary}\n")
    return "".join(out)
