"""Publish: Datasette metadata generated from the models, and a local Datasette server.

metadata.json is generated, never hand-edited: column descriptions come from the models'
field descriptions (the same text an editor shows while a contributor types a record), so
the published site and the schema cannot drift apart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from toolkit.build.database import DEFAULT_OUT, build_database, inputs_hash
from toolkit.build.tables import TABLES
from toolkit.core.files import atomic_write
from toolkit.core.problems import ToolkitError
from toolkit.core.version import __version__
from toolkit.publish.readonly import (
    DatabaseDamaged,
    StaleDatabase,
    check_build,
    connect,
    reading,
    require_tables,
    time_limit,
)

METADATA_FILE = "metadata.json"


QUERIES: dict[str, dict[str, Any]] = {
    "figures_for_place": {
        "title": "Figures about a place",
        "description": "Every fact about a place or any place inside it. Type a place's name, with or "
        "without diacritics (Lào Cai, lao cai), or its id (lao-cai).",
        "empty": "No place matches that name, or no fact is about it or a place inside it.",
        "params": ["place"],
        "sql": """with recursive inside(id) as (
  select id from places where :place != ''
    and (id = :place or search_key like '%' || fb_fold(:place) || '%')
  union select places.id from places join inside on places.parent = inside.id
)
select f.claim_id, f.statement_en as fact, f.value_words as value, f.subject_name as subject,
  f.time_words as "when", f.source_title as source, f.quote
from claims_flat f where f.subject in (select id from inside)
order by f.subject, f.property, f.claim_id""",
    },
    "positions_of_person": {
        "title": "Positions held by a person",
        "description": "Every post a person held as the sources state it. Type a name, with or without "
        "diacritics (Đặng Xuân Phong, dang xuan phong), or an id.",
        "empty": "No person matches that name.",
        "params": ["name"],
        "sql": """select p.position_id, p.person_name as person, p.title, p.title_en as title_in_english,
  p.organization_name as organization, p.as_of, p.status, p.source_title as source, p.quote
from positions_by_person p
join persons pe on pe.id = p.person
where :name != '' and (pe.id = :name or pe.search_key like '%' || fb_fold(:name) || '%')
order by p.person_name, p.as_of""",
    },
    "events_between": {
        "title": "Events between two dates",
        "description": "Events whose dates overlap the range. A year (2023), a month (2023-06) or a day "
        "(2023-06-03) each stand for their whole span; leave one end empty for an open range.",
        "empty": "No dated event overlaps that range. Events whose date no source states are not "
        "included; they are at the end of the timeline.",
        "params": ["start", "end"],
        "sql": """select event, name_en as event_name, name, date, type, place_name_en as place, status,
  sources
from timeline
where date_start is not null
  and (:start = '' or date_end >= :start)
  and (:end = '' or date_start <= :end || '~')
order by date_start, date_end, event""",
    },
    "corroborated": {
        "title": "Corroborated claims",
        "description": "Facts that more than one source states.",
        "empty": "No fact is stated by more than one source yet.",
        "sql": """select claim_id, statement_en as fact, sources, source_ids
from corroborated_claims order by claim_id""",
    },
    "conflicting": {
        "title": "Conflicting claims",
        "description": "Different values for the same subject, property and time from different "
        "sources, where no rank resolves them.",
        "empty": "No conflicts: no two sources give different values for the same subject, property "
        "and time (or ranks resolve every difference).",
        "sql": """select subject_name as subject, property, claim_a, value_a, claim_b, value_b, time
from conflicts order by subject, property""",
    },
}


def metadata(database: str = "factbase") -> dict[str, Any]:
    """The Datasette metadata for the built database."""
    tables = {
        name: {"description": table.description, **table.site, "columns": table.described()}
        for name, table in sorted(TABLES.items())
    }
    return {
        "title": "Vietnam–Japan fact base, 2023",
        "description_html": (
            "<p>Facts hand-checked against Vietnamese news pages from the 50th anniversary year of "
            "Vietnam–Japan diplomatic relations. Every figure, date, position and event carries the exact "
            "quote it comes from; the toolkit proves each quote is in the archived page and that the value "
            "is the one the quote states. Search works with or without Vietnamese diacritics.</p>"
        ),
        "creator": "Vietnam–Japan fact base contributors",
        "spatial_coverage": ["Vietnam", "Japan"],
        "extra_css_urls": ["/assets/factbase.css"],
        "license": "Records: CC BY 4.0; source texts remain their publishers'",
        "license_url": "https://creativecommons.org/licenses/by/4.0/",
        "source": "Thời Đại, Tạp chí Cộng sản, Báo Lào Cai and other Vietnamese news pages (2023)",
        "about": f"Built with the fact base toolkit {__version__}",
        "databases": {database: {"tables": tables, "queries": QUERIES}},
    }


def render_metadata() -> str:
    return json.dumps(metadata(), ensure_ascii=False, indent=2) + "\n"


def write_metadata(path: Path) -> Path:
    atomic_write(path, render_metadata())
    return path


def metadata_is_current(path: Path) -> bool:
    try:
        return path.read_text(encoding="utf-8") == render_metadata()
    except OSError:
        return False


BUILD_KEYS = ("toolkit_version", "content_hash", "inputs_hash")  # what every build's build_info holds


def _build_info(db_path: Path) -> dict[str, str] | None:
    """A database's build_info, if it is a database the toolkit built (None otherwise).
    Read within the time limit: a recursive view as build_info hung every command."""
    try:
        conn = connect(db_path)
        try:
            require_tables(conn, db_path, ["build_info"])
            with reading(db_path), time_limit(conn):
                rows = conn.execute("select key, value from build_info limit 100").fetchall()
        finally:
            conn.close()
    except DatabaseDamaged:
        raise  # never taken for another file: it may be a release, damaged
    except ToolkitError:
        return None
    info = {str(k): str(v) for k, v in rows}
    return info if all(key in info for key in BUILD_KEYS) else None


def database_is_current(root: Path, db_path: Path) -> bool:
    """True when `db_path` was built from exactly the project's current inputs."""
    info = _build_info(db_path) if db_path.is_file() else None
    return info is not None and info["inputs_hash"] == inputs_hash(root)


def ensure_database(root: Path, db_path: Path | None = None) -> tuple[Path, bool]:
    """The database to serve or export, with its inspect file; returns (path, rebuilt).

    Built when missing. When stale, rebuilt only if it is the project's own build
    (dist/factbase.db, its build_info the toolkit's): a file named with --db (a saved
    release) or one the toolkit did not make (another SQLite file) is never replaced;
    StaleDatabase says so. Rebuilding those in place lost a release's claim, and a table."""
    target = db_path if db_path is not None else root / DEFAULT_OUT
    rebuilt = not database_is_current(root, target)
    if rebuilt and (target.exists() or target.is_symlink()):
        if db_path is not None:
            raise StaleDatabase(
                f"{target} was not built from this project's current records, and a database named "
                f"with --db is never rebuilt in place: build it with `toolkit build -o {target}`, "
                "or leave out --db to use the project's own build"
            )
        if _build_info(target) is None:
            raise StaleDatabase(
                f"{target} is not a database the toolkit built, so it is not replaced: move it "
                "away (the next command builds the project's database there), or name another with --db"
            )
    if rebuilt:
        target = build_database(root, target).path
    else:
        check_build(target)  # served or exported as it is: a view or a damaged page refused here
    inspect = inspect_path(target)
    if rebuilt or not inspect.is_file() or inspect.stat().st_mtime < target.stat().st_mtime:
        with reading(target):
            write_inspect(target)
    return target, rebuilt


def inspect_path(db_path: Path) -> Path:
    """Where the database's inspect file lies: beside it, `factbase.inspect.json`."""
    return db_path.with_suffix(".inspect.json")


def write_inspect(db_path: Path) -> Path:
    """`datasette inspect` of an immutable database: its hash and every table's row count, so
    a replica serving the file never counts rows at start or on a page (see the README's
    section on serving past one machine)."""
    import asyncio

    from datasette.cli import inspect_

    data = asyncio.run(inspect_([str(db_path)], ()))
    target = inspect_path(db_path)
    atomic_write(target, json.dumps(data, indent=2, sort_keys=True) + "\n")
    return target
