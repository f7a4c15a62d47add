"""Every example project under tests/examples/ gives exactly the problems it expects."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from toolkit.validate.engine import validate_project

from .conftest import cases, example


def _expected(case: Path) -> list[str]:
    lines = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    return sorted(line for line in lines if line.strip())


def _found(case: Path) -> list[str]:
    result = validate_project(case, cache=False)
    return sorted(f"{p.path}:{p.line}:{p.column} {p.severity.value}[{p.code}]" for p in result.problems)


@pytest.mark.parametrize("name", cases("valid"))
def test_valid_examples(name: str) -> None:
    case = example("valid", name)
    result = validate_project(case, cache=False)
    assert result.ok, [p for p in result.errors]
    assert _found(case) == _expected(case)


@pytest.mark.parametrize("name", cases("invalid"))
def test_invalid_examples(name: str) -> None:
    case = example("invalid", name)
    result = validate_project(case, cache=False)
    # A case with a `strict` file fails under --strict: its problems are warnings.
    assert not result.ok or ((case / "strict").exists() and result.warnings)
    assert _found(case) == _expected(case)


def test_symlink_out_of_seeds_is_refused(example_project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    shutil.copy(example_project / "seeds" / "bai-bao.txt", outside)
    (example_project / "seeds" / "bai-bao.txt").unlink()
    os.symlink(outside, example_project / "seeds" / "bai-bao.txt")
    codes = {p.code for p in validate_project(example_project).errors}
    assert "source-outside-seeds" in codes


def _move_text(project: Path, folder: Path, link: str) -> None:
    """The source text moved into `folder` and reached as seeds/LINK/bai-bao.txt through a
    symbolic link to that folder."""
    folder.mkdir(exist_ok=True)
    shutil.move(project / "seeds" / "bai-bao.txt", folder / "bai-bao.txt")
    os.symlink(folder, project / "seeds" / link)
    sources = project / "seeds" / "sources.yaml"
    text = sources.read_text(encoding="utf-8").replace("file: bai-bao.txt", f"file: {link}/bai-bao.txt")
    sources.write_text(text, encoding="utf-8")


def test_a_linked_folder_out_of_seeds_is_refused(example_project: Path, tmp_path: Path) -> None:
    _move_text(example_project, tmp_path / "elsewhere", "pages")
    codes = {p.code for p in validate_project(example_project).errors}
    assert "source-outside-seeds" in codes


def test_a_link_that_stays_in_seeds_is_followed(example_project: Path) -> None:
    _move_text(example_project, example_project / "seeds" / "archive", "pages")
    assert validate_project(example_project, cache=False).errors == []


def test_missing_source_file(example_project: Path) -> None:
    (example_project / "seeds" / "bai-bao.txt").unlink()
    result = validate_project(example_project)
    assert [p.code for p in result.errors] == ["source-missing"]
    assert result.errors[0].path == "seeds/sources.yaml"


def test_quote_not_found_suggests_the_closest_passage(example_project: Path) -> None:
    facts = example_project / "seeds" / "facts.yaml"
    facts.write_text(
        facts.read_text(encoding="utf-8").replace(
            "với 900.000 người hưởng lợi", "với 900.000 người được hưởng lợi"
        ),
        encoding="utf-8",
    )
    (problem,) = validate_project(example_project).errors
    assert problem.code == "quote-not-found"
    assert "closest passage (line 6" in problem.message
    assert "9,8 triệu đô la viện trợ, với 900.000 người hưởng lợi" in problem.message


def test_prefix_picks_among_repeated_quotes(example_project: Path) -> None:
    facts = example_project / "seeds" / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(
        text.replace(
            '        quote: "hơn 110 gian hàng"\n',
            '        quote: "hơn 110 gian hàng"\n        prefix: "không có"\n',
        ),
        encoding="utf-8",
    )
    (problem,) = validate_project(example_project).errors
    assert problem.code == "quote-context-mismatch"


def test_paths_limit_the_report_but_not_the_references(example_project: Path) -> None:
    facts = example_project / "seeds" / "facts.yaml"
    entities = example_project / "seeds" / "entities.yaml"
    entities.write_text(
        entities.read_text(encoding="utf-8") + "  - {id: x, name: X, bogus: 1}\n", encoding="utf-8"
    )
    only_facts = validate_project(example_project, [facts])
    assert only_facts.ok  # references into entities.yaml still resolve
    assert not validate_project(example_project, [entities]).ok


def test_path_outside_project_is_a_usage_error(example_project: Path, tmp_path: Path) -> None:
    from toolkit.core.problems import UsageError

    stray = tmp_path / "stray.yaml"
    stray.write_text("persons: []\n", encoding="utf-8")
    with pytest.raises(UsageError, match="outside the project"):
        validate_project(example_project, [stray])


def _second_source(project: Path, text: str) -> None:
    import hashlib

    (project / "seeds" / "bai-2.txt").write_text(text, encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    sources = project / "seeds" / "sources.yaml"
    sources.write_text(
        sources.read_text(encoding="utf-8")
        + f"""  - id: bai-2
    file: bai-2.txt
    sha256: {digest}
    title: Bài thứ hai
    publisher: Báo thử nghiệm
    published: "2023-03"
    published_note: The test page gives no date.
    body: {{start_line: 1, end_line: 1}}
""",
        encoding="utf-8",
    )


@pytest.mark.parametrize(
    ("second", "codes"), [("trên 110 gian hàng", []), ("trên 120 gian hàng", ["amount-not-in-quote"])]
)
def test_each_quote_must_state_the_amount_in_its_own_words(
    example_project: Path, second: str, codes: list[str]
) -> None:
    _second_source(example_project, f"Lễ hội có {second}.\n")
    facts = example_project / "seeds" / "facts.yaml"
    facts.write_text(
        facts.read_text(encoding="utf-8").replace(
            '        quote: "hơn 110 gian hàng"\n',
            f'        quote: "hơn 110 gian hàng"\n      - source: bai-2\n        quote: "{second}"\n',
        ),
        encoding="utf-8",
    )
    assert [p.code for p in validate_project(example_project).errors] == codes


def test_original_must_be_in_some_quote(example_project: Path) -> None:
    facts = example_project / "seeds" / "facts.yaml"
    facts.write_text(
        facts.read_text(encoding="utf-8").replace(
            'original: "hơn 110 gian hàng"', 'original: "hơn 110 quầy"'
        ),
        encoding="utf-8",
    )
    assert [p.code for p in validate_project(example_project).errors] == ["original-not-in-quote"]


def test_closest_passage_is_aligned_on_the_whole_body() -> None:
    """A misquote is matched to the passage it was copied from, not to a short line that
    happens to sit inside it (a caption such as "Quang cảnh cuộc họp.")."""
    from toolkit.core.text import SourceText

    text = SourceText(
        "Quang cảnh cuộc họp.\n"
        "Tại cuộc họp, lãnh đạo hai bên đã trao đổi về kết quả hợp tác trong thời gian qua và "
        "thống nhất phương hướng thời gian tới.\n"
    )
    misquote = "lãnh đạo hai bên đã trao đổi về kết quả hợp tác trong năm qua và thống nhất"
    located = text.locate(misquote, {1, 2})
    assert located.status == "not-found" and located.closest is not None
    line, passage, score = located.closest
    assert line == 2
    assert passage.startswith("lãnh đạo hai bên") and score > 80
    assert text.locate("Quang cảnh cuộc họp.", {2}).status == "outside-body"
    assert text.locate("hai bên đã trao đổi", {2}, prefix="lãnh đạo ").status == "found"
    assert text.locate("hai bên đã trao đổi", {2}, prefix="các ").status == "context-mismatch"
