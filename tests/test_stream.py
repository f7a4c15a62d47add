"""Streaming: each record file checked (and turned into rows) in one pass, in this process or
in workers, gives the report and the database a run holding every record gives, whatever the
number of processes and whichever files hold the sources and people."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
import yaml

from toolkit.build.database import build_database
from toolkit.validate.engine import Plan, validate_project

from .conftest import cases, example, writable_example


@pytest.fixture(autouse=True)
def small_projects_go_parallel_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """These projects are small: let even them use the worker processes."""
    monkeypatch.setattr("toolkit.validate.stream.PARALLEL_FROM_BYTES", 0)


def _report(root: Path, records: bool, jobs: int = 1) -> tuple[list[tuple[str, int, int, str, str]], int]:
    result = validate_project(root, cache=False, records=records, plan=Plan(jobs=jobs))
    return [(p.path, p.line, p.column, p.code, p.message) for p in result.problems], result.anchored


def _split(project: Path) -> Path:
    """The same records, each claim in a file of its own (so they stream)."""
    seeds = project / "seeds"
    facts = (seeds / "facts.yaml").read_text(encoding="utf-8")
    head, _, claims = facts.partition("claims:\n")
    (seeds / "facts.yaml").write_text(head, encoding="utf-8")
    header = head.split("\n", 1)[0] + "\n"
    for i, chunk in enumerate(claims.split("\n  - id: ")):
        body = chunk if i == 0 else "  - id: " + chunk
        (seeds / f"claims-{i}.yaml").write_text(f"{header}claims:\n{body.rstrip()}\n", encoding="utf-8")
    return project


def _escaped(project: Path, kind: str, file: str) -> None:
    """Move the records of `kind` to a JSON file whose key is written with an escape, so
    its bytes do not name the kind."""
    seeds = project / "seeds"
    lines = (seeds / file).read_text(encoding="utf-8").split("\n")
    data = yaml.safe_load("\n".join(lines))
    schema = lines[0].split("$schema=", 1)[1]
    text = json.dumps({"$schema": schema, kind: data.pop(kind)}, ensure_ascii=False, indent=1)
    escaped = "\\u" + format(ord(kind[0]), "04x") + kind[1:]
    (seeds / f"zz-{kind}.json").write_text(text.replace(f'"{kind}"', f'"{escaped}"'), encoding="utf-8")
    assert kind.encode() not in (seeds / f"zz-{kind}.json").read_bytes()
    if not data:
        (seeds / file).unlink()
        return
    start = lines.index(f"{kind}:")
    end = next((i for i in range(start + 1, len(lines)) if lines[i][:1].isalpha()), len(lines))
    (seeds / file).write_text("\n".join(lines[:start] + lines[end:]), encoding="utf-8")


def _dump(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [line for line in conn.iterdump() if "build_info" not in line]
    finally:
        conn.close()


@pytest.mark.parametrize(
    "case", [("valid", c) for c in cases("valid")] + [("invalid", c) for c in cases("invalid")]
)
def test_streaming_reports_what_a_run_holding_every_record_does(case: tuple[str, str]) -> None:
    project = example(*case)
    kept = _report(project, records=True)
    assert _report(project, records=False) == kept
    assert _report(project, records=False, jobs=2) == kept


@pytest.mark.parametrize("moved", [None, ("sources", "sources.yaml"), ("persons", "entities.yaml")])
def test_the_same_database_on_any_number_of_processes(tmp_path: Path, moved: tuple[str, str] | None) -> None:
    """One claim per file streams; sources or people in a file whose bytes hide them are
    found after the pass, and the files checked without them are checked again."""
    plain = writable_example(tmp_path / "plain")
    expected = _dump(build_database(plain, tmp_path / "plain.db").path)
    project = _split(writable_example(tmp_path / "project"))
    if moved is not None:
        _escaped(project, *moved)
    assert _report(project, records=False, jobs=2) == _report(project, records=True)
    for jobs in (1, 2):
        assert _dump(build_database(project, tmp_path / f"{jobs}.db", jobs=jobs).path) == expected


def _nothing_streams(project: Path) -> Path:
    """Every file's bytes name sources and people (here in a comment): every file is read
    first, in this process, and none streams."""
    for path in (project / "seeds").glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8") + "# sources, persons\n", encoding="utf-8")
    return project


def test_the_same_database_when_no_file_streams(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With several processes the tables are written while the cross-file rules run beside;
    with every file read first, its quotes are still found (against the sources) before its
    rows are made, and a quote not in its source still refuses the build."""
    from toolkit.build import database
    from toolkit.core.aside import can_fork
    from toolkit.core.problems import InvalidRecords

    expected = _dump(build_database(writable_example(tmp_path / "plain"), tmp_path / "plain.db").path)
    project = _nothing_streams(writable_example(tmp_path / "project"))
    written: list[bool] = []
    ready = database._Writer.ready
    monkeypatch.setattr(
        database._Writer, "ready", lambda self, counts: [written.append(True), ready(self, counts)]
    )
    assert _dump(build_database(project, tmp_path / "2.db", jobs=2).path) == expected
    assert written == [True] * can_fork()  # (written beside the rules, where processes fork)
    facts = project / "seeds" / "facts.yaml"
    facts.write_text(
        facts.read_text(encoding="utf-8").replace("quote: ", "quote: Không có ", 1), encoding="utf-8"
    )
    report, _ = _report(project, records=True)
    with pytest.raises(InvalidRecords) as raised:
        build_database(project, tmp_path / "x.db", jobs=2)
    assert [(p.path, p.line, p.column, p.code, p.message) for p in raised.value.problems] == report

    def explode(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(database, "_write", explode)  # the refusal wins over a failed write
    with pytest.raises(InvalidRecords):
        build_database(project, tmp_path / "x.db", jobs=2)
    assert not (tmp_path / "x.db").exists()


def test_an_invalid_streamed_file_stops_the_build_with_the_report(tmp_path: Path) -> None:
    from toolkit.core.problems import InvalidRecords

    project = _split(writable_example(tmp_path / "project"))
    claim = project / "seeds" / "claims-1.yaml"
    claim.write_text(
        claim.read_text(encoding="utf-8").replace("quote: ", "quote: Không có "), encoding="utf-8"
    )
    report, _ = _report(project, records=True)
    assert report
    for jobs in (1, 2):
        with pytest.raises(InvalidRecords) as raised:
            build_database(project, tmp_path / "x.db", jobs=jobs)
        assert [(p.path, p.line, p.column, p.code, p.message) for p in raised.value.problems] == report
    assert not (tmp_path / "x.db").exists()


def test_a_file_that_cannot_be_read_is_reported_once(tmp_path: Path) -> None:
    project = _split(writable_example(tmp_path / "project"))
    (project / "seeds" / "claims-2.yaml").write_bytes(b"\xff\xfe broken")
    shutil.copy(project / "seeds" / "claims-1.yaml", project / "seeds" / "claims-1b.yaml")
    report, _ = _report(project, records=True)
    assert _report(project, records=False, jobs=2)[0] == report
    assert sum(p[0] == "seeds/claims-2.yaml" for p in report) == 1
