"""End to end in a real headless Chromium (Debian's package, driven by Playwright), at 1280 px
and 390 px: a reader goes home → search without diacritics → fact → source → entity →
timeline → the everything download. Each page is checked for visible content, no horizontal
overflow on a phone, one h1, headings in order, labelled inputs and alt text; screenshots of
every page type are kept in artifacts/screenshots/ (set SCREENSHOTS to move them)."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from toolkit.core.searchfold import search_key

from .conftest import ROOT

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None and os.environ.get("CI") != "true":
    pytest.skip("Debian's chromium is not installed (CI installs it)", allow_module_level=True)

SHOTS = Path(os.environ.get("SCREENSHOTS", ROOT / "artifacts" / "screenshots"))

# Runs in the page: what a reader and a screen reader meet. Returns a list of problems.
AUDIT = """() => {
  const problems = [];
  const h1 = document.querySelectorAll('h1');
  if (h1.length !== 1) problems.push(`${h1.length} h1 elements`);
  let last = 0;
  for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    const level = Number(h.tagName[1]);
    if (last && level > last + 1) {
      problems.push(`heading ${h.tagName} after h${last}: ${h.textContent.trim()}`);
    }
    last = level;
  }
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (el.type === 'hidden' || el.type === 'submit' || el.type === 'button') continue;
    const labelled = el.getAttribute('aria-label') || el.closest('label') ||
      (el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`));
    if (!labelled) problems.push(`unlabelled ${el.tagName} ${el.name}`);
  }
  for (const img of document.querySelectorAll('img')) {
    if (!img.hasAttribute('alt')) problems.push(`img without alt: ${img.src}`);
  }
  const over = document.documentElement.scrollWidth - window.innerWidth;
  if (window.innerWidth < 500 && over > 0) problems.push(`${over}px of horizontal overflow`);
  if (!document.documentElement.lang) problems.push('no lang on html');
  return problems;
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    port = _free_port()
    db = tmp_path_factory.mktemp("browser") / "factbase.db"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "toolkit",
            "serve",
            "--project",
            str(ROOT),
            "--port",
            str(port),
            "--db",
            str(db),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/-/versions.json", timeout=2)
            break
        except OSError as exc:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                log = server.stderr.read() if server.stderr else b""
                raise RuntimeError(f"server did not start: {log!r}") from exc
            time.sleep(0.3)
    yield url, db
    server.terminate()
    server.wait(timeout=10)


def _reader_claim(db: Path) -> tuple[str, str, str]:
    """A claim to look for, chosen from the data (never pinned): id, statement, quote words."""
    conn = sqlite3.connect(db)
    try:
        claim_id, statement, quote = conn.execute(
            "select c.id, c.statement_en, e.quote from claims c join evidence e "
            "on e.record_kind = 'claim' and e.record_id = c.id order by length(e.quote) desc, c.id limit 1"
        ).fetchone()
    finally:
        conn.close()
    return claim_id, statement, " ".join(search_key(quote).split()[:6])


def _check(page: Any, name: str, width: int) -> None:
    problems = page.evaluate(AUDIT)
    assert problems == [], f"{name} at {width}px: {problems}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_reader_path(site: tuple[str, Path], width: int, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, db = site
    claim_id, statement, words = _reader_claim(db)
    assert CHROMIUM is not None, "CI must install Debian's chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        page = browser.new_page(viewport={"width": width, "height": 900}, accept_downloads=True)
        page.goto(url + "/")
        expect(page.locator("h1")).to_have_text("Vietnam–Japan fact base, 2023")
        expect(page.locator(".counts")).to_be_visible()
        _check(page, "home", width)

        page.fill("#site-q", words)
        page.press("#site-q", "Enter")
        page.wait_for_load_state()
        expect(page.locator("ol.results mark").first).to_be_visible()
        _check(page, "search", width)

        page.locator(f'ol.results a[href="/claim/{claim_id}"]').first.click()
        page.wait_for_load_state()
        expect(page.locator("h1")).to_have_text(statement)
        expect(page.locator(".evidence mark").first).to_be_visible()
        expect(page.locator(".cite")).to_contain_text("Stable link")
        _check(page, "fact", width)

        page.locator(".evidence figcaption a").first.click()
        page.wait_for_load_state()
        expect(page.locator(".article mark").first).to_be_visible()
        assert page.locator(f'.article a.quoted[href="/claim/{claim_id}"]').count() >= 1
        _check(page, "source", width)

        page.go_back()
        page.wait_for_load_state()
        page.locator(".fact-summary dd a").first.click()
        page.wait_for_load_state()
        expect(page.locator(f'a[href="/claim/{claim_id}"]').first).to_be_visible()
        _check(page, "entity", width)

        page.locator(".site-links a", has_text="Timeline").click()
        page.wait_for_load_state()
        expect(page.locator(".timeline .event").first).to_be_visible()
        _check(page, "timeline", width)

        page.goto(url + "/")
        with page.expect_download() as info:
            page.locator("a", has_text="Everything as CSV").click()
        download = info.value
        target = tmp_path / download.suggested_filename
        download.save_as(target)
        assert target.name.endswith("-everything.zip")
        assert "datapackage.json" in zipfile.ZipFile(target).namelist()
        browser.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_table_and_query_pages_fit(site: tuple[str, Path], width: int) -> None:
    """Datasette's own pages as restyled for readers: the flat list and a canned query."""
    from playwright.sync_api import sync_playwright

    url, db = site
    assert CHROMIUM is not None
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": width, "height": 900})
        name = db.stem
        for path, shot in (
            (f"/{name}", "database"),
            (f"/{name}/claims_flat", "claims-flat"),
            (f"/{name}/persons", "table"),
            (f"/{name}/figures_for_place", "query"),
            (f"/{name}/conflicting", "query-empty"),
        ):
            page.goto(url + path)
            _check(page, shot, width)
        page.goto(url + f"/{name}/claims_flat")
        assert page.locator("details.column-glossary").get_attribute("open") is None
        browser.close()


def _records(db: Path) -> dict[str, str]:
    """Records to walk through, chosen from the data (never pinned)."""
    conn = sqlite3.connect(db)
    try:
        picks = {
            "property": conn.execute(
                "select property from claims where amount is not null and unit not in ('rank', 'edition') "
                "group by property, unit having count(*) > 1 order by count(*) desc, property limit 1"
            ).fetchone(),
            "statement": conn.execute("select id from statements order by id limit 1").fetchone(),
            "position": conn.execute("select id from positions order by id limit 1").fetchone(),
            "organization": conn.execute(  # one only quotes name: its page lists them
                "select entity from mentions where entity_kind = 'organization' "
                "and entity not in (select subject from claims) "
                "and entity not in (select coalesce(organization, '') from positions) "
                "and entity not in (select entity from event_participants union "
                "select entity from event_organizers) order by entity limit 1"
            ).fetchone(),
            "place": conn.execute(
                "select w.within from places_within w join events e on e.place = w.place "
                "where w.depth > 0 order by w.within limit 1"
            ).fetchone(),
            "place_name": conn.execute(
                "select p.name from places_within w join events e on e.place = w.place "
                "join places p on p.id = w.within where w.depth > 0 order by w.within limit 1"
            ).fetchone(),
        }
    finally:
        conn.close()
    return {k: v[0] for k, v in picks.items() if v}


@pytest.mark.parametrize("width", [1280, 390])
def test_new_pages_path(site: tuple[str, Path], width: int) -> None:
    """Issue 22's pages: the index pages from the home page's counts, all facts, a property's
    page with its chart, what was said, a position, an organization named in quotes, and the
    timeline filtered by a place typed without diacritics."""
    from playwright.sync_api import expect, sync_playwright

    url, db = site
    picks = _records(db)
    assert CHROMIUM is not None
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(url + "/")
        for path, shot in (("/people", "index-people"), ("/organizations", "index-organizations"),
                           ("/places", "index-places"), ("/events", "index-events"),
                           ("/sources", "index-sources"), ("/properties", "index-properties")):  # fmt: skip
            page.goto(url + "/")
            page.locator(f'.counts a[href="{path}"]').first.click()
            page.wait_for_load_state()
            expect(page.locator("ul.index-list li").first).to_be_visible()
            _check(page, shot, width)
        page.locator("ul.index-list li a").first.click()  # a property, from its list
        page.wait_for_load_state()
        expect(page.locator("h1")).to_be_visible()

        page.goto(url + "/facts")
        expect(page.locator("table.facts td.fact a").first).to_be_visible()
        _check(page, "all-facts", width)
        page.locator("table.facts td.fact a").first.click()
        page.wait_for_load_state()
        expect(page.locator(".crumbs a[href='/facts']")).to_be_visible()

        page.goto(url + f"/property/{picks['property']}")
        expect(page.locator("svg.chart")).to_be_visible()
        expect(page.locator("ol.values .source-line").first).to_be_visible()
        _check(page, "property", width)

        page.goto(url + f"/statement/{picks['statement']}")
        expect(page.locator(".fact-summary")).to_contain_text("When")
        _check(page, "statement", width)
        page.goto(url + f"/position/{picks['position']}")
        _check(page, "position", width)

        page.goto(url + f"/organization/{picks['organization']}")
        expect(page.locator("section[aria-labelledby='named-in-h'] a").first).to_be_visible()
        _check(page, "organization", width)
        page.goto(url + f"/place/{picks['place']}")
        _check(page, "place", width)

        page.goto(url + "/timeline")
        page.fill("#tl-place", search_key(picks["place_name"]))
        page.locator(".timeline-filter button").click()
        page.wait_for_load_state()
        expect(page.locator(".chosen a").first).to_have_attribute("href", f"/place/{picks['place']}")
        expect(page.locator(".timeline .event").first).to_be_visible()
        _check(page, "timeline-place", width)

        page.goto(url + "/search?q=" + search_key(picks["place_name"]))
        expect(page.locator("ol.results a").first).to_have_attribute("href", f"/place/{picks['place']}")
        browser.close()
