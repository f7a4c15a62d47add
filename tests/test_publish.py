"""Publishing through Datasette's own app client: metadata, pages, search, queries, downloads."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from toolkit.publish import datasette_app, ensure_database, metadata, metadata_is_current

from .conftest import ROOT


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path, _ = ensure_database(ROOT, tmp_path_factory.mktemp("site") / "factbase.db")
    return path


def get(db: Path, url: str) -> Any:
    async def fetch() -> Any:
        return await datasette_app(db, ROOT / "metadata.json").client.get(url)

    return asyncio.run(fetch())


def test_committed_metadata_matches_the_models() -> None:
    assert metadata_is_current(ROOT / "metadata.json"), "metadata.json is stale: run `toolkit metadata`"


def test_every_column_is_described(db: Path) -> None:
    import sqlite3

    conn = sqlite3.connect(db)
    tables = [
        r[0]
        for r in conn.execute("select name from sqlite_master where type='table' and name not like '%_fts%'")
    ]
    described = metadata()["databases"]["factbase"]["tables"]
    missing = [
        f"{t}.{c[1]}"
        for t in tables
        for c in conn.execute(f"pragma table_info([{t}])")
        if c[1] not in described.get(t, {}).get("columns", {})
    ]
    assert missing == []


def test_index_shows_title_and_license(db: Path) -> None:
    page = get(db, "/")
    assert page.status_code == 200
    assert "Vietnam–Japan fact base, 2023" in page.text
    assert "CC BY 4.0" in page.text
    assert 'href="/timeline"' in page.text


def test_flat_view_renders_vietnamese(db: Path) -> None:
    page = get(db, "/factbase/claims_flat")
    assert page.status_code == 200
    assert "khoảng 9,8 triệu đô la" in page.text
    assert "Báo Lào Cai" in page.text


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/factbase/persons.json?_search=Dang+Xuan+Phong&_shape=array", ["Đặng Xuân Phong"]),
        ("/factbase/persons.json?_search=to+huy+rua&_shape=array", ["Tô Huy Rứa"]),
        ("/factbase/persons.json?_search=Đặng&_shape=array", ["Đặng Xuân Phong"]),
        ("/factbase/places.json?_search=sa+pa&_shape=array", ["Sa Pa"]),
    ],
)
def test_search_folds_diacritics_and_d(db: Path, url: str, expected: list[str]) -> None:
    rows = get(db, url).json()
    assert [r["name"] for r in rows] == expected


def test_search_finds_events_by_place(db: Path) -> None:
    rows = get(db, "/factbase/events.json?_search=Fukuoka&_shape=array").json()
    assert "hanoi-delegation-visit-fukuoka-2023" in {r["id"] for r in rows}
    rows = get(db, "/factbase/events.json?_search=Sa+Pa&_shape=array").json()
    assert {"vn-jp-parliamentarians-meeting-3", "sa-pa-tourism-120th-anniversary"} <= {r["id"] for r in rows}


@pytest.mark.parametrize(
    ("query", "params", "column", "value"),
    [
        ("figures_for_place", "place=vietnam", "claim_id", "lao-cai-jica-grant-total"),
        ("positions_of_person", "name=dang+xuan", "person_name", "Đặng Xuân Phong"),
        ("events_between", "start=2023-06-01&end=2023-06-30", "event", "vn-jp-parliamentarians-meeting-3"),
    ],
)
def test_canned_queries(db: Path, query: str, params: str, column: str, value: str) -> None:
    rows = get(db, f"/factbase/{query}.json?{params}&_shape=array").json()
    assert value in [r[column] for r in rows]


def test_corroborated_and_conflicts_run(db: Path) -> None:
    assert get(db, "/factbase/corroborated.json?_shape=array").status_code == 200
    assert get(db, "/factbase/conflicting.json?_shape=array").json() == []


def test_fact_page_shows_quote_and_source(db: Path) -> None:
    page = get(db, "/factbase/claims/lao-cai-jica-grant-total")
    assert page.status_code == 200
    assert "<mark>Từ năm 2006 đến nay, Lào Cai" in page.text
    assert "Báo Lào Cai" in page.text
    assert "line 22" in page.text


def test_timeline_page_needs_no_outside_network(db: Path) -> None:
    page = get(db, "/timeline")
    assert page.status_code == 200
    assert "Third meeting of the Vietnam–Japan Friendship Parliamentarians" in page.text
    assert "https://" not in page.text.split("<footer", 1)[0].replace("https://creativecommons.org", "")
    assert get(db, "/assets/factbase.css").status_code == 200


def test_downloads(db: Path) -> None:
    whole = get(db, "/factbase.db")
    assert whole.status_code == 200
    assert whole.content.startswith(b"SQLite format 3\x00")
    flat = get(db, "/factbase/claims_flat.csv?_size=max")
    assert flat.status_code == 200
    rows = list(csv.DictReader(io.StringIO(flat.text)))
    assert {r["claim_id"] for r in rows} >= {"lao-cai-jica-grant-total", "japan-oda-provider-rank"}
    assert json.loads(get(db, "/factbase/claims.json?_shape=array").text)[0]["id"]


def test_settings_and_immutability(db: Path) -> None:
    settings = get(db, "/-/settings.json").json()
    assert settings["sql_time_limit_ms"] == 3000
    assert settings["max_returned_rows"] == 2000
    (database,) = get(db, "/-/databases.json").json()
    assert database["is_mutable"] is False


def test_stale_database_is_rebuilt(example_project: Path) -> None:
    path, rebuilt = ensure_database(example_project)
    assert rebuilt
    assert ensure_database(example_project) == (path, False)
    facts = example_project / "seeds" / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert ensure_database(example_project) == (path, True)
