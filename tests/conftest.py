"""Shared fixtures: the repository root, the example projects, and scratch copies."""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests run derandomized in CI (CI=true): the same examples every run, so a failure is
# the submission's own, never a new random find; elsewhere they are random, to find new ones
# (each then becomes an explicit @example). HYPOTHESIS_PROFILE names another profile.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", print_blob=True)
_IN_CI = os.environ.get("CI", "").lower() in ("true", "1")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if _IN_CI else "dev"))

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "tests" / "examples"
BASE = EXAMPLES / "base"
# A frozen copy of the five-page dataset as it was when the toolkit's tests were written:
# toolkit tests run on it, so a change to the real dataset (a sixth page, a correction) never
# breaks them. Tests of the real dataset are in test_dataset.py and assert only what holds
# for any valid dataset.
FIXTURE = ROOT / "tests" / "fixtures" / "project"


def cases(kind: str) -> list[str]:
    """The example cases of a kind (`valid` or `invalid`), by folder name."""
    return sorted(p.name for p in (EXAMPLES / kind).iterdir() if p.is_dir())


@functools.cache
def _examples_root() -> Path:
    """Every example made whole once per session: the base project, then the case's own
    files over it. The tree mirrors the repository's (tests/examples/KIND/CASE beside a
    schema/ folder), so the records' `$schema` references resolve as they do in place."""
    root = Path(tempfile.mkdtemp(prefix="factbase-examples-"))
    atexit.register(shutil.rmtree, root, True)
    shutil.copytree(ROOT / "schema", root / "schema")
    for kind in ("valid", "invalid"):
        for case in cases(kind):
            target = root / "tests" / "examples" / kind / case
            shutil.copytree(BASE, target)
            shutil.copytree(EXAMPLES / kind / case, target, dirs_exist_ok=True, symlinks=True)
    return root


def example(kind: str, case: str) -> Path:
    """The whole project of one example case (read-only by convention: copy it to edit)."""
    return _examples_root() / "tests" / "examples" / kind / case


@pytest.fixture(autouse=True, scope="session")
def machine_cache_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The cache's machine key lives in a scratch $XDG_CACHE_HOME, never the user's."""
    home = tmp_path_factory.mktemp("xdg-cache")
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(home)
    yield home
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before


def writable_example(target: Path) -> Path:
    """A writable copy of the `valid/all-kinds` example at `target`, its records naming a
    schema/ folder beside seeds/."""
    shutil.copytree(example("valid", "all-kinds"), target)
    (target / "schema").mkdir()
    shutil.copy(ROOT / "schema" / "records.schema.json", target / "schema")
    for path in (target / "seeds").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("../../../../../schema/", "../schema/"), encoding="utf-8")
    (target / "expected.txt").unlink()
    return target


@pytest.fixture
def example_project(tmp_path: Path) -> Path:
    """A writable copy of the `valid/all-kinds` example with a working schema reference."""
    return writable_example(tmp_path / "project")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A writable copy of the fixture project (records, texts, schema)."""
    target = tmp_path / "project"
    shutil.copytree(FIXTURE / "seeds", target / "seeds")
    shutil.copytree(ROOT / "schema", target / "schema")
    shutil.copy(FIXTURE / "factbase.toml", target / "factbase.toml")
    return target


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    """A writable copy of this repository's real dataset (records, texts, schema)."""
    target = tmp_path / "dataset"
    shutil.copytree(ROOT / "seeds", target / "seeds")
    shutil.copytree(ROOT / "schema", target / "schema")
    shutil.copy(ROOT / "factbase.toml", target / "factbase.toml")
    return target
