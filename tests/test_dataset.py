"""The real dataset: what must hold for any valid dataset, never its counts or ids. The same
checks run on a copy to which a made-up sixth page and its facts were added with the CLI
alone, as a contributor's pull request would be, so a valid new page passes CI."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from typer.testing import CliRunner

from toolkit.cli.app import app
from toolkit.contrib.coverage import coverage_report
from toolkit.records.models import EVIDENCED_KINDS
from toolkit.records.schema import stale_schema_files
from toolkit.validate.engine import validate_project

from .conftest import ROOT

runner = CliRunner()
MINIMUM_COVERAGE = 0.95

# A made-up page for tests only, in the layout Vietnamese news sites use.
SIXTH_PAGE = (
    "Trang chủ | Thời sự | Kinh tế\n"
    "Thứ Tư, 20/12/2023 - 09:15\n"
    "Đoàn doanh nghiệp Nhật Bản thăm tỉnh Thử Nghiệm\n"
    "Sáng 19/12, tỉnh Thử Nghiệm đã đón đoàn doanh nghiệp Nhật Bản với sự tham gia của gần 150 đại "
    "biểu đến tìm hiểu cơ hội đầu tư.\n"
    "Tại buổi làm việc, tỉnh Thử Nghiệm và đoàn đã ký kết 12 văn kiện hợp tác trong các lĩnh vực thương mại "
    "và du lịch.\n"
    "Tin liên quan\n"
    "Một tin khác không thuộc bài báo này, năm 2026\n"
)


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def check_dataset(root: Path) -> None:
    """What every valid dataset satisfies."""
    result = validate_project(root, cache=False)
    assert result.ok, [f"{p.path}:{p.line} {p.code} {p.message}" for p in result.errors]
    # every evidence item of a valid record is anchored in its source
    evidence = sum(len(e.record.evidence) for k in EVIDENCED_KINDS for e in result.dataset.valid(k))
    assert len(result.dataset.anchors) == evidence
    for source in coverage_report(root).sources:
        uncovered = [(s.line, s.text[:80]) for s in source.sentences if not s.covered]
        assert source.share >= MINIMUM_COVERAGE, (source.source, uncovered)
    assert stale_schema_files(root / "schema") == []


def test_the_dataset_is_valid_and_covered() -> None:
    check_dataset(ROOT)


def test_generated_files_are_current() -> None:
    assert stale_schema_files(ROOT / "schema") == []
    assert invoke("metadata", "--check")[0] == 0


def test_add_source_never_writes_without_yes(dataset: Path, tmp_path: Path) -> None:
    page = tmp_path / "trang-moi.txt"
    page.write_text(SIXTH_PAGE, encoding="utf-8")
    before = {p: p.read_bytes() for p in (dataset / "seeds").rglob("*") if p.is_file()}
    code, _, _ = invoke("add-source", str(page), "-p", str(dataset), "--publisher", "Báo thử nghiệm")
    assert code != 0
    assert {p: p.read_bytes() for p in (dataset / "seeds").rglob("*") if p.is_file()} == before


def _appended(out: str) -> str:
    found = re.search(r"appended \w+ '([^']+)'", out)
    assert found, out
    return found.group(1)


def test_a_sixth_page_added_with_the_cli_passes_the_dataset_checks(dataset: Path, tmp_path: Path) -> None:
    page = tmp_path / "doan-doanh-nghiep-nhat-ban.txt"
    page.write_text(SIXTH_PAGE, encoding="utf-8")
    p = ("-p", str(dataset))
    code, _, err = invoke("add-source", str(page), *p, "--publisher", "Báo thử nghiệm", "--yes")
    assert code == 0, err
    source = re.search(r"wrote source '([^']+)'", err)
    assert source, err
    sid = source.group(1)
    code, out, err = invoke("new", "place", *p, "--name", "Thử Nghiệm", "--name-en", "Thu Nghiem Province")
    assert code == 0, err
    place = _appended(out)
    props = []
    for name, name_en, unit in [
        ("Số đại biểu thử", "Test delegates", "delegate"),
        ("Số văn kiện thử", "Test documents", "document"),
    ]:
        code, out, err = invoke(
            "new",
            "property",
            *p,
            "--id",
            f"test_{unit}s",
            "--name",
            name,
            "--name-en",
            name_en,
            "--unit",
            unit,
        )
        assert code == 0, err
        props.append(_appended(out))
    for quote, prop, unit, statement in [
        (
            "tỉnh Thử Nghiệm đã đón đoàn doanh nghiệp Nhật Bản với sự tham gia của gần 150 đại biểu",
            props[0],
            "delegate",
            "Nearly 150 delegates of Japanese firms visited the province.",
        ),
        (
            "tỉnh Thử Nghiệm và đoàn đã ký kết 12 văn kiện hợp tác",
            props[1],
            "document",
            "The two sides signed 12 cooperation documents.",
        ),
    ]:
        code, out, err = invoke(
            "new",
            "claim",
            *p,
            "--source",
            sid,
            "--quote",
            quote,
            "--subject",
            place,
            "--property",
            prop,
            "--unit",
            unit,
            "--statement",
            statement,
        )
        assert code == 0, err
    # the visit's date is a mention too: the contributor records the visit itself
    code, out, err = invoke(
        "new",
        "event",
        *p,
        "--source",
        sid,
        "--quote",
        "Sáng 19/12, tỉnh Thử Nghiệm đã đón đoàn doanh nghiệp Nhật Bản",
        "--name",
        "Đoàn doanh nghiệp Nhật Bản thăm tỉnh Thử Nghiệm",
        "--name-en",
        "Japanese business delegation visits Thu Nghiem Province",
    )
    assert code == 0, err
    code, out, err = invoke("validate", *p)
    assert code == 0, out + err
    check_dataset(dataset)
    shutil.rmtree(dataset / ".cache", ignore_errors=True)
