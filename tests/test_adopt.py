"""Another newsroom adopts the toolkit: `toolkit init` makes a working project, an English
project reads its pages the English way (right readings accepted, wrong ones refused), and its
site and data package carry its own identity, none of this repository's."""

from __future__ import annotations

import asyncio
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.build.database import build_database
from toolkit.cli.app import app
from toolkit.core.settings import load_settings
from toolkit.site.serve import datasette_app
from toolkit.validate.engine import validate_project

from .conftest import ROOT

ENGLISH = ROOT / "examples" / "english"
FACTS = Path("seeds") / "facts" / "riverside-2024-03-12.yaml"
RUNNER = CliRunner()


@pytest.fixture
def english(tmp_path: Path) -> Path:
    target = tmp_path / "english"
    shutil.copytree(ENGLISH, target)
    return target


def test_init_writes_a_project_that_validates(tmp_path: Path) -> None:
    target = tmp_path / "newsroom"
    result = RUNNER.invoke(app, ["init", str(target), "--language", "en", "--title", "Harbour facts"])
    assert result.exit_code == 0, result.output
    for name in ("factbase.toml", "seeds/sources.yaml", "schema/records.schema.json", ".gitignore"):
        assert (target / name).is_file(), name
    for name in (".github/workflows/validate.yml", ".pre-commit-config.yaml", "README.md"):
        assert (target / name).is_file(), name
    settings = load_settings(target).dataset
    assert (settings.title, settings.language) == ("Harbour facts", "en")
    assert validate_project(target, cache=False).ok
    again = RUNNER.invoke(app, ["init", str(target), "--language", "en"])
    assert again.exit_code == 2 and "not an empty folder" in again.output


def test_init_refuses_a_language_with_no_pack(tmp_path: Path) -> None:
    result = RUNNER.invoke(app, ["init", str(tmp_path / "x"), "--language", "th"])
    assert result.exit_code == 2
    assert "no language pack reads 'th'" in result.output
    assert not (tmp_path / "x").exists()


def test_an_english_page_added_to_an_init_project_validates(tmp_path: Path) -> None:
    target = tmp_path / "newsroom"
    assert RUNNER.invoke(app, ["init", str(target), "--language", "en", "--title", "T"]).exit_code == 0
    for name in ("seeds/riverside-2024-03-12.txt", "seeds/sources.yaml", "seeds/entities.yaml"):
        shutil.copy(ENGLISH / name, target / name)
    shutil.copy(ENGLISH / "seeds" / "vocabulary.yaml", target / "seeds" / "vocabulary.yaml")
    shutil.copy(ENGLISH / FACTS, target / FACTS)
    # The example's sources name no language: the project's (en) reads them.
    result = validate_project(target, cache=False)
    assert result.ok, result.problems


def test_the_english_example_validates(english: Path) -> None:
    result = validate_project(english, cache=False)
    assert result.ok, result.problems


@pytest.mark.parametrize(
    ("right", "wrong", "code"),
    [
        ("{amount: 9800000, unit: USD", "{amount: 9.8, unit: USD", "amount-not-in-quote"),
        ("unit: USD, comparator: about", "unit: EUR, comparator: about", "unit-mismatch"),
        ("unit: USD, comparator: about", "unit: USD, comparator: exact", "comparator-mismatch"),
        (
            "{amount: 4000, unit: household, comparator: nearly",
            "{amount: 4, unit: household, comparator: nearly",
            "amount-not-in-quote",
        ),
        ("value: {amount: -12, unit: percent", "value: {amount: 12, unit: percent", "sign-mismatch"),
        ('date: "2024-04-15/2024-04-18"', 'date: "2024-04-15/2024-04-19"', "date-not-in-quote"),
        ('date: "2024-03-02"', 'date: "2024-02-03"', "date-not-in-quote"),
        ("    modality: expected\n", "", "modality-missing"),
        ("comparator: at_most", "comparator: exact", "comparator-mismatch"),
    ],
)
def test_a_wrong_english_reading_is_refused(english: Path, right: str, wrong: str, code: str) -> None:
    facts = english / FACTS
    text = facts.read_text(encoding="utf-8")
    assert right in text, right
    facts.write_text(text.replace(right, wrong, 1), encoding="utf-8")
    codes = [p.code for p in validate_project(english, cache=False).errors]
    assert code in codes, codes


def _get(client: object, path: str) -> tuple[int, bytes, str]:
    async def fetch() -> tuple[int, bytes, str]:
        response = await client.get(path)  # type: ignore[attr-defined]
        return response.status_code, response.content, response.text if path.endswith("/") else ""

    return asyncio.run(fetch())


def test_its_site_and_data_package_carry_its_own_identity(english: Path) -> None:
    db = build_database(english, english / "dist" / "riverside.db").path
    ds = datasette_app(db, None, load_settings(english))
    status, _, home = _get(ds.client, "/")
    assert status == 200
    assert "Riverside flood facts" in home and "creativecommons.org/licenses/by-sa/4.0" in home
    for foreign in ("Vietnam", "Japan", "Việt", "Thời Đại"):
        assert foreign not in home, foreign
    status, body, _ = _get(ds.client, "/download/everything.zip")
    assert status == 200
    package = json.loads(zipfile.ZipFile(io.BytesIO(body)).read("datapackage.json"))
    assert package["name"] == "riverside-flood-facts-2024"
    assert package["title"] == "Riverside flood facts, 2024"
    assert [lic["name"] for lic in package["licenses"]] == ["CC-BY-SA-4.0"]
    assert "Vietnam" not in json.dumps(package, ensure_ascii=False)


def test_the_readme_walk_through_from_init_to_a_claim(tmp_path: Path) -> None:
    """init, add a page, then an organization, a property and a claim with the CLI: the claim's
    figure is read the English way, and only its English sentence is left to write."""
    target = tmp_path / "flood-facts"
    page = ENGLISH / "seeds" / "riverside-2024-03-12.txt"

    def run(*args: str) -> str:
        result = RUNNER.invoke(app, [*args, "-p", str(target)] if args[0] != "init" else list(args))
        assert result.exit_code == 0, result.output
        return result.output

    run("init", str(target), "--language", "en", "--title", "Flood relief facts, 2024")
    run("add-source", str(page), "--publisher", "Riverside Courier", "--yes")
    name = "Riverside flood relief fund"
    run("new", "organization", "--id", "relief-fund", "--name", name, "--name-en", name)
    run("new", "property", "--id", "funds_raised", "--name", "Funds raised", "--name-en", "Funds raised",
        "--value-type", "quantity")  # fmt: skip
    quote = "The Riverside flood relief fund has raised about $9.8 million"
    source = "riverside-courier-2024-03-12"  # the id add-source proposed: publisher and date
    run(
        "new",
        "claim",
        "--source",
        source,
        "--subject",
        "relief-fund",
        "--property",
        "funds_raised",
        "--quote",
        quote,
    )
    problems = validate_project(target, cache=False).errors
    assert [p.code for p in problems] == ["placeholder-text"], problems  # the TODO sentence, no more
    claims = (target / "seeds" / "facts" / f"{source}.yaml").read_text(encoding="utf-8")
    assert "amount: 9800000" in claims and "unit: USD" in claims and "comparator: about" in claims


def test_a_newsroom_restyles_the_site_without_forking(english: Path, tmp_path: Path) -> None:
    """--template-dir overrides a template by name (and reaches the toolkit's own as
    `factbase:`); --plugins-dir loads Datasette plugins; the request limits stay on."""
    from toolkit.site.serve import Look

    templates, plugins = tmp_path / "templates", tmp_path / "plugins"
    templates.mkdir()
    plugins.mkdir()
    (templates / "_footer.html").write_text(
        'Restyled by the Courier &middot; {% include "factbase:_footer.html" %}', encoding="utf-8"
    )
    (plugins / "hello.py").write_text(
        "from datasette import hookimpl\n"
        "from datasette.utils.asgi import Response\n\n\n"
        "@hookimpl\n"
        "def register_routes():\n"
        "    async def hello():\n"
        "        return Response.text('hello from the newsroom')\n\n"
        "    return [(r'^/hello$', hello)]\n",
        encoding="utf-8",
    )
    db = build_database(english, english / "dist" / "riverside.db").path
    ds = datasette_app(db, None, load_settings(english), Look(templates, plugins))
    status, _, home = _get(ds.client, "/")
    assert status == 200 and "Restyled by the Courier" in home and "Data license" in home

    async def fetch() -> tuple[int, str, int]:
        hello = await ds.client.get("/hello")
        posted = await ds.client.post("/", data={})
        return hello.status_code, hello.text, posted.status_code

    hello_status, hello_text, post_status = asyncio.run(fetch())
    assert (hello_status, hello_text) == (200, "hello from the newsroom")
    assert post_status == 405  # the site is read-only whatever the plugins add


def test_a_look_folder_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    result = RUNNER.invoke(app, ["serve", "-p", str(ENGLISH), "--template-dir", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert "--template-dir" in result.output and "no such folder" in result.output
