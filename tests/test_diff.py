"""toolkit diff: what changed between two builds, by kind and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.build.database import build_database
from toolkit.core.problems import UsageError
from toolkit.publish.diff import diff_databases, render_diff


def test_no_changes(example_project: Path, tmp_path: Path) -> None:
    a = build_database(example_project, tmp_path / "a.db").path
    b = build_database(example_project, tmp_path / "b.db").path
    result = diff_databases(a, b)
    assert result.changes == []
    assert render_diff(result) == "No changes.\n"


def test_changed_removed_and_markdown(example_project: Path, tmp_path: Path) -> None:
    old = build_database(example_project, tmp_path / "old.db").path
    facts = example_project / "seeds" / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    text = text.replace("statement_en: 900,000 people benefited.", "statement_en: 900,000 people gained.")
    start, end = text.index("  - id: le-hoi-quarter"), len(text)
    facts.write_text(text[:start] + text[end:], encoding="utf-8")
    new = build_database(example_project, tmp_path / "new.db").path
    result = diff_databases(old, new)
    assert render_diff(result) == (
        "~ claims ha-giang-beneficiaries: statement_en\n- claims le-hoi-quarter\n1 removed, 1 changed\n"
    )
    assert render_diff(result, markdown=True) == (
        "## Data changes\n\n1 removed, 1 changed.\n\n### Claims\n\n"
        "- changed: `ha-giang-beneficiaries` (statement_en)\n- removed: `le-hoi-quarter`\n"
    )


def test_evidence_changes_show(example_project: Path, tmp_path: Path) -> None:
    old = build_database(example_project, tmp_path / "old.db").path
    facts = example_project / "seeds" / "facts.yaml"
    facts.write_text(
        facts.read_text(encoding="utf-8").replace(
            'quote: "hơn 110 gian hàng"', 'quote: "với hơn 110 gian hàng"'
        ),
        encoding="utf-8",
    )
    new = build_database(example_project, tmp_path / "new.db").path
    (change,) = diff_databases(old, new).changes
    assert (change.kind, change.id, change.fields) == ("claims", "le-hoi-stalls", ("evidence",))


def test_not_a_database(tmp_path: Path) -> None:
    bogus = tmp_path / "x.db"
    bogus.write_text("hello", encoding="utf-8")
    with pytest.raises(UsageError, match="not a fact-base database"):
        diff_databases(bogus, bogus)
    with pytest.raises(UsageError, match="no such database"):
        diff_databases(tmp_path / "missing.db", bogus)
