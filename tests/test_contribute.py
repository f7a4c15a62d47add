"""Contributor commands: add-source, locate, new — and a newcomer's whole path, end to end."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli.app import app
from toolkit.contrib.layout import propose_source
from toolkit.languages import language
from toolkit.validate.engine import validate_project

from .conftest import FIXTURE

runner = CliRunner()

# A made-up page, for tests only: not a real article.
PAGE = (
    "Trang chủ | Thời sự\n"
    "09:15 | 20/12/2023 GMT+7\n"
    "Hà Nội đón đoàn doanh nghiệp Nhật Bản\n"
    "Sáng 19/12, thành phố Hà Nội đã đón đoàn doanh nghiệp Nhật Bản với sự tham gia của gần 150 đại biểu "
    "đến tìm hiểu cơ hội đầu tư tại Thủ đô.\n"
    "Tại buổi làm việc, Hà Nội và các doanh nghiệp đã ký kết 12 văn kiện hợp tác trong các lĩnh vực "
    "thương mại, du lịch và "
    "giáo dục, đào tạo nguồn nhân lực.\n"
    "Tin bài liên quan\n"
    "Một tin khác không thuộc bài báo này, năm 2026\n"
)


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "ha-noi-don-doan-doanh-nghiep.txt"
    path.write_text(PAGE, encoding="utf-8")
    return path


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def test_proposals_match_the_hand_checked_sources() -> None:
    for entry in validate_project(FIXTURE).dataset.valid("sources"):
        src = entry.record
        proposal = propose_source((FIXTURE / "seeds" / src.file).read_text(encoding="utf-8"), language("vi"))
        assert proposal.title == src.title
        assert (proposal.body_start, proposal.body_end) == (src.body.start_line, src.body.end_line)
        if src.published_quote:
            assert (proposal.published, proposal.published_quote) == (src.published, src.published_quote)
        else:
            assert proposal.published is None


def test_add_source_needs_a_yes_or_flags_when_not_interactive(project: Path, page: Path) -> None:
    code, _, err = invoke("add-source", str(page), "-p", str(project), "--publisher", "Báo thử")
    assert code == 2
    assert err == (
        "error: title: the text suggests 'Hà Nội đón đoàn doanh nghiệp Nhật Bản'; pass --title "
        "(or --yes to accept proposals)\n"
    )
    assert not (project / "seeds" / page.name).exists()


def test_add_source_refuses_a_duplicate(project: Path) -> None:
    copy = project.parent / "again.txt"
    shutil.copy(FIXTURE / "seeds" / "000_6ec4880e05854dc4.txt", copy)
    code, _, err = invoke("add-source", str(copy), "-p", str(project), "--publisher", "X", "--yes")
    assert code == 1
    assert err.splitlines()[-1] == (
        f"error: {copy} is already archived as seeds/000_6ec4880e05854dc4.txt: cite that source instead"
    )


def test_add_source_without_a_date_asks_for_one(project: Path, tmp_path: Path) -> None:
    undated = tmp_path / "undated.txt"
    undated.write_text(PAGE.replace("09:15 | 20/12/2023 GMT+7\n", ""), encoding="utf-8")
    code, _, err = invoke("add-source", str(undated), "-p", str(project), "--publisher", "X", "--yes")
    assert code == 2
    assert "the page states no publication date: pass --published" in err
    assert "--published-note" in err
    assert sorted(p.name for p in (project / "seeds").glob("*.txt")) == sorted(
        p.name for p in (FIXTURE / "seeds").glob("*.txt")
    )  # nothing archived


def test_add_source_archives_the_page_by_number_and_hash(project: Path, page: Path) -> None:
    import hashlib

    code, _, err = invoke(
        "add-source", str(page), "-p", str(project), "--publisher", "Báo thử nghiệm", "--yes"
    )
    assert code == 0, err
    numbers = [int(p.name[:3]) for p in (FIXTURE / "seeds").glob("[0-9][0-9][0-9]_*.txt")]
    digest = hashlib.sha256(page.read_bytes()).hexdigest()
    assert (project / "seeds" / f"{max(numbers) + 1:03d}_{digest[:16]}.txt").read_bytes() == page.read_bytes()


def test_locate_prints_the_sentence_and_what_it_states() -> None:
    code, out, _ = invoke("locate", "baolaocai-2023-06-03", "khoảng 9,8 triệu đô la", "-p", str(FIXTURE))
    assert code == 0
    lines = out.splitlines()
    assert (
        lines[0] == "baolaocai-2023-06-03: line 22, column 94, characters 2032-2054, inside the article body"
    )
    assert lines[1].startswith("sentence: Từ năm 2006 đến nay, Lào Cai tiếp nhận")
    assert lines[2] == "numbers: 9800000 (about)"
    assert "      original: khoảng 9,8 triệu đô la" in lines
    assert "      unit: USD" in lines


def test_locate_suggests_the_closest_passage() -> None:
    code, _, err = invoke("locate", "baolaocai-2023-06-03", "khoảng 9,9 triệu đô la Mỹ", "-p", str(FIXTURE))
    assert code == 1
    assert err.startswith("error: not found in source 'baolaocai-2023-06-03'; closest passage (line ")


def test_new_person_gets_an_unused_id(project: Path) -> None:
    code, out, _ = invoke(
        "new", "person", "-p", str(project), "--id", "to-huy-rua",
        "--name", "Tô Huy Rứa", "--name-en", "To Huy Rua",
    )  # fmt: skip
    assert code == 0
    assert out.startswith(f"appended person 'to-huy-rua-2' to {project / 'seeds' / 'entities.yaml'}:")
    text = (project / "seeds" / "entities.yaml").read_text(encoding="utf-8")
    assert text.index("id: to-huy-rua-2") > text.index("id: vu-chi-mai")  # at the end of persons
    result = validate_project(project)
    assert [p.code for p in result.errors] == []


def test_a_skeleton_left_with_todo_does_not_validate(project: Path) -> None:
    code, out, _ = invoke("new", "person", "-p", str(project), "--name", "Đặng Thử Nghiệm")
    assert code == 0
    assert "appended person 'dang-thu-nghiem'" in out  # a readable id, from the name
    result = validate_project(project)
    placeholders = [p for p in result.errors if p.code == "placeholder-text"]
    assert [p.json_path.rsplit(".", 1)[-1] for p in placeholders] == ["name_en"]


def test_new_claim_needs_its_evidence(project: Path) -> None:
    code, _, err = invoke("new", "claim", "-p", str(project), "--file", str(project / "seeds" / "x.yaml"))
    assert code == 2
    assert err == "error: a new claim needs --source and --quote (its evidence)\n"


def test_newcomer_adds_a_source_and_two_claims(project: Path, page: Path, tmp_path: Path) -> None:
    """CONTRIBUTING.md, step by step, with only the toolkit's commands."""
    old_db, new_db = tmp_path / "old.db", tmp_path / "new.db"
    assert invoke("build", "-p", str(project), "-o", str(old_db))[0] == 0
    code, out, err = invoke(
        "add-source", str(page), "-p", str(project), "--publisher", "Báo thử nghiệm", "--yes"
    )
    assert code == 0, out
    assert "wrote source 'bao-thu-nghiem-2023-12-20'" in err
    code, out, _ = invoke("locate", "bao-thu-nghiem-2023-12-20", "gần 150 đại biểu", "-p", str(project))
    assert code == 0 and "inside the article body" in out
    for quote, prop, unit, statement in [
        (
            "thành phố Hà Nội đã đón đoàn doanh nghiệp Nhật Bản với sự tham gia của gần 150 đại biểu",
            "delegates",
            "delegate",
            "Nearly 150 delegates of Japanese firms visited Hanoi.",
        ),
        (
            "Hà Nội và các doanh nghiệp đã ký kết 12 văn kiện hợp tác",
            "cooperation_documents",
            "document",
            "The two sides signed 12 documents.",
        ),
    ]:
        code, out, err = invoke(
            "new", "claim", "-p", str(project), "--source", "bao-thu-nghiem-2023-12-20", "--quote", quote,
            "--subject", "hanoi", "--property", prop, "--unit", unit, "--statement", statement,
        )  # fmt: skip
        assert code == 0, err
    code, out, err = invoke("validate", "-p", str(project))
    assert (code, out) == (0, ""), out
    assert invoke("build", "-p", str(project), "-o", str(new_db))[0] == 0
    code, out, _ = invoke("diff", str(old_db), str(new_db))
    assert code == 0
    assert out == (
        "+ sources bao-thu-nghiem-2023-12-20\n"
        "+ claims hanoi-cooperation-documents\n+ claims hanoi-delegates\n3 added\n"
    )


def test_new_claim_appends_to_a_list_file(project: Path) -> None:
    listed = project / "seeds" / "facts" / "list.yaml"
    listed.write_text(
        "# yaml-language-server: $schema=../../schema/claims.schema.json\n"
        "- id: lao-cai-schools-listed\n"
        "  subject: lao-cai\n"
        "  property: schools\n"
        "  value: {amount: 3, unit: school, original: 3 trường học}\n"
        "  statement_en: Three schools were built with Japanese embassy grants.\n"
        "  evidence:\n"
        "    - {source: baolaocai-2023-06-03, quote: 3 trường học đầu tư bằng vốn tài trợ}\n",
        encoding="utf-8",
    )
    code, _, err = invoke(
        "new", "claim", "-p", str(project), "--file", str(listed), "--source", "baolaocai-2023-06-03",
        "--quote", "khoảng 18.000 người tại các xã khó khăn", "--subject", "lao-cai", "--property",
        "ngo_aid_total", "--unit", "person", "--statement", "About 18,000 people benefit indirectly.",
    )  # fmt: skip
    assert code == 0, err
    result = validate_project(project)
    codes = [(p.path, p.code) for p in result.problems]
    # the skeleton lands in the list; the validator then checks it like any claim
    assert ("seeds/facts/list.yaml", "unit-mismatch") in codes
    assert all(path == "seeds/facts/list.yaml" for path, _ in codes)


@pytest.mark.parametrize("record_id", ["../../etc/passwd", "a/b", "line\nbreak", "Upper"])
def test_new_refuses_an_id_the_schema_would_refuse_before_writing(project: Path, record_id: str) -> None:
    before = {p: p.read_bytes() for p in (project / "seeds").rglob("*") if p.is_file()}
    code, _, err = invoke("new", "person", "-p", str(project), "--id", record_id, "--name", "A B")
    assert code == 2
    assert "is not an id" in err
    assert {p: p.read_bytes() for p in (project / "seeds").rglob("*") if p.is_file()} == before


def _deny(path: object, *args: object, **kwargs: object) -> None:
    raise PermissionError(13, "Permission denied", str(path))


@pytest.mark.parametrize(
    "args",
    [
        ("new", "person", "--name", "A B", "--name-en", "A B"),
        ("cite", "hoi-nghi-delegates", "--source", "bao-ha-giang",
         "--quote", "Hội hữu nghị tỉnh đã tổ chức hội nghị với sự tham gia của gần 120 đại biểu"),
    ],
)  # fmt: skip
def test_a_project_that_cannot_be_written_is_a_named_error(
    example_project: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    """A read-only project or a full disk: exit 2 naming the file, never an internal error."""
    monkeypatch.setattr("toolkit.contrib.record_files.atomic_write", _deny)
    monkeypatch.setattr("toolkit.contrib.cite.atomic_write", _deny)
    code, _, err = invoke(args[0], *args[1:], "-p", str(example_project))
    assert code == 2, err
    assert "cannot write (Permission denied)" in err and "internal error" not in err


def test_add_source_into_a_project_that_cannot_be_written(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = project.parent / "page.txt"
    page.write_bytes((FIXTURE / "seeds" / "000_6ec4880e05854dc4.txt").read_bytes() + b"\n")  # not a duplicate
    monkeypatch.setattr("toolkit.contrib.add_source.shutil.copyfile", _deny)
    code, _, err = invoke("add-source", str(page), "-p", str(project), "--publisher", "X", "--yes")
    assert code == 2, err
    assert "cannot write (Permission denied)" in err


@pytest.mark.parametrize(
    ("quote", "unit", "original"),
    [
        ("chiếm hơn 26% tổng kim ngạch", "percent", "hơn 26%"),
        ("hợp tác trong 3 lĩnh vực mới", "field", "3"),
        ("khoảng 9,8 triệu đô la Mỹ", None, "khoảng 9,8 triệu đô la Mỹ"),
    ],
)
def test_a_skeleton_original_never_cuts_a_word(quote: str, unit: str | None, original: str) -> None:
    from toolkit.contrib.new import _figure
    from toolkit.languages import language

    figure = _figure(language("vi"), quote, unit, ())
    assert figure is not None and figure["original"] == original
    assert quote.find(original) >= 0


@pytest.mark.parametrize(
    ("code", "quote", "kind"),
    [
        ("vi", "Đoàn đại biểu thành phố Hà Nội thăm tỉnh Fukuoka", "visit"),
        ("vi", "Hai bên ký kết biên bản ghi nhớ về hợp tác", "signing"),
        ("vi", "Lễ hội Việt Nam tại Nhật Bản năm 2023", "festival"),
        ("vi", "Hai bên tiếp tục trao đổi về hợp tác", "other"),  # tiếp tục is no reception
        ("vi", "Hội đàm giữa hai Thủ tướng", "meeting"),
        ("en", "The mayor visited Fukuoka on 12 March", "visit"),
        ("en", "The two ministers met in Tokyo", "meeting"),
    ],
)
def test_a_new_event_proposes_the_type_its_quote_names(code: str, quote: str, kind: str) -> None:
    from toolkit.contrib.new import _event

    found = _event("e", {"quote": quote, "language": code}, [])
    assert found["type"] == kind


def test_a_skeleton_takes_no_incidental_time() -> None:
    """A claim's time is only one its quote states; a post's as_of is a day, never a window."""
    from toolkit.contrib.new import TODO, skeleton

    undated = {"source": "s", "quote": "Đoàn có 40 đại biểu", "language": "vi"}
    undated |= {"value_type": "quantity", "unit": "delegate"}
    claim = skeleton("claims", "c", {**undated, "published": "2023-06-03"})
    assert claim["value"]["amount"] == 40
    assert "point_in_time" not in claim and "period" not in claim
    dated = {**undated, "quote": "Ngày 19/12/2023, đoàn có 40 đại biểu"}
    assert skeleton("claims", "c", dated)["point_in_time"] == "2023-12-19"
    post = {"source": "s", "quote": "Đại sứ Yamada Takio", "language": "vi"}
    assert skeleton("positions", "p", {**post, "published": "2023-06-03/2023-09"})["as_of"] == TODO
    assert skeleton("positions", "p", {**post, "published": "2023-06-03"})["as_of"] == "2023-06-03"


def test_a_new_statement_takes_its_verb_from_the_paragraph(example_project: Path) -> None:
    """The words said often leave the verb outside the quote (`ông Đức, …, cho biết …`)."""
    from toolkit.contrib.new import new_record

    quote = "từ năm 2010 đến nay tỉnh Hà Giang đã nhận khoảng 9,8 triệu đô la viện trợ"
    made = new_record(example_project, "statement", {"source": "bao-ha-giang", "quote": quote})
    assert made.record["verb"] == "cho biết"
