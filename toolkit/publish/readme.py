"""README.txt and CITATION.cff for the data package: what a person opening the zip reads first
(what the dataset is, its licence, every file and how to read it in pandas and R) and how to
cite it. Both come from the project's settings (factbase.toml), the table registry and the
build's provenance, so nothing here names a dataset."""

from __future__ import annotations

import json
import sqlite3
import textwrap

from toolkit.build.tables import TABLES
from toolkit.core.settings import DatasetSettings

README = "README.txt"
CITATION = "CITATION.cff"


def _build_info(conn: sqlite3.Connection) -> dict[str, str]:
    try:
        return dict(conn.execute("select key, value from build_info").fetchall())
    except sqlite3.Error:
        return {}


def _wrapped(text: str, indent: str = "") -> str:
    return textwrap.fill(text, width=96, initial_indent=indent, subsequent_indent=indent)


def _files(conn: sqlite3.Connection, tables: list[str]) -> list[str]:
    """One paragraph per CSV file: its name, rows and what it holds (the registry's words)."""
    out = []
    for table in tables:
        (count,) = conn.execute(f"select count(*) from [{table}]").fetchone()
        declared = TABLES.get(table)
        what = declared.description if declared else ""
        out.append(_wrapped(f"{table}.csv ({count:,} rows): {what}", "  "))
    return out


_READING = """\
Reading the files

  Every file is UTF-8 CSV with a header row; datapackage.json (Frictionless) gives each column's
  type and description, the primary keys and the foreign keys between files. An empty cell is a
  missing value. Lists (aliases, checked, topics) are JSON arrays in one cell. Record dates are
  as precise as the source (2023, 2023-06, 2023-06-03, 2023-Q3, 2023-H2, or START/END); columns
  ending in _start and _end give the first and last day as ISO dates, which data tools read as
  dates. A source's publication date is published_start and published_end: one day for a dated
  page, a window where the page prints no date.

  Python (pandas):
    import json
    import pandas as pd
    claims = pd.read_csv("claims.csv")
    sources = pd.read_csv("sources.csv", parse_dates=["published_start", "published_end"])
    places = pd.read_csv("places.csv", converters={"aliases": json.loads})

  R:
    claims <- read.csv("claims.csv", encoding = "UTF-8")
    sources <- read.csv("sources.csv", encoding = "UTF-8")
    sources$published_start <- as.Date(sources$published_start)
    places <- read.csv("places.csv", encoding = "UTF-8")
    places$aliases <- lapply(places$aliases, jsonlite::fromJSON)

  claims_flat.csv has one row per fact and quote: a fact quoted twice has two rows, so it has
  more rows than claims.csv has facts.
"""


def readme_text(conn: sqlite3.Connection, tables: list[str], dataset: DatasetSettings) -> str:
    """README.txt: the dataset, its licence and provenance, each file, and how to read them."""
    info = _build_info(conn)
    head = [
        dataset.title,
        "=" * len(dataset.title),
        "",
        _wrapped(dataset.description),
        "",
        f"Creator: {dataset.creator}",
        f"Licence: {dataset.license_name} ({dataset.license_url}); {dataset.rights_note}.",
    ]
    if dataset.repository:
        head.append(f"Repository: {dataset.repository}")
    if info:
        head.append(
            f"Built: {info.get('built_at', '')} with the fact base toolkit "
            f"{info.get('toolkit_version', '')}; content hash {info.get('content_hash', '')[:16]}."
        )
    head += ["Cite it as CITATION.cff says.", "", "Files", ""]
    return "\n".join([*head, *_files(conn, tables), "", _READING])


def _yaml(value: str) -> str:
    """A YAML scalar: JSON's double-quoted strings are YAML's too."""
    return json.dumps(value, ensure_ascii=False)


def citation_cff(conn: sqlite3.Connection, dataset: DatasetSettings) -> str:
    """CITATION.cff (Citation File Format 1.2.0) of the dataset as built."""
    info = _build_info(conn)
    built = info.get("built_at", "")[:10]
    lines = [
        "cff-version: 1.2.0",
        f"message: {_yaml('If you use this dataset, please cite it as below.')}",
        "type: dataset",
        f"title: {_yaml(dataset.title)}",
        f"abstract: {_yaml(dataset.description)}",
        "authors:",
        f"  - name: {_yaml(dataset.creator)}",
        f"license: {_yaml(dataset.license)}",
    ]
    if info.get("content_hash"):
        lines.append(f"version: {_yaml(info['content_hash'][:12])}")
    if built:
        lines.append(f"date-released: {_yaml(built)}")
    if dataset.repository:
        lines.append(f"repository: {_yaml(dataset.repository)}")
    return "\n".join(lines) + "\n"
