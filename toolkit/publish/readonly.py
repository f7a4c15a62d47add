"""Reading a database the toolkit may not have built (`export --db`, `serve --db`, `diff`):
opened read-only, the objects a build makes as tables checked to be tables, anything else
read within the site's time limit, and every SQLite failure named with the file.

A crafted file could put a recursive view where `build_info` or `evidence` should be: reading
it never ends, so diff, export and serve hung. A damaged page gave `internal error`, exit 3."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from toolkit.build.tables import TABLES
from toolkit.core.limits import MAX_FILE_BYTES, SQL_SECONDS
from toolkit.core.problems import ToolkitError, UsageError


class DatabaseUnusable(ToolkitError):
    """A database that cannot be read as a build: damaged, not SQLite, a view where a build
    has a table, or a query past the time limit."""

    code = "database-unusable"


class DatabaseDamaged(DatabaseUnusable):
    """A database file whose pages SQLite finds malformed (or no SQLite file at all)."""

    code = "database-damaged"


class NotADatabase(UsageError):
    """A file that is no SQLite database, or holds none of a build's tables."""

    code = "not-a-database"


class StaleDatabase(ToolkitError):
    """A database not built from the project's current records that the toolkit will not
    rebuild: one named with --db, or one it did not build."""

    code = "database-stale"


def connect(path: Path) -> sqlite3.Connection:
    """`path` opened read-only, no value over twice the largest file a build reads."""
    if not path.is_file():
        raise UsageError(f"{path}: no such database")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise unusable(path, exc) from None
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 2 * MAX_FILE_BYTES)
    return conn


def require_tables(conn: sqlite3.Connection, path: Path, names: Iterable[str]) -> None:
    """Each of `names` the file holds is a table, as a build makes it (never a view)."""
    with reading(path), time_limit(conn):
        types = dict(conn.execute("select name, type from sqlite_master where type in ('table', 'view')"))
    wrong = sorted(name for name in names if types.get(name, "table") != "table")
    if wrong:
        raise DatabaseUnusable(
            f"{path}: {', '.join(wrong)} {'is a view' if len(wrong) == 1 else 'are views'}, not the "
            "table a build makes: this is no database the toolkit built; build one with `toolkit build`"
        )


# What a build makes as tables (its views aside): a view in the place of one is not a build.
BUILT_TABLES = tuple(name for name, table in TABLES.items() if not table.view)


def check_build(path: Path) -> None:
    """Refuse a database to serve or export that is no build: a view where a build has a
    table, or a damaged page anywhere (SQLite's quick_check reads every page once)."""
    conn = connect(path)
    try:
        require_tables(conn, path, BUILT_TABLES)
        with reading(path):
            found = [str(row[0]) for row in conn.execute("pragma quick_check(5)")]
    finally:
        conn.close()
    if found != ["ok"]:
        damage = "; ".join(found)
        raise DatabaseDamaged(f"{path} is damaged ({damage}): build it again, or restore a good copy")


@contextmanager
def time_limit(conn: sqlite3.Connection, seconds: float = SQL_SECONDS) -> Iterator[None]:
    """Interrupt whatever SQLite runs in this block past `seconds` (the site's own limit)."""
    deadline = time.monotonic() + seconds
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
    try:
        yield
    finally:
        conn.set_progress_handler(None, 0)


@contextmanager
def reading(path: Path) -> Iterator[None]:
    """Turn SQLite's failures while reading `path` into DatabaseUnusable, naming the file."""
    try:
        yield
    except sqlite3.Error as exc:
        raise unusable(path, exc) from None


def unusable(path: Path, exc: sqlite3.Error) -> ToolkitError:
    """What went wrong with a database file, and what to do, as the error to raise."""
    text = str(exc)
    if "interrupted" in text:
        return DatabaseUnusable(
            f"{path}: a query ran past {SQL_SECONDS:g} s (a view that never ends?): "
            "this is no database the toolkit built; build one with `toolkit build`"
        )
    if "not a database" in text or "no such table" in text:
        return NotADatabase(f"{path}: not a fact-base database ({text}); build it with `toolkit build`")
    if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
        return DatabaseDamaged(f"{path} is damaged ({text}): build it again, or restore a good copy")
    return DatabaseUnusable(f"{path}: cannot be read as a database ({text}); build one with `toolkit build`")
