"""Export the built database as per-table CSV or JSON, and a Frictionless data package.

CSV can carry a UTF-8 byte-order mark so that Excel opens text with diacritics correctly; the
data package then declares the encoding, so `frictionless validate` reads it the same way.
That Excel export also neutralises CSV injection as OWASP recommends: a text cell starting
with `=`, `+`, `-`, `@`, a tab or a line break (a formula to a spreadsheet, `=HYPERLINK(…)`)
gets a leading `'`, so it shows as the text it is. Plain CSV and JSON keep every value exact,
for data tools."""

from __future__ import annotations

import csv
import json
import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from toolkit.build.reader import SITE_TABLES
from toolkit.build.table import Column
from toolkit.build.tables import TABLES
from toolkit.core.settings import DatasetSettings
from toolkit.core.version import __version__
from toolkit.publish.readme import CITATION, README, citation_cff, readme_text
from toolkit.publish.readonly import BUILT_TABLES, connect, reading, require_tables

DATAPACKAGE = "datapackage.json"
# Views exported beside the tables (the flat list, a table in our builds, is the one-file answer
# to "give me everything").
EXPORTED_VIEWS = ("claims_flat",)


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"
    datapackage = "datapackage"


@dataclass(frozen=True)
class ExportResult:
    files: list[Path]


def _tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "select name from sqlite_master where type = 'table' and name not like '%_fts%' "
        "and name not like 'sqlite_%' order by name"
    ).fetchall()
    tables = [r[0] for r in rows if r[0] not in SITE_TABLES]
    return tables + [view for view in EXPORTED_VIEWS if view not in tables]


def _columns(conn: sqlite3.Connection, table: str) -> list[tuple[str, str]]:
    """The exported columns and their data package types: the registry's (its internal
    columns, such as search keys, left out), or the database's for a table it does not declare."""
    declared = TABLES.get(table)
    present = {r[1]: (r[2] or "").upper() for r in conn.execute(f"pragma table_info([{table}])")}
    if declared is None:
        return [(name, _TYPES.get(kind, "string")) for name, kind in present.items()]
    return [(c.name, _type(c)) for c in declared.exported if c.name in present]


def _type(column: Column) -> str:
    """A registry column's Frictionless type: a JSON list is an array, an ISO day a date."""
    if column.json_list:
        return "array"
    return {int: "integer", float: "number", date: "date"}.get(column.type, "string")


def _lists(table: str) -> set[str]:
    """The columns of `table` whose text is a JSON list (the JSON export gives lists)."""
    declared = TABLES.get(table)
    return {c.name for c in declared.columns if c.json_list} if declared else set()


def _order(conn: sqlite3.Connection, table: str) -> str:
    """Tables in insertion order (the build's deterministic order); views keep their own."""
    kind = conn.execute("select type from sqlite_master where name = ?", (table,)).fetchone()
    return " order by rowid" if kind and kind[0] == "table" else ""


def export(
    db_path: Path,
    fmt: ExportFormat,
    out_dir: Path,
    bom: bool = False,
    dataset: DatasetSettings | None = None,
) -> ExportResult:
    """Write every table (and the flat view) of `db_path` into `out_dir` in `fmt`; a data
    package carries `dataset`'s name, title, description and licence (factbase.toml).

    The files are written into a temporary folder inside `out_dir` and each renamed into
    place once all are written: a full disk overwrote the previous export and left a CSV cut
    mid-row. Other files in `out_dir` are left alone."""
    made = not out_dir.exists()
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".export-", dir=out_dir))
    try:
        written = _write_all(db_path, fmt, staging, bom, dataset)
        for path in written:
            os.replace(path, out_dir / path.name)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if made:
            shutil.rmtree(out_dir, ignore_errors=True)
        raise
    staging.rmdir()
    return ExportResult([out_dir / path.name for path in written])


def _write_all(
    db_path: Path, fmt: ExportFormat, out_dir: Path, bom: bool, dataset: DatasetSettings | None
) -> list[Path]:
    """Every file of the export, written into `out_dir`."""
    conn = connect(db_path)
    files: list[Path] = []
    try:
        # What a build makes as tables must be tables: a view there (a recursive one) never ends.
        require_tables(conn, db_path, BUILT_TABLES)
        with reading(db_path):
            tables = _tables(conn)
            for table in tables:
                files.append(_write_table(conn, table, fmt, out_dir, bom))
            if fmt is ExportFormat.datapackage:
                files.extend(_package_files(conn, tables, out_dir, bom, dataset or DatasetSettings()))
    finally:
        conn.close()
    return files


def _write_table(conn: sqlite3.Connection, table: str, fmt: ExportFormat, out_dir: Path, bom: bool) -> Path:
    columns = _columns(conn, table)
    names = [c for c, _ in columns]
    chosen = ", ".join(f"[{c}]" for c in names)
    cursor = conn.execute(f"select {chosen} from [{table}]{_order(conn, table)}")
    if fmt is ExportFormat.json:
        path = out_dir / f"{table}.json"
        lists = _lists(table)  # list columns as JSON lists, not text holding JSON
        rows = [
            {
                n: json.loads(v) if n in lists and isinstance(v, str) else v
                for n, v in zip(names, row, strict=True)
            }
            for row in cursor
        ]
        path.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return path
    path = out_dir / f"{table}.csv"
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([c for c, _ in columns])
        writer.writerows(map(neutralise_row, cursor) if bom else cursor)
    return path


def _cell(name: str, value: Any, lists: Any) -> Any:
    return json.loads(value) if name in lists and isinstance(value, str) else value


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _package_files(
    conn: sqlite3.Connection, tables: list[str], out_dir: Path, bom: bool, identity: DatasetSettings
) -> list[Path]:
    """The data package's descriptor, and what a person opening the zip reads first and how
    to cite it."""
    files = []
    for name, text in (
        (
            DATAPACKAGE,
            json.dumps(datapackage(conn, tables, bom, identity), ensure_ascii=False, indent=2) + "\n",
        ),
        (README, readme_text(conn, tables, identity)),
        (CITATION, citation_cff(conn, identity)),
    ):
        (out_dir / name).write_text(text, encoding="utf-8")
        files.append(out_dir / name)
    return files


# What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection"), with the
# full-width forms some spreadsheets also accept.
_FORMULA_START = tuple("=+-@\t\r\n＝＋－＠")


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, made inert with a leading `'`."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def neutralise_row(row: tuple[Any, ...]) -> list[Any]:
    return [neutralise(v) for v in row]


_TYPES = {"INTEGER": "integer", "FLOAT": "number", "REAL": "number", "NUMERIC": "number"}


def _resource(conn: sqlite3.Connection, table: str, bom: bool) -> dict[str, Any]:
    """One CSV file's description: its fields with types and descriptions, keys, and what it holds."""
    declared = TABLES.get(table)
    described = declared.described() if declared else {}
    fields = [
        {"name": name, "type": kind, **({"description": described[name]} if described.get(name) else {})}
        for name, kind in _columns(conn, table)
    ]
    schema: dict[str, Any] = {"fields": fields}
    pk = [r[1] for r in sorted(conn.execute(f"pragma table_info([{table}])"), key=lambda r: r[5]) if r[5]]
    if pk:
        schema["primaryKey"] = pk
    fks = [
        # Foreign keys name resources, whose names use dashes.
        {
            "fields": [fk[3]],
            "reference": {"resource": "" if fk[2] == table else fk[2].replace("_", "-"), "fields": [fk[4]]},
        }
        for fk in conn.execute(f"pragma foreign_key_list([{table}])")
    ]
    if fks:
        schema["foreignKeys"] = fks
    resource: dict[str, Any] = {
        "name": table.replace("_", "-"),
        "path": f"{table}.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig" if bom else "utf-8",
        "schema": schema,
    }
    if declared is not None and declared.description:
        resource["description"] = declared.description
    return resource


def datapackage(
    conn: sqlite3.Connection, tables: list[str], bom: bool, dataset: DatasetSettings
) -> dict[str, Any]:
    """A Frictionless data package describing the CSV files: types, keys, descriptions."""
    return {
        "name": dataset.package_name,
        "title": dataset.title,
        "description": dataset.description,
        "version": __version__,
        "licenses": [{"name": dataset.license, "path": dataset.license_url, "title": dataset.license_name}],
        "resources": [_resource(conn, table, bom) for table in tables],
    }
