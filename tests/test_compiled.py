"""The compiled hot path (setup.py, `make fast`) changes nothing but the speed.

When compiled modules sit beside their sources, every example project, the dataset and a
generated benchmark project are validated and built twice, in two processes: compiled, and
pure with FACTBASE_PURE=1 (which the package honours by loading every module from source).
The validation reports (JSON and text) and the database dumps must be the same bytes. Without
compiled modules those tests skip, saying so; the switch, the module list and the fallback
without a C compiler are tested either way."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tomllib
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import generate

from .conftest import EXAMPLES, FIXTURE, ROOT, cases, example

LISTED = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["factbase"]["compiled"]


def _compiled_files(source: Path) -> list[Path]:
    return [p for p in source.parent.glob(source.stem + ".*") if p.name.endswith(tuple(EXTENSION_SUFFIXES))]


def _module(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


COMPILED = sorted(_module(p) for p in LISTED if _compiled_files(ROOT / p))
needs_compiled = pytest.mark.skipif(
    not COMPILED, reason="nothing is compiled here: `make fast` compiles the hot path (CI does)"
)

# Runs toolkit commands in this process one after another and reports each one's exit code
# and output, and which toolkit modules ran compiled.
_RUNNER = """
import contextlib, io, json, sys
from toolkit.cli.app import main
from toolkit.core.native import compiled_modules
out = {}
for name, args in json.loads(sys.argv[1]):
    stdout, stderr = io.StringIO(), io.StringIO()
    sys.argv = ["toolkit", *args]
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    out[name] = [code, stdout.getvalue(), stderr.getvalue()]
print(json.dumps({"runs": out, "compiled": compiled_modules()}))
"""


def _run(jobs: list[tuple[str, list[str]]], pure: bool) -> dict[str, Any]:
    env = {**os.environ, "FACTBASE_PURE": "1" if pure else "0", "SOURCE_DATE_EPOCH": "1700000000"}
    done = subprocess.run(
        [sys.executable, "-c", _RUNNER, json.dumps(jobs)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=1200,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def _dump(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_the_listed_modules_are_sources_of_the_package() -> None:
    assert LISTED == sorted(set(LISTED), key=LISTED.index), "a module is listed twice"
    for path in LISTED:
        assert path.startswith("toolkit/") and path.endswith(".py") and (ROOT / path).is_file(), path


def test_pure_switch_loads_every_module_from_source() -> None:
    script = (
        f"import {', '.join(_module(p) for p in LISTED)}\n"
        "from toolkit.core.native import compiled_modules\n"
        "print('\\n'.join(compiled_modules()))"
    )
    for pure, expected in ((True, []), (False, COMPILED)):
        env = {**os.environ, "FACTBASE_PURE": "1" if pure else "0"}
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True, cwd=ROOT
        )
        assert done.stdout.split() == expected, f"FACTBASE_PURE={int(pure)}"


def test_no_compiled_module_is_older_than_its_source() -> None:
    """An edit after `make fast` would otherwise run the old code; rebuild or `make pure`."""
    stale = [
        str(so.relative_to(ROOT))
        for path in LISTED
        for so in _compiled_files(ROOT / path)
        if so.stat().st_mtime < (ROOT / path).stat().st_mtime
    ]
    assert not stale, f"compiled before their source changed: {stale}; run `make fast` or `make pure`"


def test_without_a_c_compiler_the_build_is_pure_python() -> None:
    env = {**os.environ, "FACTBASE_COMPILE": "1", "CC": "/bin/false"}
    done = subprocess.run(
        [sys.executable, "setup.py", "--version"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "no C compiler works here: pure Python" in done.stderr


def _both_ways(work: Path) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """Every project validated (JSON and text reports) and the valid ones built, both ways."""
    generated = work / "generated"
    generate(2000, generated)
    projects = {
        "dataset": ROOT,
        "english": ROOT / "examples" / "english",
        "fixture": FIXTURE,
        "generated": generated,
        **{f"{kind}/{case}": example(kind, case) for kind in ("valid", "invalid") for case in cases(kind)},
    }
    jobs: list[tuple[str, list[str]]] = []
    built = []
    for name, project in projects.items():
        for fmt in ("json", "text"):
            jobs.append(
                (
                    f"validate {fmt} {name}",
                    ["validate", "--no-cache", "-f", fmt, "-j", "1", "-p", str(project)],
                )
            )
        if not name.startswith("invalid/"):
            built.append(name)
            for mode in ("compiled", "pure"):
                out = work / mode / (name.replace("/", "-") + ".db")
                out.parent.mkdir(parents=True, exist_ok=True)
                jobs.append(
                    (f"build {mode} {name}", ["build", "-q", "-j", "1", "-p", str(project), "-o", str(out)])
                )
    compiled = _run([j for j in jobs if not j[0].startswith("build pure")], pure=False)
    pure = _run([j for j in jobs if not j[0].startswith("build compiled")], pure=True)
    compiled["work"] = work
    return compiled, pure, built


@pytest.fixture(scope="module")
def both_ways(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    if not COMPILED:
        pytest.skip("nothing is compiled here: `make fast` compiles the hot path (CI does)")
    return _both_ways(tmp_path_factory.mktemp("both-ways"))


@needs_compiled
def test_each_run_was_what_it_claims(both_ways: tuple[dict[str, Any], dict[str, Any], list[str]]) -> None:
    compiled, pure, _ = both_ways
    assert pure["compiled"] == []
    assert set(compiled["compiled"]) <= set(COMPILED)
    assert {"toolkit.records.yaml", "toolkit.core.text", "toolkit.build.rows"} <= set(compiled["compiled"])


@needs_compiled
def test_reports_are_the_same_compiled_and_pure(
    both_ways: tuple[dict[str, Any], dict[str, Any], list[str]],
) -> None:
    compiled, pure, _ = both_ways
    names = [n for n in compiled["runs"] if n.startswith("validate")]
    assert len(names) == 2 * (4 + len(cases("valid")) + len(cases("invalid")))
    for name in names:
        assert "".join(compiled["runs"][name][1:]), f"{name} printed no report"
        assert compiled["runs"][name] == pure["runs"][name], name
    codes = {compiled["runs"][n][0] for n in names}
    assert {0, 1} <= codes, "the examples hold valid and invalid projects: both kinds of report compared"


@needs_compiled
def test_databases_are_the_same_compiled_and_pure(
    both_ways: tuple[dict[str, Any], dict[str, Any], list[str]],
) -> None:
    compiled, pure, built = both_ways
    assert built and (EXAMPLES / "valid").is_dir()
    for name in built:
        code, out, err = compiled["runs"][f"build compiled {name}"]
        assert [code, out, err] == pure["runs"][f"build pure {name}"], name
        assert code == 0, err
    for name in built:
        file = name.replace("/", "-") + ".db"
        dumps = _dump(compiled["work"] / "compiled" / file), _dump(compiled["work"] / "pure" / file)
        assert len(dumps[0]) > 10, name
        assert dumps[0] == dumps[1], name


def test_a_stale_compiled_module_sets_the_compiled_path_aside(tmp_path: Path) -> None:
    """After an edit (or a checkout) since `make fast`, the package runs pure rather than mix
    a stale compiled module with edited sources."""
    import os
    from importlib.machinery import EXTENSION_SUFFIXES

    from toolkit.core.native import stale_compiled

    (tmp_path / "sub").mkdir()
    source, compiled = tmp_path / "sub" / "hot.py", tmp_path / "sub" / f"hot{EXTENSION_SUFFIXES[0]}"
    source.write_text("x = 1\n")
    compiled.write_bytes(b"")
    os.utime(source, (1_000, 1_000))
    os.utime(compiled, (2_000, 2_000))
    assert stale_compiled(str(tmp_path)) == []
    os.utime(source, (3_000, 3_000))
    assert stale_compiled(str(tmp_path)) == [str(source)]
    # mypyc's shared library holds the code: rebuilt after the edit, the stub may stay old.
    shared = tmp_path / f"lib__mypyc{EXTENSION_SUFFIXES[0]}"
    shared.write_bytes(b"")
    os.utime(shared, (4_000, 4_000))
    assert stale_compiled(str(tmp_path)) == []
