"""The incremental cache redoes exactly what a change can affect, and never hides an error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from toolkit.validate.cache import CACHE_DIR, FILES_DIR, VERDICTS_FILE, ValidationCache
from toolkit.validate.engine import ValidationResult, validate_project

from .conftest import FIXTURE, ROOT, cases, example

FACT_FILES = len(list((FIXTURE / "seeds" / "facts").glob("*.yaml")))  # records with evidence
RECORD_FILES = FACT_FILES + 3  # and the sources, vocabulary and entities


def _run(root: Path) -> ValidationResult:
    """A run as `toolkit validate` makes it: unchanged files come from the cache, unparsed."""
    return validate_project(root, records=False)


def _problems(root: Path, cache: bool = True) -> list[tuple[str, int, int, str, str]]:
    result = validate_project(root, cache=cache, records=not cache)
    return [(p.path, p.line, p.column, p.code, p.message) for p in result.problems]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _cache_file(project: Path, display: str) -> Path:
    return ValidationCache.open(project)._path(display)


def test_second_run_parses_nothing(project: Path) -> None:
    first = _run(project)
    assert (first.parsed, first.cache_hits, first.cache_misses) == (RECORD_FILES, 0, FACT_FILES)
    second = _run(project)
    assert (second.parsed, second.cache_hits, second.cache_misses) == (0, FACT_FILES, 0)
    assert second.problems == first.problems
    assert (second.counts, second.anchored) == (first.counts, first.anchored)
    assert first.counts["claims"] > 0 and first.anchored > 0


def test_a_full_run_takes_evidence_from_the_cache(project: Path) -> None:
    first = validate_project(project)
    second = validate_project(project)
    assert (second.parsed, second.cache_hits, second.cache_misses) == (RECORD_FILES, FACT_FILES, 0)
    assert second.problems == first.problems
    assert second.dataset.anchors == first.dataset.anchors
    assert len(first.dataset.anchors) == first.anchored


def test_a_changed_record_redoes_its_file_only(project: Path) -> None:
    _run(project)
    _edit(project / "seeds" / "facts" / "thoidai-2023-11-03.yaml", "amount: 110,", "amount: 111,")
    result = _run(project)
    assert (result.parsed, result.cache_hits, result.cache_misses) == (1, FACT_FILES - 1, 1)
    assert [p.code for p in result.errors] == ["amount-not-in-quote"]
    assert _problems(project) == _problems(project, cache=False)


def test_a_changed_source_text_redoes_the_files_citing_it(project: Path) -> None:
    _run(project)
    text = project / "seeds" / "004_f891a2835cbe3f4c.txt"
    text.write_bytes(text.read_bytes().replace("3 ngày".encode(), "4 ngày".encode()))
    result = _run(project)
    # The Hanoi–Fukuoka facts and the 50th-anniversary claim cite it; sources.yaml is unchanged.
    assert (result.parsed, result.cache_misses) == (2, 2)
    assert "source-hash-mismatch" in {p.code for p in result.errors}
    assert _problems(project) == _problems(project, cache=False)


def test_a_changed_source_record_redoes_the_files_citing_it(project: Path) -> None:
    _run(project)
    _edit(project / "seeds" / "sources.yaml", "      end_line: 35\n", "      end_line: 30\n")
    result = _run(project)
    assert (result.parsed, result.cache_misses) == (3, 2)  # sources.yaml and the two citing it
    assert "quote-outside-body" in {p.code for p in result.errors}  # the festival's three days
    assert _problems(project) == _problems(project, cache=False)


def test_a_new_toolkit_or_schema_redoes_everything(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import toolkit.validate.cache

    _run(project)
    monkeypatch.setattr(toolkit.validate.cache, "_stamp", lambda: "another version")
    result = _run(project)
    assert (result.parsed, result.cache_hits, result.cache_misses) == (RECORD_FILES, 0, FACT_FILES)


EDITS = {
    # A change in one file that makes an unchanged, cached file wrong: cross-file rules see it.
    "reference-unknown": ("entities.yaml", "{id: lao-cai,", "{id: lao-kai,"),
    "value-type-mismatch": ("vocabulary.yaml", "    value_type: quantity", "    value_type: text"),
    "name-not-in-sources": ("entities.yaml", "name: Tô Huy Rứa,", "name: Tô Huy Rùa,"),
    "parent-cycle": ("entities.yaml", "{id: vietnam,", "{id: vietnam, parent: sa-pa,"),
    "published-quote-not-found": ("sources.yaml", '"20:16 | 06/01/2023', '"20:16 | 07/01/2023'),
}


@pytest.mark.parametrize("code", sorted(EDITS))
def test_cross_file_rules_hold_for_cached_files(project: Path, code: str) -> None:
    name, old, new = EDITS[code]
    _run(project)
    _edit(project / "seeds" / name, old, new)
    assert code in {p[3] for p in _problems(project)}
    assert _problems(project) == _problems(project, cache=False)


def test_a_copied_file_duplicates_ids_and_claims_of_cached_ones(project: Path) -> None:
    _run(project)
    facts = project / "seeds" / "facts"
    shutil.copy(facts / "thoidai-2023-11-03.yaml", facts / "zz-copy.yaml")
    codes = {p[3] for p in _problems(project)}
    assert {"duplicate-id", "duplicate-claim"} <= codes
    assert _problems(project) == _problems(project, cache=False)
    (facts / "zz-copy.yaml").unlink()
    assert _problems(project) == _problems(project, cache=False)


@pytest.mark.parametrize("damage", ["hide-an-error", "checksum", "truncate", "garbage", "another-file"])
def test_a_damaged_cache_is_ignored(project: Path, damage: str) -> None:
    import re

    facts = project / "seeds" / "facts" / "thoidai-2023-11-03.yaml"
    _edit(facts, "amount: 110,", "amount: 111,")
    expected = _problems(project, cache=False)
    assert [p[3] for p in expected] == ["amount-not-in-quote"]
    _run(project)
    path = _cache_file(project, "seeds/facts/thoidai-2023-11-03.yaml")
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
    elif damage == "garbage":
        raw = "\x00\x01 not a cache"
    else:  # a valid cache file, but of another record file
        raw = _cache_file(project, "seeds/facts/hanoi-fukuoka-2023-11.yaml").read_text(encoding="utf-8")
    path.write_text(raw, encoding="utf-8")
    result = _run(project)
    assert (result.parsed, result.cache_misses) == (1, 1)
    assert [(p.path, p.line, p.column, p.code, p.message) for p in result.problems] == expected


def test_a_damaged_names_cache_is_ignored(project: Path) -> None:
    _run(project)
    names = project / CACHE_DIR / VERDICTS_FILE
    assert names.is_file()
    _edit(project / "seeds" / "entities.yaml", "name: Tô Huy Rứa,", "name: Tô Huy Rùa,")
    names.write_text(names.read_text(encoding="utf-8")[:-20], encoding="utf-8")
    assert "name-not-in-sources" in {p[3] for p in _problems(project)}


def test_deleted_files_leave_the_cache(project: Path) -> None:
    _run(project)
    assert len(list((project / CACHE_DIR / FILES_DIR).glob("*.json"))) == RECORD_FILES
    (project / "seeds" / "facts" / "thoidai-2023-11-03.yaml").unlink()
    _run(project)
    assert len(list((project / CACHE_DIR / FILES_DIR).glob("*.json"))) == RECORD_FILES - 1


@pytest.mark.parametrize(
    "kind_case", [f"{kind}/{case}" for kind in ("valid", "invalid") for case in cases(kind)]
)
def test_cached_and_uncached_runs_agree(kind_case: str, tmp_path: Path) -> None:
    case = example(*kind_case.split("/"))
    copy = tmp_path / case.name
    shutil.copytree(case, copy, symlinks=True)
    (copy / "schema").symlink_to(ROOT / "schema")
    for path in [*(copy / "seeds").rglob("*.yaml"), *(copy / "seeds").rglob("*.json")]:
        path.write_bytes(path.read_bytes().replace(b"../../../../../schema/", b"../schema/"))
    uncached = _problems(copy, cache=False)
    assert _problems(copy) == uncached  # cold cache
    assert _problems(copy) == uncached  # warm cache
