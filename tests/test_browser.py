"""End to end in a real headless Chromium (Debian's package, driven by Playwright): a reader
searches without diacritics, opens a fact, and sees its quote and source."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None and os.environ.get("CI") != "true":
    pytest.skip("Debian's chromium is not installed (CI installs it)", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
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
    yield url
    server.terminate()
    server.wait(timeout=10)


def test_reader_searches_and_opens_a_fact(site: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

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
        page = browser.new_page()
        page.goto(site + "/")
        assert "Vietnam–Japan fact base, 2023" in page.title() + page.content()
        page.click("text=every fact with its quote")
        page.goto(site + "/factbase/claims")
        page.fill("input[name=_search]", "lao cai jica 9,8")
        page.press("input[name=_search]", "Enter")
        page.wait_for_load_state()
        link = page.locator("td.col-id a").first
        assert link.inner_text() == "lao-cai-jica-grant-total"
        link.click()
        page.wait_for_load_state()
        quote = page.locator(".evidence mark").first.inner_text()
        assert "khoảng 9,8 triệu đô la thông qua tổ chức JICA" in quote
        caption = page.locator(".evidence figcaption").first.inner_text()
        assert "Báo Lào Cai" in caption and "line 22" in caption
        page.screenshot(path=str(tmp_path / "fact.png"), full_page=True)
        page.goto(site + "/timeline")
        assert page.locator(".timeline .event").count() >= 2
        browser.close()
