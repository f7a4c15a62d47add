"""The reader's site pins nothing of today's five pages: a contributor's sixth page, added with
the toolkit's own commands, appears on the home page, gets a source page with its quote
highlighted, and its fact is found by a search without diacritics."""

from __future__ import annotations

import re
from pathlib import Path

from toolkit.publish.metadata import ensure_database

from .test_contribute import PAGE, invoke
from .test_publish import _site, marked, squeezed, text_of


def test_a_sixth_page_reads_like_the_others(project: Path, tmp_path: Path) -> None:
    page = tmp_path / "ha-noi-don-doan-doanh-nghiep.txt"
    page.write_text(PAGE, encoding="utf-8")
    code, out, _ = invoke(
        "add-source", str(page), "-p", str(project), "--publisher", "Báo thử nghiệm", "--yes"
    )
    assert code == 0, out
    source = "bao-thu-nghiem-2023-12-20"
    code, _, err = invoke(
        "new", "claim", "-p", str(project), "--source", source,
        "--quote", "thành phố Hà Nội đã đón đoàn doanh nghiệp Nhật Bản với sự tham gia của gần 150 đại biểu",
        "--subject", "hanoi", "--property", "delegates", "--unit", "delegate",
        "--statement", "Nearly 150 delegates of Japanese firms visited Hanoi.",
    )  # fmt: skip
    assert code == 0, err
    path, _ = ensure_database(project, tmp_path / "sixth.db")
    for site in _site(path, None):
        (sources,) = site.rows("select count(*) from sources")[0]
        home = text_of(site.get("/").text)
        assert f"{sources:,} sources" in home and "Hà Nội đón đoàn doanh nghiệp Nhật Bản" in home
        source_page = site.get(f"/source/{source}").text
        assert squeezed("gần 150 đại biểu") in marked(source_page)
        assert '<details class="furniture' in source_page
        (claim,) = site.rows("select record_id from evidence where source = ?", (source,))[0]
        results = site.get("/search?q=gan+150+dai+bieu").text
        assert f'href="/claim/{claim}"' in results
        fact = site.get(f"/claim/{claim}").text
        assert "nearly 150 delegates" in text_of(fact)
        assert re.search(rf'href="/source/{source}"', fact)
