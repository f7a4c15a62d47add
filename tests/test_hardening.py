"""Issue 12 end to end: bad input never crashes a command (exit 0, 1 or 2, never 3, never a
traceback), and the site, the Excel export and a killed build stay within bounds."""

from __future__ import annotations

import asyncio
import csv
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from toolkit.build.database import build_database, remove_stale_temporaries
from toolkit.cli.app import app
from toolkit.publish.metadata import metadata, render_metadata
from toolkit.site.serve import datasette_app

runner = CliRunner()
FACTS = "seeds/facts.yaml"


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# ------------------------------------------------------------------ commands never exit 3


@pytest.mark.parametrize("command", ["validate", "build"])
@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("overflow", "number-out-of-range"),
        ("huge-exponent", "number-out-of-range"),
        ("many-digits", "number-out-of-range"),
        ("deep-dashes", "nesting-too-deep"),
        ("tab-only-line", "yaml-syntax"),
        ("cr-only", "line-endings"),
        ("symlink", "file-symlink"),
        ("json-surrogate-text", "not-utf8"),
        ("json-surrogate-key", "not-utf8"),
        ("deep-json", "nesting-too-deep"),
    ],
)
def test_hostile_records_exit_1_with_the_code(
    example_project: Path, tmp_path: Path, command: str, case: str, code: str
) -> None:
    facts = example_project / FACTS
    if case == "overflow":
        _replace(facts, "amount: 120,", "amount: 1e999999999,")
    elif case == "huge-exponent":
        _replace(facts, "amount: 120,", "amount: 0.4e0066999999999999999999999,")
    elif case == "many-digits":
        _replace(facts, "amount: 120,", f"amount: {'9' * 5001},")
    elif case == "deep-dashes":
        (example_project / "seeds" / "deep.yaml").write_text("- " * 15_000 + "x\n", encoding="utf-8")
    elif case == "tab-only-line":  # and a data error the report must still show
        _replace(facts, "amount: 120,", "amount: 121,")
        _replace(facts, "events:\n", "events:\n\t\n")
    elif case == "cr-only":
        facts.write_bytes(facts.read_bytes().replace(b"\n", b"\r"))
    elif case == "symlink":
        outside = tmp_path / "outside.yaml"
        outside.write_text("persons:\n  - {id: x, name: X, name_en: X}\n", encoding="utf-8")
        (example_project / "seeds" / "linked.yaml").symlink_to(outside)
    elif case == "json-surrogate-text":
        (example_project / "seeds" / "more.json").write_text(
            '{"persons": [{"id": "x", "name": "\\ud800", "name_en": "X"}]}', encoding="utf-8"
        )
    elif case == "json-surrogate-key":
        (example_project / "seeds" / "more.json").write_text('{"persons\\udc00": []}', encoding="utf-8")
    else:
        depth = 30_000
        (example_project / "seeds" / "deep.json").write_text("[" * depth + "]" * depth, encoding="utf-8")
    args = ["-p", str(example_project)] + (["--no-cache"] if command == "validate" else [])
    if command == "build":
        args += ["-o", str(tmp_path / "out.db")]
    exit_code, _ = _run(command, *args)
    assert exit_code == 1
    _, report = _run("validate", "-p", str(example_project), "--format", "json")
    import json

    problems = json.loads(report)["problems"] if report.strip().startswith("{") else json.loads(report)
    codes = {p["code"] for p in problems}
    assert code in codes
    if case == "tab-only-line":
        found = next(p for p in problems if p["code"] == "yaml-syntax")
        assert found["path"] == FACTS and found["line"] > 1 and "tabs" in found["message"]
    if case == "cr-only":
        assert "schema-ref-missing" not in codes


# ------------------------------------------------------------------ the site


@pytest.fixture(scope="module")
def site_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    from .conftest import ROOT, example

    project = tmp_path_factory.mktemp("site") / "project"
    shutil.copytree(example("valid", "all-kinds"), project)
    (project / "schema").mkdir()
    shutil.copy(ROOT / "schema" / "records.schema.json", project / "schema")
    for path in (project / "seeds").glob("*.yaml"):
        path.write_text(
            path.read_text(encoding="utf-8").replace("../../../../../schema/", "../schema/"), encoding="utf-8"
        )
    (project / "metadata.json").write_text(render_metadata(project), encoding="utf-8")
    return build_database(project, project / "dist" / "factbase.db").path


def _request(db: Path, method: str, url: str, **kwargs: Any) -> Any:
    async def fetch() -> Any:
        ds = datasette_app(db, db.parent.parent / "metadata.json")
        return await getattr(ds.client, method)(url, **kwargs)

    return asyncio.run(fetch())


def test_a_huge_value_is_refused_at_once(site_db: Path) -> None:
    """`select randomblob(1000000000)` returned 1.33 GB; now SQLite refuses to make it."""
    started = time.perf_counter()
    response = _request(site_db, "get", "/factbase.json?sql=select+randomblob(1000000000)")
    assert time.perf_counter() - started < 5
    assert response.status_code == 400
    assert len(response.content) < 10_000
    assert "too big" in response.text


def test_a_huge_result_is_refused(site_db: Path) -> None:
    """Many values under the value limit still cannot add up to a huge response."""
    sql = (
        "with recursive n(i) as (select 1 union all select i + 1 from n limit 1000) "
        "select zeroblob(900000) from n"
    )
    response = _request(site_db, "get", "/factbase.json", params={"sql": sql})
    assert response.status_code == 400
    assert len(response.content) < 10_000
    assert "MiB" in response.text


def test_ordinary_pages_still_answer(site_db: Path) -> None:
    assert _request(site_db, "get", "/factbase/claims_flat.json").status_code == 200
    assert _request(site_db, "get", "/factbase.json?sql=select+length(randomblob(1000))").status_code == 200


@pytest.mark.parametrize("query", list(metadata()["databases"]["factbase"]["queries"]))
def test_a_post_to_a_canned_query_is_405_without_a_traceback(
    site_db: Path, query: str, capfd: pytest.CaptureFixture[str]
) -> None:
    response = _request(site_db, "post", f"/factbase/{query}", data={"x": "1"})
    assert response.status_code == 405
    assert "Traceback" not in response.text
    assert "Traceback" not in capfd.readouterr().err


# ------------------------------------------------------------------ the Excel export


def test_the_excel_export_neutralises_formulas(example_project: Path, tmp_path: Path) -> None:
    """OWASP CSV injection: `=HYPERLINK(...)` in a record was a live formula in Excel."""
    _replace(
        example_project / FACTS,
        "statement_en: Nearly 120 delegates attended the conference.",
        'statement_en: "=HYPERLINK(\\"http://evil.example\\", \\"click\\")"',
    )
    assert _run("export", "-p", str(example_project), "--bom", "-o", str(tmp_path / "xl"))[0] == 0
    assert _run("export", "-p", str(example_project), "-o", str(tmp_path / "plain"))[0] == 0
    with (tmp_path / "xl" / "claims.csv").open(encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert '\'=HYPERLINK("http://evil.example", "click")' in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    with (tmp_path / "plain" / "claims.csv").open(encoding="utf-8", newline="") as handle:
        plain = [cell for row in csv.reader(handle) for cell in row]
    assert '=HYPERLINK("http://evil.example", "click")' in plain  # data tools get the exact value


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("a=1", "a=1"),
    ],
)
def test_neutralise(value: str, shown: str) -> None:
    from toolkit.publish.export import neutralise

    assert neutralise(value) == shown
    assert neutralise(-1) == -1


# ------------------------------------------------------------------ a killed build


def test_the_next_build_removes_what_a_killed_build_left(example_project: Path, tmp_path: Path) -> None:
    """A build killed with SIGKILL left `.factbase.db.*.tmp` and `-journal` files behind."""
    out = tmp_path / "dist" / "factbase.db"
    out.parent.mkdir()
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
        dead_pid = int(dead.stdout)
        left = [
            out.parent / f".factbase.db.{dead_pid}-abc123.tmp",
            out.parent / f".factbase.db.{dead_pid}-abc123.tmp-journal",
        ]
        running = out.parent / f".factbase.db.{child.pid}-def456.tmp"
        old = out.parent / ".factbase.db.k2j3h4.tmp"  # an older toolkit's name, no process id
        other = out.parent / ".other.db.1-x.tmp"
        for path in [*left, running, old, other]:
            path.write_bytes(b"partial")
        os.utime(old, (time.time() - 7200, time.time() - 7200))
        build_database(example_project, out)
        assert out.is_file()
        assert not any(p.exists() for p in [*left, old])
        assert running.exists() and other.exists()  # a build still running, and not ours
        assert remove_stale_temporaries(out) == []
    finally:
        child.kill()
        child.wait()


def test_a_build_killed_with_sigkill_leaves_nothing_after_the_next_one(example_project: Path) -> None:
    out = example_project / "dist" / "factbase.db"
    code = (
        "import sys, toolkit.build.database as b\n"
        "from pathlib import Path\n"
        "def stop(*a, **k):\n"
        "    import os, signal, time\n"
        "    open(sys.argv[2], 'w').close()\n"
        "    time.sleep(60)\n"
        "def write(*args):\n"
        "    tmp = args[-1]\n"
        "    __import__('sqlite3').connect(tmp).execute('create table t(x)')\n"
        "    stop()\n"
        "b._write = write\n"
        "b.build_database(Path(sys.argv[1]), Path(sys.argv[1]) / 'dist' / 'factbase.db')\n"
    )
    flag = example_project / "started"
    child = subprocess.Popen([sys.executable, "-c", code, str(example_project), str(flag)])
    try:
        for _ in range(600):
            if flag.exists():
                break
            time.sleep(0.1)
        assert flag.exists()
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait()
    assert [p.name for p in out.parent.iterdir() if p.name.endswith(".tmp")]
    build_database(example_project, out)
    assert sorted(p.name for p in out.parent.iterdir()) == ["factbase.db"]


def test_the_reliability_section_names_tests_that_exist() -> None:
    """Each promise in the README's Reliability section points at a test: it must exist."""
    import re

    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Reliability", 1)[1].split("\n## ", 1)[0]
    named = re.findall(r"`(tests/[\w/]+\.py)(?:::(\w+))?`", section)
    assert len(named) >= 8
    for path, test in named:
        source = (ROOT / path).read_text(encoding="utf-8")
        assert not test or f"def {test}(" in source, f"{path}::{test}"


def test_every_load_error_code_is_documented() -> None:
    """New load codes (line-endings, file-symlink, number-out-of-range, ...) are in the README."""
    from toolkit.core.problems import LoadError

    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    pending, codes = [LoadError], set()
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        codes.add(cls.code)
    codes.discard("load-error")  # the abstract base
    assert {c for c in codes if f"`{c}`" not in readme} == set()


def test_an_entity_named_twice_as_organizer_is_refused_not_a_crash(
    example_project: Path, tmp_path: Path
) -> None:
    """Found by the fuzz test: `organizers: [a, a]` validated, then build exited 3 on the
    event_organizers primary key. Now the repeat is a problem with its line (duplicate-item),
    and build refuses the records with the same report, never a crash."""
    facts = example_project / FACTS
    _replace(
        facts,
        "organizers: [hoi-huu-nghi-ha-giang]",
        "organizers: [hoi-huu-nghi-ha-giang, hoi-huu-nghi-ha-giang]",
    )
    code, out = _run("validate", "--no-cache", "-p", str(example_project))
    assert code == 1 and "error[duplicate-item]" in out
    code, _ = _run("build", "-q", "-p", str(example_project), "-o", str(tmp_path / "f.db"))
    assert code == 1


def test_a_source_text_over_the_size_limit_is_refused(example_project: Path) -> None:
    """A source is one archived page: past 2 MiB it was read whole, folded twice and kept."""
    import hashlib

    from toolkit.core.limits import MAX_FILE_BYTES

    text = example_project / "seeds" / "bai-bao.txt"
    raw = text.read_bytes() + b"a " * (MAX_FILE_BYTES // 2)
    text.write_bytes(raw)
    sources = example_project / "seeds" / "sources.yaml"
    # Whatever digest the example holds, the new one (the example's text may change).
    sources.write_text(
        re.sub(r"\b[0-9a-f]{64}\b", hashlib.sha256(raw).hexdigest(), sources.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    code, out = _run("validate", "--no-cache", "-p", str(example_project))
    assert code == 1
    assert "seeds/sources.yaml:4:11: error[file-too-large]: seeds/bai-bao.txt is 2,097," in out


def test_a_build_on_a_full_disk_says_so_and_leaves_nothing(example_project: Path, tmp_path: Path) -> None:
    """A full disk during `build` ended in `internal error … OperationalError: disk I/O
    error`, exit 3. The disk is made full for the build alone: a file size limit, whose
    signal is ignored, so a write past it fails as on a full disk."""
    import resource

    def full_disk() -> None:  # pragma: no cover - runs in the child
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (16384, 16384))

    out = tmp_path / "dist" / "factbase.db"
    result = subprocess.run(
        [sys.executable, "-m", "toolkit", "build", "-p", str(example_project), "-o", str(out)],
        capture_output=True,
        text=True,
        preexec_fn=full_disk,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert f"error: {out}: cannot write it" in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert not out.parent.exists()  # the folder made for it, and its temporary files, are gone


def test_work_done_aside_comes_back_from_another_process() -> None:
    from toolkit.core.aside import Aside, can_fork

    here = os.getpid()
    with Aside(os.getpid) as aside:
        pid = aside.result()
    assert (pid != here) is can_fork()
    assert Aside(os.getpid, fork=False).result() == here


def test_work_whose_process_dies_is_done_here() -> None:
    """A copy killed before it sends its result (out of memory, a signal) costs time, never
    the result: the work is done again in the process that asks."""
    from toolkit.core.aside import Aside

    here = os.getpid()

    def work() -> int:
        if os.getpid() != here:
            os.kill(os.getpid(), signal.SIGKILL)
        return 42

    assert Aside(work).result() == 42


def test_work_that_fails_aside_raises_where_its_result_is_asked_for() -> None:
    from toolkit.core.aside import Aside

    def work() -> int:
        raise ValueError("bad records")

    aside = Aside(work)
    with pytest.raises(ValueError, match="bad records"):
        aside.result()
    aside.close()  # (nothing left to wait for)


def test_work_is_done_here_when_no_process_can_be_forked(monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.core import aside

    def refuse() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    before = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else 0
    monkeypatch.setattr(aside.os, "fork", refuse)
    assert aside.Aside(os.getpid).result() == os.getpid()
    if before:
        assert len(os.listdir("/proc/self/fd")) == before  # (the pipe was closed again)


def test_closing_ends_the_copy_without_waiting_for_its_work() -> None:
    from toolkit.core.aside import Aside, can_fork

    if not can_fork():
        pytest.skip("no fork here: nothing runs aside")
    with Aside(lambda: time.sleep(600)) as aside:
        pid = aside.pid
        assert pid
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # ended and collected: no process left behind
