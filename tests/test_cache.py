"""The incremental cache redoes exactly what a change can affect, and never hides an error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from toolkit.cache import CACHE_DIR, CACHE_FILE
from toolkit.validate import validate_project

from .conftest import EXAMPLES, ROOT

FACT_FILES = 4  # record files with positions, events or claims in the shipped dataset


def _problems(root: Path, cache: bool = True) -> list[tuple[str, int, str]]:
    return [(p.path, p.line, p.code) for p in validate_project(root, cache=cache).problems]


def test_second_run_takes_every_file_from_the_cache(project: Path) -> None:
    first = validate_project(project)
    assert (first.cache_hits, first.cache_misses) == (0, FACT_FILES)
    second = validate_project(project)
    assert (second.cache_hits, second.cache_misses) == (FACT_FILES, 0)
    assert second.problems == first.problems
    assert second.dataset.anchors.keys() == first.dataset.anchors.keys()


def test_a_changed_record_redoes_its_file_only(project: Path) -> None:
    validate_project(project)
    facts = project / "seeds" / "facts" / "thoidai-2023-11-03.yaml"
    facts.write_text(
        facts.read_text(encoding="utf-8").replace("amount: 110,", "amount: 111,"), encoding="utf-8"
    )
    result = validate_project(project)
    assert (result.cache_hits, result.cache_misses) == (FACT_FILES - 1, 1)
    assert [p.code for p in result.errors] == ["amount-not-in-quote"]
    assert _problems(project) == _problems(project, cache=False)


def test_a_changed_source_text_redoes_the_files_citing_it(project: Path) -> None:
    validate_project(project)
    text = project / "seeds" / "004_f891a2835cbe3f4c.txt"
    text.write_bytes(text.read_bytes().replace("3 ngày".encode(), "4 ngày".encode()))
    result = validate_project(project)
    assert result.cache_misses == 2  # the Hanoi–Fukuoka facts and the 50th-anniversary claim cite it
    assert "source-hash-mismatch" in {p.code for p in result.errors}
    assert _problems(project) == _problems(project, cache=False)


def test_a_changed_source_record_redoes_the_files_citing_it(project: Path) -> None:
    validate_project(project)
    sources = project / "seeds" / "sources.yaml"
    sources.write_text(
        sources.read_text(encoding="utf-8").replace("      end_line: 35\n", "      end_line: 30\n"), "utf-8"
    )
    result = validate_project(project)
    assert result.cache_misses == 2
    assert "quote-outside-body" in {p.code for p in result.errors}  # the festival's three days
    assert _problems(project) == _problems(project, cache=False)


def test_a_new_toolkit_or_schema_redoes_everything(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import toolkit.cache

    validate_project(project)
    monkeypatch.setattr(toolkit.cache, "_stamp", lambda: "another version")
    result = validate_project(project)
    assert (result.cache_hits, result.cache_misses) == (0, FACT_FILES)


@pytest.mark.parametrize("damage", ["hide-an-error", "checksum", "truncate", "garbage"])
def test_a_damaged_cache_is_ignored(project: Path, damage: str) -> None:
    import re

    facts = project / "seeds" / "facts" / "thoidai-2023-11-03.yaml"
    facts.write_text(
        facts.read_text(encoding="utf-8").replace("amount: 110,", "amount: 111,"), encoding="utf-8"
    )
    expected = _problems(project, cache=False)
    assert [code for _, _, code in expected] == ["amount-not-in-quote"]
    validate_project(project)
    path = project / CACHE_DIR / CACHE_FILE
    raw = path.read_text(encoding="utf-8")
    header, checksum, payload = raw.split("\n", 2)
    if damage == "hide-an-error":  # the checksum left as it was: the edit must still be noticed
        edited = re.sub(r'"problems":\[\{.*?\}\]', '"problems":[]', payload, count=1)
        assert edited != payload
        raw = f"{header}\n{checksum}\n{edited}"
    elif damage == "checksum":
        raw = f"{header}\n{'0' * 64}\n{payload}"
    elif damage == "truncate":
        raw = raw[: len(raw) // 2]
    else:
        raw = "\x00\x01 not a cache"
    path.write_text(raw, encoding="utf-8")
    result = validate_project(project)
    assert result.cache_hits == 0
    assert [(p.path, p.line, p.code) for p in result.problems] == expected


@pytest.mark.parametrize(
    "case", sorted(p for kind in ("valid", "invalid") for p in (EXAMPLES / kind).iterdir() if p.is_dir()),
    ids=lambda p: f"{p.parent.name}/{p.name}",
)  # fmt: skip
def test_cached_and_uncached_runs_agree(case: Path, tmp_path: Path) -> None:
    copy = tmp_path / case.name
    shutil.copytree(case, copy, symlinks=True)
    (copy / "schema").symlink_to(ROOT / "schema")
    for path in [*(copy / "seeds").rglob("*.yaml"), *(copy / "seeds").rglob("*.json")]:
        path.write_bytes(path.read_bytes().replace(b"../../../../../schema/", b"../schema/"))
    uncached = _problems(copy, cache=False)
    assert _problems(copy) == uncached  # cold cache
    assert _problems(copy) == uncached  # warm cache
