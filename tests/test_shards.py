"""Past one machine: per-file checks in several processes, and shards plus a merge, report
exactly what one run reports, cross-file problems included."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli.app import app
from toolkit.validate.engine import Plan, validate_project

from .conftest import cases, example

runner = CliRunner()


@pytest.fixture(autouse=True)
def small_projects_go_parallel_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """These projects are small: let even them use the worker processes."""
    monkeypatch.setattr("toolkit.validate.shards.PARALLEL_FROM_BYTES", 0)


def _report(root: Path, **kwargs: object) -> list[tuple[str, int, int, str, str]]:
    result = validate_project(root, cache=False, records=False, **kwargs)  # type: ignore[arg-type]
    return [(p.path, p.line, p.column, p.code, p.message) for p in result.problems]


def _spread(project: Path) -> Path:
    """The example project with more files, and problems that cross them: a reference into
    another file that is wrong, the same id in two files, a wrong amount."""
    seeds = project / "seeds"
    facts = (seeds / "facts.yaml").read_text(encoding="utf-8")
    head, _, claims = facts.partition("claims:\n")
    (seeds / "facts.yaml").write_text(head, encoding="utf-8")
    header = head.split("\n", 1)[0] + "\n"
    chunks = claims.split("\n  - id: ")
    for i, chunk in enumerate(chunks):
        body = chunk if i == 0 else "  - id: " + chunk
        (seeds / f"claims-{i}.yaml").write_text(f"{header}claims:\n{body.rstrip()}\n", encoding="utf-8")
    (seeds / "claims-0.yaml").write_text(
        (seeds / "claims-0.yaml")
        .read_text(encoding="utf-8")
        .replace("subject: hoi-nghi-ha-giang", "subject: hoi-nghi"),
        encoding="utf-8",
    )
    (seeds / "claims-1.yaml").write_text(
        (seeds / "claims-1.yaml").read_text(encoding="utf-8").replace("amount: 9800000", "amount: 9900000"),
        encoding="utf-8",
    )
    shutil.copy(seeds / "claims-2.yaml", seeds / "claims-9.yaml")  # every id there again
    return project


@pytest.fixture
def spread(example_project: Path) -> Path:
    return _spread(example_project)


def test_the_spread_project_has_cross_file_problems(spread: Path) -> None:
    codes = {p[3] for p in _report(spread)}
    assert {"reference-unknown", "amount-not-in-quote", "duplicate-id"} <= codes


@pytest.mark.parametrize("jobs", [2, 3])
def test_any_number_of_jobs_gives_the_same_report(spread: Path, jobs: int) -> None:
    assert _report(spread, plan=Plan(jobs=jobs)) == _report(spread)


@pytest.mark.parametrize(
    "name", ["wrong-amount", "dangling-reference", "strict-conflict", "statement-unattributed"]
)
def test_jobs_agree_on_examples(name: str) -> None:
    project = example("invalid", name)
    assert _report(project, plan=Plan(jobs=2)) == _report(project)


@pytest.mark.parametrize("shards", [1, 2, 3])
def test_shards_then_a_merge_give_the_same_report(spread: Path, tmp_path: Path, shards: int) -> None:
    summaries = tmp_path / "summaries"
    for k in range(1, shards + 1):
        validate_project(spread, cache=False, plan=Plan(shard=(k, shards), summaries=summaries))
    merged = validate_project(spread, cache=False, records=False, plan=Plan(merge=summaries))
    assert [(p.path, p.line, p.column, p.code, p.message) for p in merged.problems] == _report(spread)
    assert merged.parsed < len(list((spread / "seeds").glob("*.yaml")))  # summaries, not parsing


def test_shards_and_merge_from_the_command_line(spread: Path, tmp_path: Path) -> None:
    summaries = tmp_path / "s"
    for k in (1, 2):
        result = runner.invoke(
            app, ["validate", "-p", str(spread), "--shard", f"{k}/2", "--summaries", str(summaries)]
        )
        assert result.exit_code == 0, result.output
        assert f"shard {k}/2:" in result.stderr
    merged = runner.invoke(app, ["validate", "-p", str(spread), "--merge", str(summaries), "-f", "github"])
    single = runner.invoke(app, ["validate", "-p", str(spread), "--no-cache", "-f", "github"])
    assert merged.exit_code == single.exit_code == 1
    assert merged.stdout == single.stdout


def test_a_summary_of_another_toolkit_is_refused(spread: Path, tmp_path: Path) -> None:
    summaries = tmp_path / "s"
    validate_project(spread, cache=False, plan=Plan(shard=(1, 1), summaries=summaries))
    for path in (summaries / "files").glob("*.json"):
        path.write_text(path.read_text(encoding="utf-8").replace('"stamp":"', '"stamp":"0'), encoding="utf-8")
    merged = validate_project(spread, cache=False, records=False, plan=Plan(merge=summaries))
    assert [(p.path, p.line, p.code) for p in merged.problems] == [
        (p[0], p[1], p[3]) for p in _report(spread)
    ]
    assert merged.parsed == len(list((spread / "seeds").glob("*.yaml")))  # every file parsed again


def test_a_merge_says_which_files_no_shard_wrote(spread: Path, tmp_path: Path) -> None:
    summaries = tmp_path / "s"
    validate_project(spread, cache=False, plan=Plan(shard=(1, 2), summaries=summaries))  # shard 2 lost
    result = runner.invoke(app, ["validate", "-p", str(spread), "--merge", str(summaries)])
    assert "files had no shard result in" in result.stderr
    merged = validate_project(spread, cache=False, records=False, plan=Plan(merge=summaries))
    assert merged.unmerged and len(merged.unmerged) < len(list((spread / "seeds").glob("*.yaml")))
    assert [(p.path, p.line, p.code) for p in merged.problems] == [
        (p[0], p[1], p[3]) for p in _report(spread)
    ]


def test_bad_shard_options_are_usage_errors(spread: Path, tmp_path: Path) -> None:
    for args in (["--shard", "3/2", "--summaries", str(tmp_path)], ["--shard", "x"], ["--shard", "1/2"],
                 ["--merge", str(tmp_path / "none")]):  # fmt: skip
        result = runner.invoke(app, ["validate", "-p", str(spread), *args])
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output


def test_every_example_merges_as_it_validates(tmp_path: Path) -> None:
    for kind in ("valid", "invalid"):
        for name in cases(kind)[:8]:
            project = example(kind, name)
            summaries = tmp_path / kind / name
            for k in (1, 2):
                validate_project(project, cache=False, plan=Plan(shard=(k, 2), summaries=summaries))
            merged = validate_project(project, cache=False, records=False, plan=Plan(merge=summaries))
            assert [(p.path, p.line, p.code, p.message) for p in merged.problems] == [
                (p[0], p[1], p[3], p[4]) for p in _report(project)
            ], name


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--shard", "1/2", "--summaries", "s", "--merge", "s"], "--shard and --merge are two steps"),
        (["--summaries", "s"], "--summaries DIR goes with --shard K/N"),
    ],
)
def test_shard_options_that_do_not_go_together_are_a_usage_error(
    spread: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "s").mkdir()
    args = [str(tmp_path / a) if a == "s" else a for a in args]
    result = runner.invoke(app, ["validate", "-p", str(spread), *args])
    assert result.exit_code == 2, result.output
    assert message in result.stderr


# ------------------------------------------------------------------ issue 23: forged summaries


def _forge_summaries(summaries: Path) -> None:
    """Clear every problem from every summary and sign it again with a key of one's own (the
    way a forger would, committing the folder). Whatever the file's format: its payload is
    its last line, and a signature, if any, the line before."""
    import hashlib
    import hmac
    import json

    for path in (summaries / "files").glob("*.json"):
        *head, payload = path.read_text(encoding="utf-8").split("\n")
        data = json.loads(payload)
        data["problems"] = []
        if data.get("evidence"):
            data["evidence"]["problems"] = []
        forged = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        if len(head) == 2:
            head[1] = hmac.new(b"forger", forged.encode(), hashlib.sha256).hexdigest()
        path.write_text("\n".join([*head, forged]), encoding="utf-8")


@pytest.mark.parametrize("shard_again", [False, True])
def test_a_forged_summaries_folder_never_passes_a_merge(
    spread: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shard_again: bool
) -> None:
    """A committed, forged `summaries/` folder let invalid records merge to exit 0: the merge
    believed any summary, and a shard reused what its folder held. Now summaries are signed
    (here with the CI's shared key), a shard never reads its folder, and the merge checks
    again whatever that key did not sign."""
    monkeypatch.setenv("FACTBASE_SUMMARY_KEY", "the CI's secret")
    summaries = spread / "summaries"
    validate_project(spread, cache=False, plan=Plan(shard=(1, 1), summaries=summaries))
    _forge_summaries(summaries)
    if shard_again:  # the shard job of a CI run, in a checkout holding the forged folder
        validate_project(spread, cache=False, plan=Plan(shard=(1, 1), summaries=summaries))
    result = runner.invoke(app, ["validate", "-p", str(spread), "--merge", str(summaries)])
    assert result.exit_code == 1, result.output
    merged = validate_project(spread, cache=False, records=False, plan=Plan(merge=summaries))
    expected = [(p[0], p[1], p[3]) for p in _report(spread)]
    assert [(p.path, p.line, p.code) for p in merged.problems] == expected


def test_a_summary_nested_200_000_deep_is_refused_not_a_crash(spread: Path, tmp_path: Path) -> None:
    """It gave exit 3 (RecursionError) at the merge: now its signature is checked before it
    is parsed, and a summary no key signed is checked again by the merge."""
    from toolkit.validate.shards import MAGIC

    summaries = tmp_path / "s"
    validate_project(spread, cache=False, plan=Plan(shard=(1, 1), summaries=summaries))
    for path in (summaries / "files").glob("*.json"):
        path.write_text(f"{MAGIC}\n" + "[" * 200_000 + "]" * 200_000, encoding="utf-8")
    result = runner.invoke(app, ["validate", "-p", str(spread), "--merge", str(summaries)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1, result.output


def test_a_shard_that_cannot_write_its_summaries_says_where(spread: Path, tmp_path: Path) -> None:
    """A read-only folder for --summaries ended in `internal error … PermissionError`, exit 3."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    args = ["validate", "-p", str(spread), "--shard", "1/1", "--summaries", str(blocker / "s")]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert f"error: {blocker / 's'}: cannot write it" in result.stderr
    assert "internal error" not in result.output
