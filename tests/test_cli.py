"""The command line through typer's CliRunner: exact exit codes and messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit import __version__
from toolkit.cli.app import app

from .conftest import ROOT, cases, example

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_version() -> None:
    assert invoke("--version") == (0, f"toolkit {__version__}\n", "")


def test_validate_the_repository() -> None:
    code, out, err = invoke("validate", "--project", str(ROOT))
    assert code == 0
    assert out == ""
    assert err.startswith("valid: ")
    assert err.endswith(" 0 errors, 0 warnings\n")


def test_validate_reports_in_text() -> None:
    code, out, err = invoke(
        "validate", "--no-cache", "--project", str(example("invalid", "wrong-comparator"))
    )
    assert code == 1
    assert out == (
        "seeds/facts.yaml:44:53: error[comparator-mismatch]: comparator 'exact' disagrees with the "
        "wording of 'khoảng 9,8 triệu đô la' (read as 'about')\n"
    )
    assert err == "invalid: 4 files, 20 records, 1 error, 0 warnings\n"


def test_validate_reports_in_json() -> None:
    code, out, _ = invoke(
        "validate", "--no-cache", "-p", str(example("invalid", "unknown-field")), "--format", "json"
    )
    assert code == 1
    report = json.loads(out)
    assert report["status"] == "invalid"
    assert report["problems"] == [
        {
            "path": "seeds/facts.yaml",
            "line": 34,
            "column": 5,
            "json_path": "$.claims[0].sumject",
            "severity": "error",
            "code": "unknown-field",
            "message": "unknown field 'sumject'; did you mean 'subject'?",
            "hint": "Fix the name (the message suggests the closest) or remove the field.",
        }
    ]


def test_validate_reports_github_annotations() -> None:
    code, out, _ = invoke(
        "validate", "--no-cache", "-p", str(example("invalid", "dangling-reference")), "-f", "github"
    )
    assert code == 1
    assert out == (
        "::error file=seeds/facts.yaml,line=4,col=13,title=reference-unknown::"
        "no person with id 'do-van-dux'; did you mean 'do-van-duc'?\n"
    )


def test_warnings_pass_unless_strict() -> None:
    project = str(example("valid", "conflicting-sources"))
    assert invoke("validate", "--no-cache", "-p", project, "-q")[0] == 0
    assert invoke("validate", "--no-cache", "-p", project, "-q", "--strict")[0] == 1


@pytest.mark.parametrize("case", cases("invalid"))
def test_every_hostile_case_exits_1_without_traceback(case: str) -> None:
    project = example("invalid", case)
    strict = ["--strict"] if (project / "strict").exists() else []
    result = runner.invoke(app, ["validate", "--no-cache", *strict, "-p", str(project)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    code, _, err = invoke("validate", "-p", str(tmp_path))
    assert code == 2
    assert (
        err
        == f"error: {tmp_path}: no seeds/ folder here; run inside a project directory or pass --project DIR\n"
    )
    code, _, err = invoke("validate", "-p", str(ROOT), str(tmp_path / "nope.yaml"))
    assert code == 2
    assert err == f"error: {tmp_path / 'nope.yaml'}: no such file or directory\n"
    assert invoke("validate", "--format", "xml")[0] == 2


def test_folder_named_like_a_record_file_is_walked(example_project: Path) -> None:
    (example_project / "seeds" / "more.yaml").mkdir()
    (example_project / "seeds" / "more.yaml" / "notes.txt").write_text("", encoding="utf-8")
    assert invoke("validate", "-p", str(example_project))[0] == 0


def test_schema_check_and_write(tmp_path: Path) -> None:
    assert invoke("schema", "--check", "--out", str(ROOT / "schema"))[0] == 0
    code, _, err = invoke("schema", "--check", "--out", str(tmp_path))
    assert code == 1
    assert "out of date" in err
    code, _, err = invoke("schema", "--out", str(tmp_path))
    assert code == 0
    assert err.splitlines()[0] == f"wrote {tmp_path / 'records.schema.json'}"
    assert f"wrote {tmp_path / 'claims.schema.json'}" in err.splitlines()
    assert invoke("schema", "--check", "--out", str(tmp_path))[0] == 0


def test_export_and_serve_refuse_invalid_records(example_project: Path, tmp_path: Path) -> None:
    facts = example_project / "seeds" / "facts.yaml"
    facts.write_text(
        facts.read_text(encoding="utf-8").replace("amount: 900000", "amount: 900"), encoding="utf-8"
    )
    for args in (["export", "-o", str(tmp_path / "out")], ["serve", "--port", "8999"]):
        result = runner.invoke(app, [*args, "-p", str(example_project)])
        assert result.exit_code == 1, args
        assert "error[amount-not-in-quote]" in result.stdout
        assert result.stderr.endswith("error: 1 error in the records: nothing was built\n")
    assert not (tmp_path / "out").exists()


def test_export_writes_files(example_project: Path, tmp_path: Path) -> None:
    code, out, _ = invoke("export", "-p", str(example_project), "-f", "json", "-o", str(tmp_path / "j"))
    assert code == 0
    # the 16 of before, event_chairs, and mentions, places_within and inferred_dates
    assert out == f"wrote 20 files to {tmp_path / 'j'}\n"
    assert (tmp_path / "j" / "claims_flat.json").is_file()


def test_metadata_check(tmp_path: Path) -> None:
    assert invoke("metadata", "--check", "--out", str(ROOT / "metadata.json"))[0] == 0
    assert invoke("metadata", "--check", "--out", str(tmp_path / "m.json"))[0] == 1
    assert invoke("metadata", "--out", str(tmp_path / "m.json"))[0] == 0
    assert invoke("metadata", "--check", "--out", str(tmp_path / "m.json"))[0] == 0


def test_quiet_and_verbose(example_project: Path, tmp_path: Path) -> None:
    assert invoke("validate", "-p", str(example_project), "-q") == (0, "", "")
    code, _, err = invoke("validate", "-p", str(example_project), "-v")
    assert code == 0
    # The -q run above filled the cache: nothing is parsed again, unless the cache is not used.
    assert "; 10 quotes anchored; 0 of 5 files parsed (the others are unchanged);" in err.splitlines()[-1]
    _, _, uncached = invoke("validate", "-p", str(example_project), "-v", "--no-cache")
    assert "; 10 quotes anchored; 5 of 5 files parsed" in uncached.splitlines()[-1]
    db = tmp_path / "a.db"
    assert invoke("build", "-p", str(example_project), "-o", str(db), "-q") == (0, "", "")
    assert invoke("diff", str(db), str(db), "-q") == (0, "", "")
    facts = example_project / "seeds" / "facts.yaml"
    facts.write_text(
        facts.read_text(encoding="utf-8").replace("900,000 people benefited.", "900,000 gained."), "utf-8"
    )
    other = tmp_path / "b.db"
    assert invoke("build", "-p", str(example_project), "-o", str(other), "-q")[0] == 0
    assert invoke("diff", str(db), str(other), "-q") == (1, "", "")


def test_no_progress_bar_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.cli.progress import interactive, progress_bar

    monkeypatch.setenv("CI", "true")
    assert not interactive()
    with progress_bar(quiet=False) as progress:
        assert progress is None


def test_validate_imports_only_what_validation_needs() -> None:
    """`toolkit validate` (and `--version`) never import Datasette, the site, the build or the
    exports: start-up is most of a small project's validation."""
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from toolkit.cli.app import app\n"
        f"result = CliRunner().invoke(app, ['validate', '--no-cache', '-p', {str(ROOT)!r}])\n"
        "assert result.exit_code == 0, result.output\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] == 'datasette'\n"
        "          or m.startswith(('toolkit.site', 'toolkit.publish', 'toolkit.build'))]\n"
        "print(loaded)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_the_cli_export_formats_are_the_librarys() -> None:
    from toolkit.cli.publish import ExportChoice
    from toolkit.publish.export import ExportFormat

    assert [f.value for f in ExportChoice] == [f.value for f in ExportFormat]
