"""The build: refuses invalid records, replaces atomically, is deterministic, keeps its keys."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import toolkit.build.database as build
from toolkit.build.database import InvalidRecords, build_database
from toolkit.cli.app import app
from toolkit.records.models import EVIDENCED_KINDS, KINDS
from toolkit.validate.engine import validate_project

from .conftest import ROOT, example


def rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    names = [
        r[0]
        for r in conn.execute(
            "select name from sqlite_master where type='table' and name not like '%_fts%' order by name"
        )
    ]
    out = {n: conn.execute(f"select * from [{n}] order by rowid").fetchall() for n in names}
    conn.close()
    return out


def test_counts_equal_the_records(tmp_path: Path) -> None:
    result = build_database(ROOT, tmp_path / "f.db")
    counts = validate_project(ROOT).dataset.counts()
    for kind in KINDS:
        assert result.counts[kind] == counts[kind], kind
    data = rows(result.path)
    evidence = sum(
        len(e.record.evidence) for k in EVIDENCED_KINDS for e in validate_project(ROOT).dataset.valid(k)
    )
    assert len(data["evidence"]) == evidence


def test_foreign_keys_hold(tmp_path: Path) -> None:
    path = build_database(ROOT, tmp_path / "f.db").path
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    fks = conn.execute("select * from pragma_foreign_key_list('claims')").fetchall()
    assert {fk[2] for fk in fks} == {"entities", "properties"}


def test_evidence_offsets_point_at_the_quote(tmp_path: Path) -> None:
    path = build_database(ROOT, tmp_path / "f.db").path
    conn = sqlite3.connect(path)
    for source, file in conn.execute("select id, file from sources"):
        text = (ROOT / "seeds" / file).read_text(encoding="utf-8")
        for start, end, exact, line in conn.execute(
            "select start, end, exact, line from evidence where source = ?", (source,)
        ):
            assert text[start:end] == exact
            assert text.count("\n", 0, start) + 1 == line


def test_deterministic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    a = build_database(ROOT, tmp_path / "a.db")
    b = build_database(ROOT, tmp_path / "b.db")
    assert a.content_hash == b.content_hash
    assert rows(a.path) == rows(b.path)
    assert ("built_at", "2023-11-14T22:13:20+00:00") in rows(a.path)["build_info"]


def test_failed_build_leaves_the_old_file_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "f.db"
    build_database(ROOT, target)
    before = target.read_bytes()

    def explode(*args: object) -> None:
        path = args[-1]
        assert isinstance(path, Path)
        path.write_bytes(b"half a database")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build, "_write", explode)
    with pytest.raises(OSError):
        build_database(ROOT, target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.db"]


@pytest.mark.parametrize(
    "case", ["relation-unquoted", "dangling-reference", "role-unstated", "caption-unmarked"]
)
def test_records_refused_by_a_cross_file_rule_build_nothing_on_two_processes(
    tmp_path: Path, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With two processes the tables are written while the cross-file rules check beside:
    a refusal there still leaves no database and no temporary file, and reports the same."""
    from toolkit.core.aside import can_fork

    project = tmp_path / "project"
    shutil.copytree(example("invalid", case), project)
    report = sorted(
        (p.path, p.line, p.code, p.message) for p in validate_project(project, cache=False).problems
    )
    assert any(p.is_error for p in validate_project(project, cache=False).problems)
    written: list[bool] = []
    ready = build._Writer.ready
    monkeypatch.setattr(
        build._Writer, "ready", lambda self, counts: [written.append(True), ready(self, counts)]
    )
    with pytest.raises(InvalidRecords) as raised:
        build_database(project, tmp_path / "out" / "f.db", jobs=2)
    assert written == [True] * can_fork()  # the tables were written before the refusal came
    assert sorted((p.path, p.line, p.code, p.message) for p in raised.value.problems) == report
    assert not (tmp_path / "out").exists()


def test_a_failed_write_on_two_processes_leaves_the_old_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "f.db"
    build_database(ROOT, target, jobs=2)
    before = target.read_bytes()

    calls: list[object] = []

    def explode(*args: object, **kwargs: object) -> None:
        calls.append(args)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build, "_write", explode)
    with pytest.raises(OSError, match="No space left"):
        build_database(ROOT, target, jobs=2)
    assert len(calls) == 1  # (written once: beside the rules, or after them without fork)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.db"]


def test_invalid_records_are_refused(example_project: Path, tmp_path: Path) -> None:
    target = tmp_path / "f.db"
    build_database(example_project, target)
    before = target.read_bytes()
    facts = example_project / "seeds" / "facts.yaml"
    facts.write_text(
        facts.read_text(encoding="utf-8").replace("amount: 900000", "amount: 900"), encoding="utf-8"
    )
    with pytest.raises(InvalidRecords) as info:
        build_database(example_project, target)
    assert [p.code for p in info.value.problems] == ["amount-not-in-quote"]
    assert target.read_bytes() == before
    with pytest.raises(InvalidRecords):  # folders made for a database that is not built go again
        build_database(example_project, tmp_path / "new" / "dist" / "f.db")
    assert not (tmp_path / "new").exists()


def test_cli_build(example_project: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["build", "-p", str(example_project), "-o", str(tmp_path / "x.db")])
    assert result.exit_code == 0
    assert result.stdout.startswith(f"built {tmp_path / 'x.db'}: ")
    facts = example_project / "seeds" / "facts.yaml"
    facts.write_text(
        facts.read_text(encoding="utf-8").replace("amount: 900000", "amount: 900"), encoding="utf-8"
    )
    result = runner.invoke(app, ["build", "-p", str(example_project), "-o", str(tmp_path / "x.db")])
    assert result.exit_code == 1
    assert result.stdout.startswith("seeds/facts.yaml:53:21: error[amount-not-in-quote]: ")
    assert result.stderr == "error: 1 error in the records: nothing was built\n"


def test_search_key_folds_d_with_stroke() -> None:
    from toolkit.core.searchfold import search_key

    assert search_key("Đặng Xuân Phong") == "dang xuan phong"
    assert search_key("Tô Huy Rứa") == "to huy rua"


LATIN = st.characters(min_codepoint=0x20, max_codepoint=0x24F) | st.characters(
    min_codepoint=0x1E00, max_codepoint=0x1EFF
)


@settings(max_examples=500)
@given(st.text(alphabet=LATIN, max_size=40))
def test_search_key_equals_decomposition(text: str) -> None:
    """For Latin script (Vietnamese included) the table folds as stripping marks from NFD would."""
    import unicodedata

    from toolkit.core.searchfold import search_key
    from toolkit.core.text import fold_text

    nfd = unicodedata.normalize("NFD", fold_text(text).replace("đ", "d").replace("Đ", "D"))
    expected = unicodedata.normalize(
        "NFC", "".join(c for c in nfd if not unicodedata.combining(c))
    ).casefold()
    assert unicodedata.normalize("NFC", search_key(text)) == expected
