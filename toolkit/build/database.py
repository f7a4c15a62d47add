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
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from toolkit.build.links import find_mentions, write_links
from toolkit.build.reader import register_functions, write_reader_tables
from toolkit.build.rows import Staging
from toolkit.build.tables import INDEXES, RECORD_TABLES, VIEWS
from toolkit.build.views import CLAIMS_FLAT, CLAIMS_FLAT_INDEXES
from toolkit.core.collector import collector_paused
from toolkit.core.files import file_digest
from toolkit.core.problems import CannotWrite, InvalidRecords, ToolkitError
from toolkit.core.version import __version__
from toolkit.validate.cache import code_digest
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
    # The validation's memos and the link tables' rows live until the database is written:
    # the collector waits until the build's own structures are gone (see core/collector.py).
    with collector_paused():
        return _build_database(root, out, progress, jobs)


def _build_database(root: Path, out: Path | None, progress: Progress | None, jobs: int) -> BuildResult:
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
        _fast_writes(db.conn)
        sink = _Writer(db, root, tmp)
        with db.conn:  # one transaction for the staged rows
            result = validate_project(root, progress=progress, records=False, plan=Plan(jobs=jobs), rows=sink)
        if not result.ok:
            raise InvalidRecords(result.problems)
        counts, content_hash = sink.written or _write(db, sink.stage, result.counts, root, tmp)
        db.close()
        _flush(tmp)
        os.replace(tmp, target)
    except BaseException as exc:
        if db is not None:
            db.close()
        tmp.unlink(missing_ok=True)
        for folder in made:
            try:
                folder.rmdir()
            except OSError:
                break  # not empty: someone else's files are there now
        if isinstance(exc, sqlite3.Error) and writing_failed(exc):  # (an OSError names its file)
            raise CannotWrite(target, exc, "free some space, or build to a folder you can write to") from None
        raise
    return BuildResult(target, counts, content_hash)


class _Writer:
    """Where validation hands the build's rows (staged, see Staging), and the tables written as
    soon as every row is in, should the validation check the records beside (in another
    process) meanwhile: a refused build's tables are thrown away with its temporary file."""

    def __init__(self, db: sqlite_utils.Database, root: Path, path: Path) -> None:
        self.stage = Staging(db.conn)
        self.make, self.add, self.drop = self.stage.make, self.stage.add, self.stage.drop
        self.db, self.root, self.path = db, root, path
        self.written: tuple[dict[str, int], str] | None = None

    def ready(self, counts: dict[str, int]) -> None:
        """Every row is in (`counts`: records of each kind); the cross-file rules check beside."""
        self.db.conn.commit()  # the staged rows, before the tables' own transactions
        self.written = _write(self.db, self.stage, counts, self.root, self.path, beside=True)


def _fast_writes(conn: sqlite3.Connection) -> None:
    """A temporary file no one reads until it is renamed needs no durability while it is
    written: the journal stays in memory and nothing is synced until `_flush`."""
    conn.execute("PRAGMA journal_mode = MEMORY")
    conn.execute("PRAGMA synchronous = OFF")


def _flush(path: Path) -> None:
    """Sync the finished database to disk once, before the rename makes it the build."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# SQLite's primary result codes for a write the system refused: no permission, a read-only
# database or file system, an I/O error (a full disk past a file size limit), a full disk,
# a file it cannot open.
_WRITE_FAILURES = {3, 8, 10, 13, 14}


def writing_failed(exc: sqlite3.Error) -> bool:
    """Did SQLite fail because the system would not let it write (not because of a bug)?"""
    return (getattr(exc, "sqlite_errorcode", 0) & 0xFF) in _WRITE_FAILURES


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
    db: sqlite_utils.Database,
    stage: Staging,
    records: dict[str, int],
    root: Path,
    path: Path,
    beside: bool = False,
) -> tuple[dict[str, int], str]:
    """Create the tables from the staged rows, then the indexes, search and reader tables in
    the database at `path` (with `beside`, the mentions are found in another process meanwhile)."""
    db.conn.execute("PRAGMA foreign_keys = OFF")  # rows go in table by table, checked at the end
    register_functions(db.conn)  # values and times in words for the reader views
    counts: dict[str, int] = {}
    with db.conn:  # one transaction: each table filled by one statement
        for name, spec in RECORD_TABLES.items():
            sqlite_utils.db.Table(db, name).create(
                spec.types,
                pk=spec.pk,
                foreign_keys=list(spec.fks),
                not_null=[spec.pk] if isinstance(spec.pk, str) else None,
            )
            counts[name] = stage.copy(name)
    with find_mentions(db.conn, fork=beside) as mentions:  # (its process ends with the block)
        _index(db)
        write_reader_tables(db.conn, stage)
        write_links(db, mentions)
    for name, view in VIEWS.items():
        db.create_view(name, view.sql or "")
    _stamp(db, stage, records, root)
    return dict(sorted(counts.items())), stage.content_hash()


def _index(db: sqlite_utils.Database) -> None:
    """The records' indexes and full-text indexes, and the flat claims table with its own."""
    for name, columns in INDEXES:
        chosen = list(columns) if isinstance(columns, tuple) else [columns]
        sqlite_utils.db.Table(db, name).create_index(chosen, if_not_exists=True)
    for name, spec in RECORD_TABLES.items():
        if spec.search:
            # unicode61 folds most diacritics in the original columns; search_key adds đ -> d.
            sqlite_utils.db.Table(db, name).enable_fts(
                list(spec.search), tokenize="unicode61 remove_diacritics 2", create_triggers=False
            )
    with db.conn:
        db.conn.execute(f"create table [{CLAIMS_FLAT.name}] as {CLAIMS_FLAT.sql}")
        for column in CLAIMS_FLAT_INDEXES:
            db.conn.execute(f"create index [claims_flat_{column}] on [claims_flat] ([{column}])")


def _stamp(db: sqlite_utils.Database, stage: Staging, records: dict[str, int], root: Path) -> None:
    """The build's facts (version, time, counts, hashes), then every foreign key checked."""
    hashes = dict(db.conn.execute("select id, sha256 from sources order by id").fetchall())
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


def inputs_hash(root: Path) -> str:
    """Hash of everything a build reads (record files and source texts) and of the toolkit's
    own code, to tell a stale build."""
    digest = hashlib.sha256(code_digest().encode())
    seeds = root / "seeds"
    for path in sorted(p for p in seeds.rglob("*") if p.is_file() and not p.name.startswith(".")):
        digest.update(path.relative_to(seeds).as_posix().encode() + b"\0")
        digest.update(bytes.fromhex(file_digest(path)))
    return digest.hexdigest()
