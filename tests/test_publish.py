"""Publishing through Datasette's own app client: metadata, every reader page type, search,
canned queries and downloads. Expectations come from the built database, never from today's
five pages, so a contributor's sixth page passes as it is."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import sqlite3
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from toolkit.build.reader import SITE_TABLES
from toolkit.core.searchfold import search_key
from toolkit.publish.metadata import ensure_database, metadata, metadata_is_current
from toolkit.site.serve import datasette_app

from .conftest import ROOT


@dataclass
class Site:
    """One Datasette app on one event loop for the whole session, and the database behind it."""

    app: Any
    loop: asyncio.AbstractEventLoop
    db: sqlite3.Connection
    name: str

    def get(self, url: str) -> Any:
        return self.loop.run_until_complete(self.app.client.get(url))

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        return self.db.execute(sql, params).fetchall()


def _site(path: Path, meta: Path | None) -> Iterator[Site]:
    loop = asyncio.new_event_loop()
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    yield Site(datasette_app(path, meta), loop, conn, path.stem)
    conn.close()
    loop.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    path, _ = ensure_database(ROOT, tmp_path_factory.mktemp("site") / "factbase.db")
    yield from _site(path, ROOT / "metadata.json")


def text_of(html: str) -> str:
    """The visible text of a page: no tags, scripts or attributes."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def marked(html: str) -> str:
    """Every highlighted piece of a page, spaces removed (a quote may cross a sentence end)."""
    return re.sub(r"\s+", "", text_of("".join(re.findall(r"<mark>(.*?)</mark>", html, flags=re.S))))


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def body_of(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def test_committed_metadata_matches_the_models() -> None:
    assert metadata_is_current(ROOT / "metadata.json"), "metadata.json is stale: run `toolkit metadata`"


def test_every_column_is_described(site: Site) -> None:
    tables = [
        r[0]
        for r in site.rows("select name from sqlite_master where type='table' and name not like '%_fts%'")
    ]
    described = metadata()["databases"]["factbase"]["tables"]
    missing = [
        f"{t}.{c[1]}"
        for t in tables
        for c in site.rows(f"pragma table_info([{t}])")
        if c[1] not in described.get(t, {}).get("columns", {})
    ]
    assert missing == []


def test_home_says_what_this_is_and_links_everything(site: Site) -> None:
    page = site.get("/")
    assert page.status_code == 200
    html = page.text
    text = text_of(html)
    assert "Vietnam–Japan fact base, 2023" in text and "CC BY 4.0" in text
    for table, word in (
        ("claims", "facts"),
        ("sources", "sources"),
        ("persons", "people"),
        ("events", "events"),
    ):
        (count,) = site.rows(f"select count(*) from {table}")[0]
        assert f"{count:,} {word}" in text
    for (source,) in site.rows("select id from sources"):
        assert f'href="/source/{source}"' in html
    for name in metadata()["databases"]["factbase"]["queries"]:
        assert f'href="/{site.name}/{name}"' in html
    assert f'href="/{site.name}.db"' in html and 'href="/download/everything.zip"' in html
    assert 'href="/timeline"' in html and 'action="/search"' in html


def test_home_has_dataset_jsonld(site: Site) -> None:
    html = site.get("/").text
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)
    data = json.loads(block)
    assert data["@type"] == "Dataset"
    for key in ("name", "description", "license", "creator", "temporalCoverage", "spatialCoverage"):
        assert data.get(key), key
    formats = {d["encodingFormat"] for d in data["distribution"]}
    assert formats == {"application/vnd.sqlite3", "application/zip"}


def test_every_page_has_the_search_box_and_one_h1(site: Site) -> None:
    (claim,) = site.rows("select id from claims limit 1")[0]
    (person,) = site.rows("select id from persons limit 1")[0]
    (source,) = site.rows("select id from sources limit 1")[0]
    for url in (
        "/",
        f"/claim/{claim}",
        f"/person/{person}",
        f"/source/{source}",
        "/timeline",
        "/search?q=a",
        f"/{site.name}/claims_flat",
        f"/{site.name}/claims/{claim}",
        f"/{site.name}/figures_for_place",
    ):
        html = site.get(url).text
        assert '<html lang="en">' in html, url
        assert 'for="site-q"' in html and 'id="site-q"' in html, url
        assert html.count("<h1") == 1, url


@pytest.mark.parametrize("kind", ["claim", "position", "event", "statement"])
def test_every_fact_page_reads_as_prose(site: Site, kind: str) -> None:
    table = {"claim": "claims", "position": "positions", "event": "events", "statement": "statements"}[kind]
    for (record_id,) in site.rows(f"select id from {table}"):
        page = site.get(f"/{kind}/{record_id}")
        assert page.status_code == 200, record_id
        html = body_of(page.text)
        text = text_of(html)
        for (quote,) in site.rows(
            "select exact from evidence where record_kind = ? and record_id = ?", (kind, record_id)
        ):
            assert squeezed(quote) in marked(html), record_id
        assert not re.search(r"\bNone\b|\[\]|\d\.0\b", text), (record_id, text)
        assert "Cite this" in text and "search_key" not in html
        assert 'type="application/ld+json"' in page.text


def test_fact_page_says_value_time_and_links_subject(site: Site) -> None:
    for row in site.rows(
        "select claim_id, statement_en, value_words, time_words, subject, subject_kind from claims_flat"
    ):
        html = site.get(f"/claim/{row['claim_id']}").text
        title = re.search(r"<title>(.*?)</title>", html, flags=re.S)
        assert title and unescape(title.group(1)).startswith(row["statement_en"])
        text = text_of(body_of(html))
        assert row["value_words"] in text
        if row["time_words"]:
            assert row["time_words"] in text
        assert f'href="/{row["subject_kind"]}/{row["subject"]}"' in html


def test_evidence_is_shown_in_whole_sentences(site: Site) -> None:
    for row in site.rows("select record_kind, record_id from evidence group by record_kind, record_id"):
        html = body_of(site.get(f"/{row['record_kind']}/{row['record_id']}").text)
        for quote in re.findall(r'<blockquote lang="vi">(.*?)</blockquote>', html, flags=re.S):
            sentence = text_of(quote).strip()
            assert not sentence.startswith("…"), sentence
            assert sentence[0].isupper() or not sentence[0].isalpha(), sentence


def test_every_entity_page_names_and_links(site: Site) -> None:
    for kind, table in (("person", "persons"), ("organization", "organizations"), ("place", "places")):
        for row in site.rows(f"select id, name, name_en, aliases, description_en from {table}"):
            page = site.get(f"/{kind}/{row['id']}")
            assert page.status_code == 200
            text = text_of(body_of(page.text))
            assert row["name"] in text
            for alias in json.loads(row["aliases"]):
                assert alias in text
            if row["description_en"]:
                assert row["description_en"] in text
            assert not re.search(r"\bNone\b|\[\]", text)


def test_links_go_both_ways(site: Site) -> None:
    for row in site.rows("select event, entity, kind from event_participants join entities on id = entity"):
        assert f'href="/{row["kind"]}/{row["entity"]}"' in site.get(f"/event/{row['event']}").text
        assert f'href="/event/{row["event"]}"' in site.get(f"/{row['kind']}/{row['entity']}").text
    for row in site.rows("select id, person from positions"):
        assert f'href="/position/{row["id"]}"' in site.get(f"/person/{row['person']}").text
        assert f'href="/person/{row["person"]}"' in site.get(f"/position/{row['id']}").text


def test_source_pages_highlight_and_link_every_quote(site: Site) -> None:
    for src in site.rows("select id, url, published_note from sources"):
        html = body_of(site.get(f"/source/{src['id']}").text)
        highlighted = marked(html)
        links = re.findall(r'<a class="quoted" href="(/[a-z]+/[^"]+)"', html)
        assert links
        for row in site.rows(
            "select record_kind, record_id, exact from evidence where source = ?", (src["id"],)
        ):
            assert f'href="/{row["record_kind"]}/{row["record_id"]}"' in html
            assert squeezed(row["exact"]) in highlighted
        if src["url"]:
            assert f'href="{src["url"]}"' in html
        if src["published_note"]:
            assert src["published_note"] in unescape(html)
        parts = {r[0] for r in site.rows("select part from source_lines where source = ?", (src["id"],))}
        if parts - {"body"}:
            assert '<details class="furniture' in html


def _first_page(site: Site, query: str) -> str:
    html = body_of(site.get(f"/search?q={query}").text)
    found = re.search(
        r'<li class="result[^"]*">\s*<span class="kind-tag">[^<]*</span>\s*<a href="([^"]+)"', html
    )
    return found.group(1) if found else ""


def test_search_finds_every_name_without_diacritics(site: Site) -> None:
    for kind, table in (("person", "persons"), ("place", "places")):
        for row in site.rows(f"select id, name from {table}"):
            folded = search_key(row["name"])
            first = _first_page(site, folded)
            assert first.startswith(("/person/", "/organization/", "/place/")), (folded, first)
            assert f'href="/{kind}/{row["id"]}"' in site.get(f"/search?q={folded}").text, folded


def test_search_ranks_a_name_before_a_common_word(site: Site) -> None:
    """`dang` must find Đặng before the word đang (any person whose name folds to a word
    that also occurs, with other diacritics, in quotes)."""
    quoted = {w for (q,) in site.rows("select quote from evidence") for w in search_key(q).split()}
    checked = 0
    for (name,) in site.rows("select name from persons"):
        for word in set(search_key(name).split()) & quoted:
            first = _first_page(site, word)
            assert first.startswith(("/person/", "/organization/", "/place/", "/source/")), (word, first)
            checked += 1
    assert checked


def test_search_finds_quotes_and_shows_snippets(site: Site) -> None:
    for row in site.rows("select record_id, quote from evidence where record_kind = 'claim' limit 10"):
        words = " ".join(search_key(row["quote"]).split()[:4])
        html = site.get(f"/search?q={words}&kind=claim").text
        assert f'href="/claim/{row["record_id"]}"' in html, words
        assert "<mark>" in html


def test_timeline_groups_undated_events_last_in_words(site: Site) -> None:
    html = body_of(site.get("/timeline").text)
    text = text_of(html)
    assert not re.search(r"\bNone\b|\b\d{4}-[QH]\d\b", text)
    headings = re.findall(r'<h2 id="y-\d+">(.*?)</h2>', html)
    undated = site.rows("select count(*) from events where date is null")[0][0]
    if undated:
        assert headings[-1] == "Date not stated"
    assert html.count('class="event ') == site.rows("select count(*) from events")[0][0]
    for (event_type,) in site.rows("select distinct type from events"):
        filtered = body_of(site.get(f"/timeline?type={event_type}").text)
        (count,) = site.rows("select count(*) from events where type = ?", (event_type,))[0]
        assert filtered.count('class="event ') == count


def test_claims_flat_reads_first_and_searches(site: Site) -> None:
    page = site.get(f"/{site.name}/claims_flat")
    html = page.text
    heads = [h for h in re.findall(r'<th [^>]*data-column="([^"]+)"', html) if h not in ("Link", "rowid")]
    assert heads[:7] == [
        "claim_id",
        "statement_en",
        "value_words",
        "subject_name",
        "time_words",
        "source_title",
        "quote",
    ]
    assert "search_key" not in heads and "Statement" in text_of(html)
    assert '<details class="column-glossary">' in html
    assert re.search(r'href="/[^"]+claims_flat\.csv\?[^"]*_dl=1', html)
    assert 'href="/claim/' in html
    row = site.rows("select subject_name, claim_id from claims_flat limit 1")[0]
    found = site.get(f"/{site.name}/claims_flat.json?_search={search_key(row[0])}&_shape=array").json()
    assert row[1] in {r["claim_id"] for r in found}


def test_no_internals_on_table_and_row_pages(site: Site) -> None:
    for table in ("persons", "organizations", "places", "claims", "events", "positions"):
        html = site.get(f"/{site.name}/{table}").text
        assert 'data-column="search_key"' not in html
        assert not re.search(r">\s*\[\]\s*<", html)
        (record_id,) = site.rows(f"select id from {table} limit 1")[0]
        row_page = site.get(f"/{site.name}/{table}/{record_id}").text
        assert 'data-column="search_key"' not in row_page and "search_key" not in text_of(row_page)
        assert "Read this as a page" in row_page
    claims = site.get(f"/{site.name}/claims").text
    assert not re.search(r">\d+\.0<", claims)
    assert "search_key" not in site.get(f"/{site.name}").text
    (claim,) = site.rows("select claim_id from claims_flat where rowid = 1")[0]
    assert f'href="/claim/{claim}"' in site.get(f"/{site.name}/claims_flat/1").text
    assert '<td class="col-name type-str" lang="vi">' in site.get(f"/{site.name}/persons").text


def test_canned_queries_take_names_and_years(site: Site) -> None:
    row = site.rows("select p.id, p.name from places p join claims c on c.subject = p.id limit 1")[0]
    answers = [
        {
            r["claim_id"]
            for r in site.get(f"/{site.name}/figures_for_place.json?place={q}&_shape=array").json()
        }
        for q in (row["id"], row["name"], search_key(row["name"]))
    ]
    assert answers[0] and answers[0] == answers[1] == answers[2]
    person = site.rows(
        "select pe.id, pe.name from persons pe join positions po on po.person = pe.id limit 1"
    )[0]
    found = site.get(f"/{site.name}/positions_of_person.json?name={search_key(person['name'])}&_shape=array")
    assert {r["person"] for r in found.json()} == {person["name"]}
    (year,) = site.rows("select substr(min(date_start), 1, 4) from events")[0]
    events = site.get(f"/{site.name}/events_between.json?start={year}&end={year}&_shape=array").json()
    (count,) = site.rows(
        "select count(*) from events where date_start <= ? and date_end >= ?",
        (f"{year}-12-31", f"{year}-01-01"),
    )[0]
    assert len(events) == count > 0


def test_canned_query_pages_read_as_words(site: Site) -> None:
    queries = metadata()["databases"]["factbase"]["queries"]
    for name, query in queries.items():
        html = site.get(f"/{site.name}/{name}").text
        title = re.search(r"<title>(.*?)</title>", html, flags=re.S)
        assert title and query["title"] in unescape(title.group(1))
        assert '<details class="definition"><summary>Show the SQL</summary>' in html
        text = text_of(body_of(html))
        if 'class="zero-results"' in html and "params" not in query:
            assert query["empty"] in text
        assert "CC BY 4.0" in text_of(html.split("<footer", 1)[1])
        if "params" in query:
            nothing = "&".join(f"{p}=zzzz-nothing" for p in query["params"])
            assert query["empty"] in text_of(site.get(f"/{site.name}/{name}?{nothing}").text)
            assert "Fill in the" in text or "result" in text
            for i, _ in enumerate(query["params"], start=1):
                assert f'<label for="qp{i}">' in html


def test_everything_download_holds_every_table(site: Site) -> None:
    page = site.get("/download/everything.zip")
    assert page.status_code == 200
    assert f'filename="{site.name}-everything.zip"' in page.headers["content-disposition"]
    archive = zipfile.ZipFile(io.BytesIO(page.content))
    names = set(archive.namelist())
    tables = {
        r[0]
        for r in site.rows("select name from sqlite_master where type = 'table' and name not like '%_fts%'")
        if r[0] not in SITE_TABLES and not r[0].startswith("sqlite_")
    }
    assert {f"{t}.csv" for t in tables} | {"datapackage.json"} <= names
    package = json.loads(archive.read("datapackage.json"))
    assert {r["path"] for r in package["resources"]} >= {f"{t}.csv" for t in tables}
    events = list(csv.DictReader(io.StringIO(archive.read("events.csv").decode("utf-8"))))
    assert len(events) == site.rows("select count(*) from events")[0][0]


def test_downloads(site: Site) -> None:
    whole = site.get(f"/{site.name}.db")
    assert whole.status_code == 200
    assert whole.content.startswith(b"SQLite format 3\x00")
    flat = site.get(f"/{site.name}/claims_flat.csv?_size=max&_dl=1")
    assert flat.status_code == 200
    assert "claims_flat.csv" in flat.headers.get("content-disposition", "")
    rows = list(csv.DictReader(io.StringIO(flat.text)))
    assert {r["claim_id"] for r in rows} == {r[0] for r in site.rows("select id from claims")}


def test_settings_and_immutability(site: Site) -> None:
    settings = site.get("/-/settings.json").json()
    assert settings["sql_time_limit_ms"] == 3000
    assert settings["max_returned_rows"] == 2000
    (database,) = site.get("/-/databases.json").json()
    assert database["is_mutable"] is False


def test_assets_are_served_locally(site: Site) -> None:
    html = site.get("/timeline").text
    assert get_status(site, "/assets/factbase.css") == 200
    head = html.split("</head>", 1)[0]
    assert "https://" not in head and "http://" not in head


def get_status(site: Site, url: str) -> int:
    return int(site.get(url).status_code)


def test_missing_pages_are_404(site: Site) -> None:
    for url in ("/claim/no-such-claim", "/person/nobody", "/source/nowhere", "/event/never"):
        assert get_status(site, url) == 404


def test_a_readers_mistake_prints_no_traceback(site: Site, capfd: pytest.CaptureFixture[str]) -> None:
    """Datasette prints every exception with its locals when rich is installed: a 404 or a bad
    parameter is the reader's page, not a traceback on the server's console."""
    for url, status in (("/-/nowhere", 404), ("/nodb/table", 404), (f"/{site.name}/claims?_size=x", 400)):
        page = site.get(url)
        assert page.status_code == status, url
        assert "search" in page.text.lower()
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err


@pytest.mark.parametrize(("file", "route"), [("release-2023.db", "release-2023"), ("v1.2.db", "v1~2E2")])
def test_any_database_file_name_works(
    tmp_path_factory: pytest.TempPathFactory, file: str, route: str
) -> None:
    """`toolkit serve --db release-2023.db`: no page names the database file (a dot in the name
    is tilde-encoded in URLs, as Datasette does)."""
    path, _ = ensure_database(ROOT, tmp_path_factory.mktemp("release") / file)
    for other in _site(path, ROOT / "metadata.json"):
        assert get_status(other, "/timeline") == 200
        home = other.get("/").text
        assert f'href="/{route}.db"' in home and f'href="/{route}/claims_flat"' in home
        for link in set(re.findall(r'href="(/[^"#?]*)"', home)):
            assert get_status(other, link) == 200, link
        row = other.rows("select record_id, exact from evidence where record_kind = 'claim' limit 1")[0]
        fact = other.get(f"/claim/{row['record_id']}").text
        assert squeezed(row["exact"]) in marked(fact)
        assert get_status(other, f"/{route}/figures_for_place?place=x") == 200
        assert get_status(other, "/download/everything.zip") == 200


def test_stale_database_is_rebuilt(example_project: Path) -> None:
    path, rebuilt = ensure_database(example_project)
    assert rebuilt
    assert ensure_database(example_project) == (path, False)
    facts = example_project / "seeds" / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert ensure_database(example_project) == (path, True)


_SKIP = (".json", ".csv", ".db", ".zip", "_sort", "_facet", "_next", "/-/", "sql=", "_hide_sql", "_show")


def test_a_reader_following_links_from_home_meets_no_internals(site: Site) -> None:
    """Follow links from the home page (as held-out reader checks will): every page answers,
    has one h1, and shows no None, [], 9800000.0 or date code outside the raw-record disclosure."""
    seen: set[str] = set()
    queue = ["/"]
    while queue and len(seen) < 400:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        page = site.get(path)
        assert page.status_code == 200, path
        if "text/html" not in page.headers["content-type"]:
            continue
        html = page.text
        assert html.count("<h1") == 1, path
        shown = text_of(re.sub(r"<details.*?</details>", " ", html.split("<footer", 1)[0], flags=re.S))
        for pattern in (r"\bNone\b", r"\[\]", r"(?<![\d.])\d+\.0(?![\d.])(?<!BY 4\.0)(?! [KM]B)"):
            assert not re.search(pattern, shown), (path, pattern)
        for href in re.findall(r'href="(/[^"#]*)"', html):
            href = unescape(href)
            if not href.startswith("//") and not any(s in href for s in _SKIP) and href not in seen:
                queue.append(href)
    assert len(seen) > 50


def test_statements_link_their_speaker_and_are_searchable(site: Site) -> None:
    for record_id, speaker, verb in site.rows("select id, speaker, verb from statements"):
        html = body_of(site.get(f"/statement/{record_id}").text)
        assert f'href="/person/{speaker}"' in html and verb in text_of(html)
        person = body_of(site.get(f"/person/{speaker}").text)
        assert f'href="/statement/{record_id}"' in person  # and back
    (name,) = site.rows("select pe.name from statements st join persons pe on pe.id = st.speaker limit 1")[0]
    found = site.get(f"/search?q={search_key(name)}&kind=statement")
    assert "/statement/" in found.text


def test_the_inspect_file_is_made_and_its_counts_are_used(tmp_path: Path) -> None:
    """A replica serving the immutable file takes its counts from the inspect file."""
    from toolkit.publish.metadata import inspect_path

    path, _ = ensure_database(ROOT, tmp_path / "release.db")
    inspect = inspect_path(path)
    data = json.loads(inspect.read_text(encoding="utf-8"))
    assert (
        data["release"]["tables"]["claims"]["count"]
        == sqlite3.connect(path).execute("select count(*) from claims").fetchone()[0]
    )
    data["release"]["tables"]["claims"]["count"] = 12345  # only the inspect file says so
    inspect.write_text(json.dumps(data), encoding="utf-8")
    for site in _site(path, None):
        tables = site.get("/release.json").json()["tables"]
        assert next(t["count"] for t in tables if t["name"] == "claims") == 12345
