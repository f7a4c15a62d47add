"""Issue 22, points 7 and 8: no empty labels, plurals right, JSON-LD valid (a real date, a
window elsewhere, no publisher where the page names none), NewsArticle on source pages,
og:title and og:description on every reader page, a "report an error" link where the settings
name a repository (and none where they do not); and every row from the JSON API as the README
says."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from toolkit.build.words import plural, quantity_words
from toolkit.core.settings import DatasetSettings, Settings
from toolkit.publish.metadata import ensure_database, metadata

from .conftest import ROOT
from .test_publish import Site, _site, body_of, site, text_of

__all__ = ["site"]

_JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', flags=re.S)
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)?)?$")


def reader_pages(site: Site) -> Iterator[str]:
    """Every reader page: home, lists, and each record's page."""
    yield from ("/", "/facts", "/timeline", "/search?q=nhat", "/people", "/organizations")
    yield from ("/places", "/events", "/sources", "/properties")
    for kind, table in (
        ("claim", "claims"),
        ("statement", "statements"),
        ("position", "positions"),
        ("event", "events"),
        ("person", "persons"),
        ("organization", "organizations"),
        ("place", "places"),
        ("source", "sources"),
        ("property", "properties"),
    ):
        for (record_id,) in site.rows(f"select id from {table}"):
            yield f"/{kind}/{record_id}"


@pytest.fixture(scope="module")
def pages(site: Site) -> dict[str, str]:
    out = {}
    for url in reader_pages(site):
        page = site.get(url)
        assert page.status_code == 200, url
        out[url] = page.text
    return out


def test_no_empty_labels(site: Site, pages: dict[str, str]) -> None:
    for url, html in pages.items():
        body = body_of(html)
        assert not re.search(r'<span class="kind-tag">\s*</span>', body), url
        assert not re.search(r"<dt>\s*</dt>|<dd>\s*</dd>", body), url
    for (source,) in site.rows("select id from sources"):
        records = re.search(r'aria-labelledby="records-h">(.*?)</section>', pages[f"/source/{source}"], re.S)
        assert records
        tags = re.findall(r'<span class="kind-tag">([^<]*)</span> <a href="/([a-z]+)/', records.group(1))
        assert tags and all(tag.strip() for tag, _ in tags), source
        kinds = {
            r[0] for r in site.rows("select distinct record_kind from evidence where source = ?", (source,))
        }
        assert {kind for _, kind in tags} == kinds


def test_plurals_are_english() -> None:
    assert quantity_words(3, "activity") == "3 activities"
    assert quantity_words(1, "activity") == "1 activity"
    assert quantity_words(2, "planned activity") == "2 planned activities"
    assert quantity_words(4, "day") == "4 days" and quantity_words(2, "person") == "2 people"
    assert quantity_words(2, "class") == "2 classes" and quantity_words(2, "delegation") == "2 delegations"
    assert plural(1, "fact") == "1 fact" and plural(1_200, "property") == "1,200 properties"


def test_no_page_says_a_wrong_plural(pages: dict[str, str]) -> None:
    wrong = re.compile(r"\b[A-Za-z]*[b-df-hj-np-tv-z]ys\b")
    for url, html in pages.items():
        found = wrong.findall(text_of(body_of(html)))
        assert not [w for w in found if w.lower() not in {"days", "ways", "says", "keys", "guys"}], (
            url,
            found,
        )


def _articles(data: object) -> Iterator[dict[str, object]]:
    if isinstance(data, dict):
        if data.get("@type") == "NewsArticle":
            yield data
        for value in data.values():
            yield from _articles(value)
    elif isinstance(data, list):
        for value in data:
            yield from _articles(value)


def test_jsonld_dates_and_publishers_are_valid(site: Site, pages: dict[str, str]) -> None:
    sources = {r["title"]: r for r in site.rows("select * from sources")}
    seen = 0
    for url, html in pages.items():
        for block in _JSONLD.findall(html):
            for article in _articles(json.loads(block)):
                seen += 1
                source = sources[str(article["headline"])]
                if "datePublished" in article:
                    assert _DAY.match(str(article["datePublished"])), (url, article["datePublished"])
                    assert source["published_start"] == source["published_end"]
                else:
                    window = article["publication"]
                    assert isinstance(window, dict) and window["@type"] == "PublicationEvent"
                    assert (window["startDate"], window["endDate"]) == (
                        source["published_start"],
                        source["published_end"],
                    ), url
                assert ("publisher" in article) == bool(source["publisher_named"]), url
    assert seen
    for (source,) in site.rows("select id from sources"):
        blocks = [json.loads(b) for b in _JSONLD.findall(pages[f"/source/{source}"])]
        assert [b["@type"] for b in blocks] == ["NewsArticle"], source


def test_every_reader_page_has_open_graph_tags(pages: dict[str, str]) -> None:
    for url, html in pages.items():
        head = html.split("</head>", 1)[0]
        for prop in ("og:title", "og:description"):
            found = re.search(rf'<meta property="{prop}" content="([^"]*)">', head)
            assert found and unescape(found.group(1)).strip(), (url, prop)
            assert "None" not in found.group(1), (url, prop)


def _site_with(tmp_path: Path, database: Path, repository: str | None) -> Iterator[Site]:
    settings = Settings(dataset=DatasetSettings(repository=repository))
    meta = tmp_path / "metadata.json"
    meta.write_text(json.dumps(metadata(settings)), encoding="utf-8")
    yield from _site(database, meta)


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ensure_database(ROOT, tmp_path_factory.mktemp("report") / "factbase.db")[0]


@pytest.mark.parametrize("kind", ["claim", "statement", "position", "event"])
def test_report_an_error_opens_an_issue_for_the_record(tmp_path: Path, database: Path, kind: str) -> None:
    repository = "https://github.com/example-org/facts"
    for other in _site_with(tmp_path, database, repository + ".git"):
        (record_id,) = other.rows(f"select id from {kind}s limit 1")[0]
        html = body_of(other.get(f"/{kind}/{record_id}").text)
        link = re.search(r'<p class="report"><a href="([^"]+)"', html)
        assert link, kind
        url = urlsplit(unescape(link.group(1)))
        assert f"{url.scheme}://{url.netloc}{url.path}" == f"{repository}/issues/new"
        asked = parse_qs(url.query)
        assert record_id in asked["title"][0]
        assert record_id in asked["body"][0] and f"/{kind}/{record_id}" in asked["body"][0]


def test_without_a_repository_there_is_no_report_link(tmp_path: Path, database: Path) -> None:
    for other in _site_with(tmp_path, database, None):
        (claim,) = other.rows("select id from claims limit 1")[0]
        html = other.get(f"/claim/{claim}").text
        assert "Report an error" not in html and "/issues/new" not in html
        assert "Cite this" in text_of(html)  # the rest of the page is whole


def test_every_row_from_the_json_api_as_the_readme_says(site: Site) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Every row from the JSON API", 1)[1].split("\n### ", 1)[0]
    assert "_size=max" in section and "next_url" in section and 'rel="next"' in section
    (count,) = site.rows("select count(*) from claims")[0]
    assert count > 1
    size = min(50, count - 1)  # a first page that leaves rows for the next, whatever the dataset
    first = site.get(f"/{site.name}/claims.json?_shape=array&_size={size}")
    assert len(first.json()) == size and 'rel="next"' in first.headers["link"]
    every = site.get(f"/{site.name}/claims.json?_shape=array&_size=max").json()
    assert len(every) == count
    rows: list[object] = []
    url: str | None = f"/{site.name}/claims.json?_size=10&_shape=objects"
    while url:
        page = site.get(url).json()
        rows += page["rows"]
        url = page.get("next_url")
        url = urlsplit(url)._replace(scheme="", netloc="").geturl() if url else None
    assert len(rows) == count


def test_the_everything_zip_holds_a_readme_and_a_citation(site: Site) -> None:
    import io
    import zipfile

    import yaml

    archive = zipfile.ZipFile(io.BytesIO(site.get("/download/everything.zip").content))
    names = set(archive.namelist())
    assert {"README.txt", "CITATION.cff", "datapackage.json"} <= names
    readme = archive.read("README.txt").decode("utf-8")
    assert all(name in readme for name in names if name.endswith(".csv"))
    cff = yaml.safe_load(archive.read("CITATION.cff"))
    assert cff["cff-version"] == "1.2.0" and cff["title"] == site.get("/-/metadata.json").json()["title"]
    header = archive.read("sources.csv").decode("utf-8").splitlines()[0].split(",")
    assert "published_start" in header and "published" not in header and "search_key" not in header
