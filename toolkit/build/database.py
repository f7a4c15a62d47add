"""Build: validated records into a deterministic SQLite database, written atomically.

The build refuses invalid records, writes to a temporary file beside the target and renames it
into place, so a failed or killed build never leaves a half-written database. The temporary
file's name carries the builder's process id, so the next build removes what a killed one left
(the file and SQLite's journal) without touching a build that is still running. The same records
give the same rows in the same order; the build time comes from SOURCE_DATE_EPOCH when set."""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from toolkit.core.version import __version__
from toolkit.validate.cache import code_digest
from toolkit.core.files import file_digest
from toolkit.core.problems import InvalidRecords, ToolkitError
from toolkit.build.reader import register_functions, write_reader_tables
from toolkit.build.rows import TABLES, Staging
from toolkit.validate.engine import Plan, Progress, validate_project

DEFAULT_OUT = Path("dist") / "factbase.db"


@dataclass(frozen=True)
class BuildResult:
    path: Path
    counts: dict[str, int]
    content_hash: str


def build_database(
    root: Path, out: Path | None = None, progress: Progress | None = None, jobs: int = 1
) -> BuildResult:
    """Validate the project at `root` (per-file checks in `jobs` processes) and build its
    database at `out` (atomically). Rows are staged in the new database as files are checked."""
    target = out if out is not None else root / DEFAULT_OUT
    # Folders made for the database are removed again if nothing is built (deepest first).
    made = [p for p in [target.parent, *target.parent.parents] if not p.exists()]
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(target)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}-", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    db: sqlite_utils.Database | None = None
    try:
        tmp.unlink()
        db = sqlite_utils.Database(tmp)
        stage = Staging(db.conn)
        with db.conn:  # one transaction for the staged rows
            result = validate_project(
                root, progress=progress, records=False, plan=Plan(jobs=jobs), rows=stage
            )
        if not result.ok:
            raise InvalidRecords(result.problems)
        counts, content_hash = _write(db, stage, result.counts, root, tmp)
        db.close()
        os.replace(tmp, target)
    except BaseException:
        if db is not None:
            db.close()
        tmp.unlink(missing_ok=True)
        for folder in made:
            try:
                folder.rmdir()
            except OSError:
                break  # not empty: someone else's files are there now
        raise
    return BuildResult(target, counts, content_hash)


# Temporary files left by a build of an older toolkit carry no process id: after this long
# no build is still writing them.
_UNOWNED_STALE_SECONDS = 3600


def remove_stale_temporaries(target: Path) -> list[Path]:
    """Remove the temporary databases (and SQLite journals) that builds of `target` killed
    before their rename left behind: ours only, and only when their builder is gone."""
    ours = re.compile(rf"\.{re.escape(target.name)}\.(?:(\d+)-)?[^/]*\.tmp(?:-journal|-wal|-shm)?")
    removed: list[Path] = []
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return removed
    for path in entries:
        m = ours.fullmatch(path.name)
        if m is None or path.is_symlink() or not path.is_file():
            continue
        if m.group(1) is not None:
            stale = not _alive(int(m.group(1)))
        else:
            try:
                stale = time.time() - path.stat().st_mtime > _UNOWNED_STALE_SECONDS
            except OSError:
                continue
        if stale:
            try:
                path.unlink()
                removed.append(path)
            except OSError:
                pass
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process, or not a pid we can ask about: leave it
    return True


def _build_time() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else datetime.now(UTC)
    return moment.replace(microsecond=0).isoformat()


def _write(
    db: sqlite_utils.Database, stage: Staging, records: dict[str, int], root: Path, path: Path
) -> tuple[dict[str, int], str]:
    """Create the tables from the staged rows, then the indexes, search and reader tables in
    the database at `path`."""
    db.conn.execute("PRAGMA foreign_keys = OFF")  # rows go in table by table, checked at the end
    register_functions(db.conn)  # values and times in words for the reader views
    counts: dict[str, int] = {}
    with db.conn:  # one transaction: each table filled by one statement
        for name, spec in TABLES.items():
            sqlite_utils.db.Table(db, name).create(
                spec.columns,
                pk=spec.pk,
                foreign_keys=list(spec.fks),
                not_null=[spec.pk] if isinstance(spec.pk, str) else None,
            )
            counts[name] = stage.copy(name)
    hashes = dict(db.conn.execute("select id, sha256 from sources order by id").fetchall())
    for name, column in INDEXES:
        sqlite_utils.db.Table(db, name).create_index([column], if_not_exists=True)
    for name, fts_columns in SEARCHABLE.items():
        # unicode61 folds most diacritics in the original columns; search_key adds đ -> d.
        sqlite_utils.db.Table(db, name).enable_fts(
            fts_columns, tokenize="unicode61 remove_diacritics 2", create_triggers=False
        )
    with db.conn:
        for name, sql in MATERIALIZED.items():
            db.conn.execute(f"create table [{name}] as {sql}")
        for column in ("claim_id", "subject", "property", "source"):
            db.conn.execute(f"create index [claims_flat_{column}] on [claims_flat] ([{column}])")
    write_reader_tables(db.conn, stage)
    for name, sql in VIEWS.items():
        db.create_view(name, sql)
    counts = dict(sorted(counts.items()))
    info = {
        "toolkit_version": __version__,
        "built_at": _build_time(),
        "record_counts": json.dumps(records, sort_keys=True),
        "source_hashes": json.dumps(hashes, sort_keys=True),
        "content_hash": stage.content_hash(),
        "inputs_hash": inputs_hash(root),
    }
    sqlite_utils.db.Table(db, "build_info").insert_all(
        [{"key": k, "value": v} for k, v in info.items()], pk="key", replace=True
    )
    db.conn.execute("PRAGMA foreign_keys = ON")
    broken = db.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise ToolkitError(f"foreign keys do not resolve in the build: {broken[:5]}")
    return counts, stage.content_hash()


def inputs_hash(root: Path) -> str:
    """Hash of everything a build reads (record files and source texts) and of the toolkit's
    own code, to tell a stale build."""
    digest = hashlib.sha256(code_digest().encode())
    seeds = root / "seeds"
    for path in sorted(p for p in seeds.rglob("*") if p.is_file() and not p.name.startswith(".")):
        digest.update(path.relative_to(seeds).as_posix().encode() + b"\0")
        digest.update(bytes.fromhex(file_digest(path)))
    return digest.hexdigest()


SEARCHABLE = {
    "persons": ["name", "name_en", "aliases", "search_key"],
    "organizations": ["name", "name_en", "aliases", "search_key"],
    "places": ["name", "name_en", "aliases", "search_key"],
    "events": ["name", "name_en", "description_en", "search_key"],
    "positions": ["title", "title_en", "search_key"],
    "claims": ["statement_en", "original", "value_text", "search_key"],
    "statements": ["verb", "text_en", "search_key"],
    "entities": ["name", "name_en", "search_key"],
}

_VALUE_KEY = (
    "coalesce({t}.amount_exact || ' ' || {t}.unit || ' ' || {t}.comparator, "
    "{t}.value_date, {t}.value_entity, {t}.value_text)"
)

# Built as a table, not a view: the flat list is what readers open first, and a table's first
# page, count and sort come from an index instead of a join over every claim.
MATERIALIZED = {
    "claims_flat": """
select c.id as claim_id, c.statement_en,
  fb_value_words(c.value_type, c.amount_exact, c.unit, c.comparator, c.lower, c.upper, c.value_date,
    case when ve.kind = 'person' then ve.name else coalesce(ve.name_en, ve.name) end,
    c.value_text, c.value_text_en) as value_words,
  s.name as subject_name, fb_time_words(c.point_in_time, c.period_start, c.period_end) as time_words,
  src.title as source_title, e.quote,
  c.subject, s.name_en as subject_name_en,
  s.kind as subject_kind, c.property, p.label_en as property_label, p.label_vi as property_label_vi,
  c.value_type, c.amount, c.amount_exact, c.unit, c.comparator, c.lower, c.upper, c.original,
  c.value_date, c.value_entity, ve.name as value_entity_name, c.value_text, c.value_text_en,
  c.point_in_time, c.period_start, c.period_end, c.rank,
  e.source, src.publisher, src.published, e.line,
  e.id as evidence_id, fb_dkey(s.name, s.name_en, c.statement_en, c.original, e.quote) as search_key
from claims c
join entities s on s.id = c.subject
join properties p on p.id = c.property
left join entities ve on ve.id = c.value_entity
join evidence e on e.record_kind = 'claim' and e.record_id = c.id
join sources src on src.id = e.source
order by c.id, e.seq""",
}

VIEWS = {
    "positions_by_person": """
select pe.id as person, pe.name as person_name, pe.name_en as person_name_en, po.title, po.title_en,
  o.name as organization_name, po.as_of, po.status, e.source, src.title as source_title, e.quote,
  po.id as position_id
from positions po
join persons pe on pe.id = po.person
left join organizations o on o.id = po.organization
join evidence e on e.record_kind = 'position' and e.record_id = po.id and e.seq = 0
join sources src on src.id = e.source
order by pe.name, po.as_of""",
    "timeline": """
select ev.date_start, ev.date_end, ev.date, ev.name, ev.name_en, ev.type, ev.status,
  pl.name as place_name, pl.name_en as place_name_en,
  (select count(distinct source) from evidence where record_kind = 'event' and record_id = ev.id) as sources,
  ev.id as event
from events ev left join places pl on pl.id = ev.place
order by ev.date_start, ev.date_end, ev.id""",
    "corroborated_claims": """
select c.id as claim_id, c.subject, c.property, c.statement_en,
  count(distinct e.source) as sources, group_concat(distinct e.source) as source_ids
from claims c join evidence e on e.record_kind = 'claim' and e.record_id = c.id
group by c.id having count(distinct e.source) > 1
order by c.id""",
    "conflicts": f"""
select a.subject, s.name as subject_name, a.property,
  a.id as claim_a, {_VALUE_KEY.format(t="a")} as value_a,
  b.id as claim_b, {_VALUE_KEY.format(t="b")} as value_b,
  coalesce(a.point_in_time, a.period_start, '') as time
from claims a
join claims b on a.subject = b.subject and a.property = b.property and a.id < b.id
  and coalesce(a.point_in_time, '') = coalesce(b.point_in_time, '')
  and coalesce(a.period_start, '') = coalesce(b.period_start, '')
  and coalesce(a.period_end, '') = coalesce(b.period_end, '')
join entities s on s.id = a.subject
where {_VALUE_KEY.format(t="a")} is not {_VALUE_KEY.format(t="b")}
  and a.rank = 'normal' and b.rank = 'normal'
  and not exists (
    select 1 from evidence ea join evidence eb on ea.source = eb.source
    where ea.record_kind = 'claim' and ea.record_id = a.id
      and eb.record_kind = 'claim' and eb.record_id = b.id)
order by a.subject, a.property, a.id""",
}

INDEXES = [
    ("claims", "subject"),
    ("claims", "property"),
    ("positions", "person"),
    ("events", "date_start"),
    ("evidence", "record_id"),
    ("evidence", "source"),
]
