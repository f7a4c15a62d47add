"""Publish: Datasette metadata generated from the models, and a local Datasette server.

metadata.json is generated, never hand-edited: column descriptions come from the models'
field descriptions (the same text an editor shows while a contributor types a record), so
the published site and the schema cannot drift apart."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from toolkit.build.database import DEFAULT_OUT, build_database, inputs_hash
from toolkit.build.tables import TABLES
from toolkit.core.files import atomic_write
from toolkit.core.problems import ToolkitError
from toolkit.core.settings import DatasetSettings, Settings, load_settings
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


# The places a reader means by :place: its id, or any of its names, English names or aliases
# typed whole, with or without diacritics (`fukuoka`, `Lào Cai`, `tinh lao cai`); only when no
# name is typed whole, every place whose names hold the words. The site's timeline uses it too.
PLACE_MATCH = """select id from places where :place != '' and (id = :place
  or instr(' | ' || search_key || ' | ', ' | ' || fb_fold(:place) || ' | '))
union
select id from places where :place != '' and search_key like '%' || fb_fold(:place) || '%'
  and not exists (select 1 from places where id = :place
    or instr(' | ' || search_key || ' | ', ' | ' || fb_fold(:place) || ' | '))"""
# Those places and every place inside them (toolkit/build/links.py makes places_within).
PLACES_INSIDE = f"select place from places_within where within in ({PLACE_MATCH})"

QUERIES: dict[str, dict[str, Any]] = {
    "figures_for_place": {
        "title": "Figures about a place",
        "description": "Every fact about a place or any place inside it. Type a place's name in "
        "either language, with or without diacritics, an alias or its id.",
        "empty": "No place matches that name, or no fact is about it or a place inside it.",
        "params": ["place"],
        "sql": f"""select f.claim_id, f.statement_en as fact, f.value_words as value,
  f.subject_name as subject, f.time_words as "when", f.source_title as source, f.quote
from claims_flat f where f.subject in ({PLACES_INSIDE})
order by f.subject, f.property, f.claim_id""",
    },
    "positions_of_person": {
        "title": "Positions held by a person",
        "description": "Every post a person held as the sources state it. Type a name, with or without "
        "diacritics, or an id.",
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
        "description": "Events whose dates overlap the range, held in a place or any place inside it "
        "if you name one. A year (2023), a month (2023-06) or a day (2023-06-03) each stand for their "
        "whole span; leave an end empty for an open range. An undated part of a dated event counts "
        "within its dates.",
        "empty": "No dated event overlaps that range (in that place). Events whose date no source "
        "states are not included; they are at the end of the timeline.",
        "params": ["start", "end", "place"],
        "sql": f"""select t.event, t.name_en as event_name, t.name,
  t.date, d.date as during, t.type, t.place_name_en as place, t.status, t.sources
from timeline t
left join inferred_dates d on d.record_kind = 'event' and d.record_id = t.event and d.relation = 'during'
where coalesce(t.date_start, d.date_start) is not null
  and (:start = '' or coalesce(t.date_end, d.date_end) >= :start)
  and (:end = '' or coalesce(t.date_start, d.date_start) <= :end || '~')
  and (:place = '' or t.event in (select id from events where place in ({PLACES_INSIDE})))
order by coalesce(t.date_start, d.date_start), d.date is not null, coalesce(t.date_end, d.date_end),
  t.event""",
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


PLUGIN = "factbase"  # the site's own settings travel in the metadata under plugins.factbase


def metadata(settings: Settings | None = None, database: str | None = None) -> dict[str, Any]:
    """The Datasette metadata for the built database: the project's identity (factbase.toml)
    and every table's and column's description (the table registry)."""
    ds = (settings or Settings()).dataset
    tables = {
        name: {"description": table.description, **table.site, "columns": table.described()}
        for name, table in sorted(TABLES.items())
    }
    meta: dict[str, Any] = {
        "title": ds.title,
        "description_html": f"<p>{html.escape(ds.description, quote=False)}</p>",
        "creator": ds.creator,
        "spatial_coverage": ds.places,
        "extra_css_urls": ["/assets/factbase.css"],
        "license": f"Records: {ds.license_name}; {ds.rights_note}",
        "license_url": ds.license_url,
        "source": ds.sources_note,
        "about": f"Built with the fact base toolkit {__version__}",
        "databases": {database or ds.database: {"tables": tables, "queries": QUERIES}},
        # The whole [dataset] table, for the site's pages and downloads (which have no project).
        "plugins": {PLUGIN: {"dataset": ds.model_dump(mode="json", exclude_none=True)}},
    }
    return {key: value for key, value in meta.items() if value not in (None, [])}


def dataset_of(meta: dict[str, Any]) -> DatasetSettings:
    """The project's [dataset] settings, from Datasette metadata this module made."""
    found = meta.get("plugins", {}).get(PLUGIN, {}).get("dataset", {})
    return DatasetSettings.model_validate(found) if isinstance(found, dict) else DatasetSettings()


def render_metadata(root: Path) -> str:
    """metadata.json of the project at `root`, as `toolkit metadata` writes it."""
    return json.dumps(metadata(load_settings(root)), ensure_ascii=False, indent=2) + "\n"


def write_metadata(path: Path) -> Path:
    """Write the metadata of the project whose root holds `path`."""
    atomic_write(path, render_metadata(path.parent))
    return path


def metadata_is_current(path: Path) -> bool:
    try:
        return path.read_text(encoding="utf-8") == render_metadata(path.parent)
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
