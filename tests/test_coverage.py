"""Coverage: the sentences of each article body that state facts, and which records quote them."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from toolkit.cli.app import app
from toolkit.contrib.coverage import coverage_report
from toolkit.languages import language
from toolkit.languages.mentions import reasons_to_cover as _reasons

VI = language("vi")
split_sentences = VI.split_sentences


def reasons_to_cover(sentence: str, not_people: tuple[str, ...] = ()) -> tuple[str, ...]:
    return _reasons(VI, sentence, not_people)


def test_sentences_split_but_not_after_abbreviations() -> None:
    text = "Lễ hội tại TP. Hồ Chí Minh. Năm 2023 là năm đặc biệt. Xong"
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Lễ hội tại TP. Hồ Chí Minh.",
        "Năm 2023 là năm đặc biệt.",
        "Xong",
    ]


def test_reasons() -> None:
    assert reasons_to_cover("Hội có 62 ủy viên") == ("number",)
    assert reasons_to_cover("diễn ra vào ngày 6/1") == ("date",)
    assert reasons_to_cover("ông Bùi Khắc Sơn cho biết") == ("name",)
    assert reasons_to_cover("Lãnh đạo Tổng Lãnh sự Việt Nam", not_people=("Việt Nam",)) == ()
    assert reasons_to_cover("Quan hệ hai nước phát triển mạnh mẽ") == ()
    # a title is a word of its own: `ông` inside `thông`, `đông` is none
    assert reasons_to_cover("Đây là thông tin được đưa ra tại Hội nghị Ban Chấp hành") == ()
    assert reasons_to_cover("cùng đông đảo Cộng đồng người Việt") == ()
    said = "Đại sứ bày tỏ mong muốn được tiếp tục thúc đẩy mối quan hệ giữa hai nước lên tầm cao mới"
    assert reasons_to_cover(said) == ("speech",)
    assert reasons_to_cover("Đại biểu phát biểu tại cuộc họp.") == ()  # a caption says only that
    assert reasons_to_cover("hai bên tăng cường trao đổi đoàn các cấp và giao lưu nhân dân") == ()


def test_removing_a_record_uncovers_its_sentence(example_project: Path) -> None:
    before = coverage_report(example_project)
    (source,) = before.sources
    assert source.share == 1.0
    facts = example_project / "seeds" / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    # keep the events only: line 6 is quoted by a position and two claims, and the mentions of
    # lines 5 and 7 that only claims hold are uncovered too (a sentence quoted in part counts
    # what no quote holds)
    first_line = text.split("\n", 1)[0]
    facts.write_text(
        first_line + "\n" + text[text.index("events:") : text.index("claims:")], encoding="utf-8"
    )
    (example_project / "seeds" / "statements.yaml").unlink()
    (source,) = coverage_report(example_project).sources
    uncovered = [s for s in source.sentences if not s.covered]
    assert [s.line for s in uncovered] == [5, 6, 7]
    assert set(uncovered[1].reasons) == {"number", "date", "name", "speech"}
    assert all(0 < s.held < s.mentions for s in (uncovered[0], uncovered[2]))


def test_cli_coverage_minimum(example_project: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["coverage", "-p", str(example_project), "--min", "95"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "bao-ha-giang: 11/11 mentions covered (100.0%)"
    facts = example_project / "seeds" / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    first_line = text.split("\n", 1)[0]
    facts.write_text(
        first_line + "\n" + text[text.index("events:") : text.index("claims:")], encoding="utf-8"
    )
    (example_project / "seeds" / "statements.yaml").unlink()
    result = runner.invoke(app, ["coverage", "-p", str(example_project), "--min", "95"])
    assert result.exit_code == 1
    assert "  line 6 [number, date, name, speech]: " in result.stdout
