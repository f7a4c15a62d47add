"""Issue 23 on the site: a value cannot change how a page is parsed, every record on a source
page names its kind, a download keeps an odd database name, and a search of thousands of
words answers at once without a traceback."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from toolkit.build.database import build_database
from toolkit.site.serve import datasette_app

from .conftest import ROOT, example, writable_example

HOSTILE = "<!--<script>"
_JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def _get(db: Path, url: str, **kwargs: Any) -> Any:
    async def fetch() -> Any:
        return await datasette_app(db).client.get(url, **kwargs)

    return asyncio.run(fetch())


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The all-kinds example with `<!--<script>` in a statement and in its source's url."""
    project = writable_example(tmp_path_factory.mktemp("hostile") / "project")
    _replace(
        project / "seeds" / "facts.yaml",
        "statement_en: Nearly 120 delegates attended the conference.",
        f'statement_en: "Nearly 120 delegates {HOSTILE} attended."',
    )
    _replace(
        project / "seeds" / "sources.yaml",
        "    publisher: Báo thử nghiệm\n",
        f"    publisher: Báo thử nghiệm\n    url: https://example.com/{HOSTILE}&x=1\n",
    )
    return build_database(project, project / "dist" / "factbase.db").path


@pytest.mark.parametrize("url", ["/", "/claim/hoi-nghi-delegates"])
def test_json_ld_cannot_end_a_script_or_open_another(hostile_db: Path, url: str) -> None:
    """`<!--<script>` inside the script made the parser wait for two closing tags: the home
    page and the claim page were blank after it."""
    response = _get(hostile_db, url)
    assert response.status_code == 200
    scripts = _JSONLD.findall(response.text)
    assert scripts
    for script in scripts:
        assert not set(script) & set("<>&"), script
        json.loads(script)  # still the same JSON
    found = "".join(scripts)
    assert HOSTILE not in response.text.split("</head>")[0]
    assert "https://example.com/\\u003c!--\\u003cscript\\u003e\\u0026x=1" in found
    assert "</html>" in response.text


def test_every_record_on_a_source_page_names_its_kind(tmp_path: Path) -> None:
    """Statements had an empty kind label on their source's page."""
    project = tmp_path / "project"
    shutil.copytree(example("valid", "statement"), project)
    db = build_database(project, project / "dist" / "factbase.db").path
    html = _get(db, "/source/bao-kinh-te").text
    labels = re.findall(r'<span class="kind-tag">([^<]*)</span> <a href="/(\w+)/', html)
    assert ("Said", "statement") in labels
    assert all(label.strip() for label, _ in labels)


def test_a_database_named_with_a_quote_downloads_under_its_name(hostile_db: Path, tmp_path: Path) -> None:
    """`re"lease.db` broke the zip's Content-Disposition header; RFC 6266 quoting keeps it."""
    odd = tmp_path / 're"lease é.db'
    shutil.copy(hostile_db, odd)
    response = _get(odd, "/download/everything.zip")
    assert response.status_code == 200
    header = response.headers["content-disposition"]
    assert header.isascii() and "\n" not in header
    exact = re.fullmatch(r'attachment; filename="([ !#-\[\]-~]*)"; filename\*=UTF-8\'\'([\w%.-]+)', header)
    assert exact, header  # a quoted string for older clients, then the exact name (RFC 6266)
    assert unquote(exact[2]) == 're"lease é-everything.zip'
    assert exact[1] == "re_lease _-everything.zip"


@pytest.fixture(scope="module")
def dataset_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_database(ROOT, tmp_path_factory.mktemp("dataset") / "factbase.db").path


@pytest.mark.parametrize("q", [" ".join(["việt"] * 4000), " ".join(f"nam{i}" for i in range(4000))])
def test_a_search_of_4000_words_answers_at_once(
    dataset_db: Path, q: str, capfd: pytest.CaptureFixture[str]
) -> None:
    """4 000 copies of a common word ran past the SQL time limit: a 500 with the SQL echoed
    and a 30 KB traceback in the log. The distinct words count, the first 16 of them."""
    response = _get(dataset_db, "/search", params={"q": q})
    assert response.status_code == 200
    assert "Traceback" not in response.text and "site_search_fts" not in response.text
    assert "Traceback" not in capfd.readouterr().err
    if q.startswith("nam"):
        assert "Only the first 16 different words were searched for." in response.text
