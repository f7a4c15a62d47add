"""Issue 23, nothing lost: a database named with --db or made by someone else is never rebuilt
in place, an export is never left half-written over the last one, a rewritten file keeps its
mode, and a crafted or damaged database is refused in seconds with its name (exit 2)."""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.build.database import build_database
from toolkit.cli.app import app
from toolkit.core.files import atomic_write
from toolkit.publish.metadata import ensure_database

runner = CliRunner()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


def _toolkit(*args: str, preexec_fn: Callable[[], None] | None = None) -> subprocess.CompletedProcess[str]:
    """`toolkit ARGS` in a process of its own: a hang fails the test at 30 s, never the suite."""
    command = [sys.executable, "-m", "toolkit", *args]
    return subprocess.run(command, capture_output=True, text=True, preexec_fn=preexec_fn, timeout=30)


def _change_the_records(project: Path) -> None:
    facts = project / "seeds" / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + "\n", encoding="utf-8")


# ------------------------------------------------------------------ no rebuild in place


def test_export_never_rebuilds_a_database_named_with_db(example_project: Path, tmp_path: Path) -> None:
    """`export --db release.db` rebuilt a stale release in place: the saved release lost a claim."""
    release = build_database(example_project, tmp_path / "release.db").path
    before = _digest(release)
    _change_the_records(example_project)
    code, out = _invoke("export", "-p", str(example_project), "--db", str(release), "-o", str(tmp_path / "x"))
    assert code == 2, out
    assert f"error: {release} was not built from this project's current records" in out
    assert _digest(release) == before


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_never_rebuilds_a_database_named_with_db(example_project: Path, tmp_path: Path) -> None:
    release = build_database(example_project, tmp_path / "release.db").path
    before = _digest(release)
    _change_the_records(example_project)
    args = ["serve", "-p", str(example_project), "--db", str(release), "--port", str(_free_port())]
    result = _toolkit(*args)
    assert result.returncode == 2, result.stderr
    assert "is never rebuilt in place" in result.stderr
    assert _digest(release) == before


def test_an_sqlite_file_the_toolkit_did_not_make_is_not_replaced(
    example_project: Path, tmp_path: Path
) -> None:
    """An unrelated SQLite file at dist/factbase.db lost its table to a rebuild."""
    other = example_project / "dist" / "factbase.db"
    other.parent.mkdir()
    with sqlite3.connect(other) as conn:
        conn.execute("create table notes (text)")
        conn.execute("insert into notes values ('mine')")
    before = _digest(other)
    code, out = _invoke("export", "-p", str(example_project), "-o", str(tmp_path / "x"))
    assert code == 2, out
    assert "is not a database the toolkit built, so it is not replaced" in out
    assert _digest(other) == before


def test_the_projects_own_stale_build_is_still_rebuilt(example_project: Path) -> None:
    path, _ = ensure_database(example_project)
    _change_the_records(example_project)
    assert ensure_database(example_project) == (path, True)


# ------------------------------------------------------------------ an export on a full disk


def test_an_export_on_a_full_disk_leaves_the_last_one_whole(example_project: Path, tmp_path: Path) -> None:
    """It overwrote the previous export and left a CSV cut mid-row. The disk is full for the
    second export alone: a file size limit whose signal is ignored fails its writes."""
    out = tmp_path / "export"
    assert _invoke("export", "-p", str(example_project), "-f", "datapackage", "-o", str(out))[0] == 0
    (out / "mine.txt").write_text("not the toolkit's", encoding="utf-8")
    before = {p.name: _digest(p) for p in out.iterdir()}

    def full_disk() -> None:  # pragma: no cover - runs in the child
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))

    args = ["export", "-p", str(example_project), "-f", "datapackage", "-o", str(out)]
    result = _toolkit(*args, preexec_fn=full_disk)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert {p.name: _digest(p) for p in out.iterdir()} == before  # nothing new, nothing cut, none left


# ------------------------------------------------------------------ file modes


@pytest.mark.parametrize("mode", [0o644, 0o664, 0o600, 0o755])
def test_a_rewritten_file_keeps_its_mode(tmp_path: Path, mode: int) -> None:
    """`atomic_write` wrote through `mkstemp`: every rewritten file became 0600."""
    path = tmp_path / "metadata.json"
    path.write_text("{}", encoding="utf-8")
    path.chmod(mode)
    atomic_write(path, "{}\n")
    assert stat.S_IMODE(path.stat().st_mode) == mode


def test_a_new_file_gets_the_umasks_mode(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        atomic_write(tmp_path / "new.json", "{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o640


def test_toolkit_metadata_keeps_the_files_mode(tmp_path: Path) -> None:
    path = tmp_path / "metadata.json"
    path.write_text("{}", encoding="utf-8")
    path.chmod(0o644)
    assert _invoke("metadata", "-q", "-o", str(path))[0] == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


# ------------------------------------------------------------------ crafted and damaged databases

_FOREVER = "with recursive r(n) as (select 1 union all select n + 1 from r) "


def _crafted(source: Path, target: Path, how: str) -> Path:
    """A copy of a real build with a recursive view as build_info or evidence (keeping the
    real build_info, so it looks current), or a damaged page under a table."""
    shutil.copy(source, target)
    with sqlite3.connect(target) as conn:
        if how == "build_info":
            conn.execute("drop table build_info")
            conn.execute(f"create view build_info as {_FOREVER}select 'k' as key, n as value from r")
        elif how == "evidence":
            conn.execute("pragma foreign_keys = off")
            conn.execute("drop table evidence")
            columns = "'claim' as record_kind, 'x' as record_id, 's' as source, 'q' as quote, n as seq"
            conn.execute(f"create view evidence as {_FOREVER}select {columns} from r")
        page_size = conn.execute("pragma page_size").fetchone()[0]
        root = conn.execute("select rootpage from sqlite_master where name = 'claims'").fetchone()[0]
    if how == "damaged":
        with target.open("r+b") as handle:
            handle.seek((root - 1) * page_size)
            handle.write(b"\x0d" + b"\xff" * (page_size - 1))
    return target


@pytest.mark.parametrize("how", ["build_info", "evidence", "damaged"])
@pytest.mark.parametrize("command", ["diff", "export", "serve"])
def test_a_crafted_or_damaged_database_is_refused_in_seconds(
    example_project: Path, tmp_path: Path, how: str, command: str
) -> None:
    """A recursive view as build_info or evidence hung diff, export --db and serve --db; a
    damaged page gave exit 3. Each now exits 2 naming the file, well within the timeout."""
    real = build_database(example_project, tmp_path / "real.db").path
    crafted = _crafted(real, tmp_path / "crafted.db", how)
    if command == "diff":
        args = ["diff", str(real), str(crafted)]
    elif command == "export":
        args = ["export", "-p", str(example_project), "--db", str(crafted), "-o", str(tmp_path / "x")]
    else:
        args = ["serve", "-p", str(example_project), "--db", str(crafted), "--port", str(_free_port())]
    result = _toolkit(*args)
    assert result.returncode == 2, result.stderr
    assert f"error: {crafted}" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
