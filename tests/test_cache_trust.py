"""The cache never hides an error: only what this machine computed, signed with its own key
kept outside the project, is believed; anything else found in the tree is ignored."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from toolkit.validate.cache import CACHE_DIR, FILES_DIR, MAGIC, key_path, machine_key, sign
from toolkit.validate.engine import validate_project

FACTS = "seeds/facts.yaml"


def _break_an_amount(project: Path) -> None:
    facts = project / FACTS
    text = facts.read_text(encoding="utf-8")
    assert "amount: 120," in text
    facts.write_text(text.replace("amount: 120,", "amount: 121,"), encoding="utf-8")


def _toolkit(project: Path, xdg: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(xdg), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "toolkit", "validate", "-p", str(project), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def _forge(cache_file: Path, key: bytes | None) -> None:
    """Remove every problem from a cache file and sign it again: with the forger's own key, or
    with the plain sha256 the cache used to carry."""
    import hashlib

    header, _, payload = cache_file.read_text(encoding="utf-8").split("\n", 2)
    data = json.loads(payload)
    evidence = data.get("evidence") or {"problems": []}
    assert data["problems"] or evidence["problems"]  # something to hide
    data["problems"] = []
    evidence["problems"] = []
    forged = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    signature = sign(key, forged) if key is not None else hashlib.sha256(forged.encode()).hexdigest()
    cache_file.write_text(f"{header}\n{signature}\n{forged}", encoding="utf-8")


def _git(cwd: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize("signed_with", ["forger-key", "sha256"])
def test_a_forged_cache_committed_to_the_repository_is_ignored(
    example_project: Path, tmp_path: Path, signed_with: str
) -> None:
    """Issue 12: a forged `.cache/` committed with `git add -f` made CI pass a wrong amount."""
    forger, ci = tmp_path / "forger-home", tmp_path / "ci-home"
    _git(example_project, "init", "-q")
    _break_an_amount(example_project)
    facts = example_project / FACTS  # and a schema error, which the file's cache entry holds
    facts.write_text(
        facts.read_text(encoding="utf-8").replace(
            "  - id: ha-giang-aid\n", "  - id: ha-giang-aid\n    colour: red\n"
        ),
        encoding="utf-8",
    )
    first = _toolkit(example_project, forger)
    assert first.returncode == 1 and "amount-not-in-quote" in first.stdout and "unknown-field" in first.stdout
    files = sorted((example_project / CACHE_DIR / FILES_DIR).glob("*.json"))
    forged = [f for f in files if '"file":"seeds/facts.yaml"' in f.read_text(encoding="utf-8")]
    assert len(forged) == 1
    forger_key = (forger / "factbase-toolkit" / "cache.key").read_bytes()
    _forge(forged[0], forger_key if signed_with == "forger-key" else None)
    if signed_with == "forger-key":  # a perfect forgery: the forger's own machine believes it
        assert "unknown-field" not in _toolkit(example_project, forger).stdout
    _git(example_project, "add", "-A")
    _git(example_project, "add", "-f", ".cache")
    _git(example_project, "commit", "-qm", "records and a forged cache")
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "-q", str(example_project), str(clone))
    assert (clone / CACHE_DIR / FILES_DIR / forged[0].name).is_file()
    result = _toolkit(clone, ci, "--format", "github")
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"::error file=seeds/facts.yaml,line=\d+.*amount-not-in-quote", result.stdout)
    assert re.search(r"::error file=seeds/facts.yaml,line=\d+.*unknown-field", result.stdout)
    assert "Traceback" not in result.stderr


def _signed_cache_file(project: Path) -> tuple[Path, dict[str, object], bytes]:
    validate_project(project)
    key = machine_key(project)
    assert key is not None
    for path in (project / CACHE_DIR / FILES_DIR).glob("*.json"):
        payload = path.read_text(encoding="utf-8").split("\n", 2)[2]
        data = json.loads(payload)
        if data["file"] == FACTS:
            return path, data, key
    raise AssertionError("no cache file for the facts")


def _problems(project: Path, cache: bool) -> list[tuple[str, int, int, str]]:
    return [(p.path, p.line, p.column, p.code) for p in validate_project(project, cache=cache).problems]


@pytest.mark.parametrize(
    "damage",
    [
        "ids-a-list",
        "cited-a-number",
        "parts-missing",
        "part-wrongly-typed",
        "problem-line-text",
        "problem-severity",
        "problem-hint-number",
        "anchors-garbage",
        "evidence-a-string",
        "summary-missing",
    ],
)
def test_wrongly_typed_content_with_a_valid_signature_is_ignored(example_project: Path, damage: str) -> None:
    """Issue 12: a cache file with a valid checksum but wrongly typed content gave exit 3."""
    _break_an_amount(example_project)
    expected = _problems(example_project, cache=False)
    path, data, key = _signed_cache_file(example_project)
    summary: dict[str, Any] = data["summary"]  # type: ignore[assignment]
    evidence: dict[str, Any] = data["evidence"]  # type: ignore[assignment]
    problem = {"path": FACTS, "line": 1, "column": 1, "code": "x", "message": "m", "severity": "error"}
    if damage == "ids-a-list":
        summary["ids"] = ["claims"]
    elif damage == "cited-a-number":
        summary["cited"] = 3
    elif damage == "parts-missing":
        summary["parts"] = {}
    elif damage == "part-wrongly-typed":
        name = next(iter(summary["parts"]))
        summary["parts"][name] = "not a part"
    elif damage == "problem-line-text":
        data["problems"] = [{**problem, "json_path": "$", "line": "1"}]
    elif damage == "problem-severity":
        data["problems"] = [{**problem, "json_path": "$", "severity": "fatal"}]
    elif damage == "problem-hint-number":
        data["problems"] = [{**problem, "json_path": "$", "hint": 1}]
    elif damage == "anchors-garbage":
        evidence["anchors"] = "claims\tnot-a-number"
    elif damage == "evidence-a-string":
        data["evidence"] = "none"
    else:
        del data["summary"]
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    path.write_text(f"{MAGIC}\n{sign(key, payload)}\n{payload}", encoding="utf-8")
    assert _problems(example_project, cache=True) == expected
    result = validate_project(example_project, cache=True, records=False)  # as `toolkit validate` runs
    assert [(p.path, p.line, p.column, p.code) for p in result.problems] == expected


def test_no_cache_when_the_key_would_live_inside_the_project(
    example_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key kept in the tree could be committed beside a forged cache: then nothing is cached."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(example_project / "keys"))
    assert machine_key(example_project) is None
    validate_project(example_project)
    assert not (example_project / CACHE_DIR).exists()
    assert not (example_project / "keys").exists()


def test_a_key_others_can_read_or_replace_is_not_used(
    example_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home"))
    key = machine_key(example_project)
    assert key is not None and len(key) == 32
    assert oct(key_path().stat().st_mode & 0o777) == "0o600"
    assert machine_key(example_project) == key  # the same key on every run
    key_path().chmod(0o644)
    assert machine_key(example_project) is None
    key_path().unlink()
    key_path().symlink_to(tmp_path / "elsewhere")
    (tmp_path / "elsewhere").write_bytes(b"k" * 32)
    assert machine_key(example_project) is None


def test_a_cached_file_replaced_by_a_symlink_is_refused(example_project: Path, tmp_path: Path) -> None:
    """The same bytes behind a symlink never come from the cache of the regular file (a guard:
    the loader refuses the link on every path)."""
    facts = example_project / FACTS
    assert validate_project(example_project, cache=True, records=False).problems == []
    outside = tmp_path / "outside.yaml"
    outside.write_bytes(facts.read_bytes())
    facts.unlink()
    facts.symlink_to(outside)
    result = validate_project(example_project, cache=True, records=False)  # as `toolkit validate` runs
    assert [p.code for p in result.problems] == ["file-symlink"]


def test_no_home_directory_means_no_cache_not_a_crash(
    example_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME")

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    assert machine_key(example_project) is None
    assert validate_project(example_project).problems == []


@pytest.mark.parametrize("linked", [".cache", ".cache/toolkit", ".cache/toolkit/files"])
def test_a_symlinked_cache_folder_is_never_written_or_emptied(
    example_project: Path, tmp_path: Path, linked: str
) -> None:
    """A committed `.cache` symlink must not make validate write into, or delete *.json files
    from, a folder elsewhere."""
    victim = tmp_path / "victim"
    (victim / "toolkit" / "files").mkdir(parents=True)
    precious = [
        victim / "keep.json",
        victim / "toolkit" / "keep.json",
        victim / "toolkit" / "files" / "keep.json",
    ]
    for path in precious:
        path.write_text("{}", encoding="utf-8")
    target = {
        ".cache": victim,
        ".cache/toolkit": victim / "toolkit",
        ".cache/toolkit/files": victim / "toolkit" / "files",
    }
    link = example_project / linked
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target[linked], target_is_directory=True)
    assert validate_project(example_project).problems == []
    assert all(path.read_text(encoding="utf-8") == "{}" for path in precious)
    assert sorted(p.name for p in victim.rglob("*") if p.is_file()) == ["keep.json"] * 3


# ------------------------------------------------------------------ issue 23


def test_a_file_replaced_between_hashing_and_parsing_is_cached_as_parsed(
    example_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache hashed a file when it was queued and parsed it later: replaced in between
    by valid bytes, their clean result was kept under the invalid bytes' digest, and the
    invalid file then passed from the cache. Now the digest is of the bytes parsed."""
    import toolkit.validate.stream as stream

    facts = example_project / FACTS
    _break_an_amount(example_project)
    invalid = facts.read_bytes()
    valid = invalid.replace(b"amount: 121,", b"amount: 120,")
    load_file = stream.load_file

    def swap_then_load(path: Path, display: str | None = None) -> Any:
        if path.name == "facts.yaml":
            path.write_bytes(valid)  # swapped after it was hashed, before it is parsed
        return load_file(path, display)

    monkeypatch.setattr(stream, "load_file", swap_then_load)
    validate_project(example_project, records=False)
    monkeypatch.setattr(stream, "load_file", load_file)
    facts.write_bytes(invalid)
    result = validate_project(example_project, records=False)
    assert "amount-not-in-quote" in [p.code for p in result.problems]


def _validate_in(project: Path, xdg: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`toolkit validate` that must finish: a FIFO opened for reading blocks until a writer comes."""
    return subprocess.run(
        [sys.executable, "-m", "toolkit", "validate", "-p", str(project), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "XDG_CACHE_HOME": str(xdg), "NO_COLOR": "1"},
        timeout=30,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("where", ["cache-entry", "cache-key", "merge-folder"])
def test_a_fifo_in_the_cache_or_a_merge_folder_does_not_hang(
    example_project: Path, tmp_path: Path, where: str
) -> None:
    """A FIFO as a cache entry, as the machine's cache key or in the merge folder hung the run
    forever: each is opened without waiting and refused, not being a regular file."""
    xdg = tmp_path / "home"
    _break_an_amount(example_project)
    summaries = tmp_path / "s"
    args: tuple[str, ...] = ()
    if where == "cache-key":
        key = xdg / "factbase-toolkit" / "cache.key"
        key.parent.mkdir(parents=True)
        os.mkfifo(key)
    elif where == "cache-entry":
        assert _validate_in(example_project, xdg).returncode == 1
        for path in (example_project / CACHE_DIR / FILES_DIR).glob("*.json"):
            path.unlink()
            os.mkfifo(path)
    else:
        shard = _validate_in(example_project, xdg, "--shard", "1/1", "--summaries", str(summaries))
        assert shard.returncode == 0, shard.stderr
        for path in (summaries / "files").glob("*.json"):
            path.unlink()
            os.mkfifo(path)
        args = ("--merge", str(summaries))
    result = _validate_in(example_project, xdg, *args)
    assert result.returncode == 1, result.stderr
    assert "amount-not-in-quote" in result.stdout and "Traceback" not in result.stderr
