"""Reading a page's layout for add-source: headline, stamp, body and what inside it is not
the article, on page texts written the way Vietnamese news sites lay them out."""

from __future__ import annotations

import re

import pytest

from toolkit.contrib.add_source import source_id
from toolkit.contrib.layout import date_line, propose_source
from toolkit.languages import language

VI = language("vi")

HEADLINE = "Việt Nam và Nhật Bản nâng cấp quan hệ lên Đối tác chiến lược toàn diện"
SAPO = (
    "Chiều 27/11, tại Tokyo, hai nước Việt Nam và Nhật Bản đã ra Tuyên bố chung về việc nâng cấp "
    "quan hệ lên Đối tác chiến lược toàn diện vì hòa bình và thịnh vượng tại châu Á và trên thế giới."
)
PARAGRAPHS = [
    "Theo Tổng cục Hải quan, kim ngạch thương mại hai chiều trong 10 tháng năm 2023 đạt khoảng 37,3 tỷ "
    "USD, giảm 4% so với cùng kỳ năm trước.",
    "Nhật Bản hiện là đối tác hợp tác kinh tế quan trọng hàng đầu của Việt Nam, nhà tài trợ ODA lớn "
    "nhất, nhà đầu tư lớn thứ ba và đối tác thương mại lớn thứ tư.",
]


def page(*header: str, after_title: tuple[str, ...] = (), tail: tuple[str, ...] = ()) -> str:
    lines = [*header, HEADLINE, *after_title, SAPO, "", PARAGRAPHS[0], "", PARAGRAPHS[1], *tail]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("stamp", "published", "quote"),
    [
        ("16:01, 23/09/2023 (GMT+7)", "2023-09-23T16:01:00+07:00", "16:01, 23/09/2023 (GMT+7)"),
        ("Thứ Bảy, 23/9/2023 - 16:01", "2023-09-23", "23/9/2023 - 16:01"),
        ("23/09/2023 16:01 GMT+7", "2023-09-23T16:01:00+07:00", "23/09/2023 16:01 GMT+7"),
        ("Cập nhật: 23/09/2023 16:01", "2023-09-23", "23/09/2023 16:01"),
        ("Đăng ngày: 19-06-2023, 09:55", "2023-06-19", "19-06-2023, 09:55"),
        ("Thứ năm, ngày 23 tháng 9 năm 2023", "2023-09-23", "ngày 23 tháng 9 năm 2023"),
        ("10:30 | 05/03/2023 GMT+9", "2023-03-05T10:30:00+09:00", "10:30 | 05/03/2023 GMT+9"),
        ("10:30 | 05/03/2023 GMT", "2023-03-05T10:30:00+00:00", "10:30 | 05/03/2023 GMT"),
        ("05/03/2023 10:30 (UTC+7)", "2023-03-05T10:30:00+07:00", "05/03/2023 10:30 (UTC+7)"),
    ],
)
def test_date_lines(stamp: str, published: str, quote: str) -> None:
    found = date_line(1, stamp, VI)
    assert found is not None
    assert (found.published, found.quote) == (published, quote)
    for where in ("before", "after"):  # above the headline, or between it and the lead
        text = page(stamp) if where == "before" else page(after_title=(stamp,))
        proposal = propose_source(text, VI)
        assert (proposal.title, proposal.published, proposal.published_quote) == (HEADLINE, published, quote)
        assert proposal.published_quote in text


def test_the_site_header_clock_is_not_the_article_date() -> None:
    text = page(
        "Thứ Năm, 26/11/2026 | Đăng nhập | Đăng ký",
        "Trang chủ > Thời sự > Đối ngoại",
        "ĐỐI NGOẠI",
        after_title=("Thứ Hai, 27/11/2023 - 20:45",),
    )
    proposal = propose_source(text, VI)
    assert proposal.title == HEADLINE
    # The page prints no time zone: only the date is proposed, the time kept to ask about.
    assert (proposal.published, proposal.unzoned) == ("2023-11-27", "20:45")


def test_menus_section_labels_and_kickers_are_never_the_title() -> None:
    for header in [
        ("Trang chủ | Thời sự | Kinh tế | Xã hội | Thế giới",),
        ("Thời sự › Đối ngoại",),
        ("CHÍNH TRỊ",),
        ("Hội hữu nghị Việt Nam - Nhật Bản:",),
        ("Theo dõi Báo trên Google News",),
    ]:
        proposal = propose_source(page(*header, "16:01, 23/09/2023 (GMT+7)"), VI)
        assert proposal.title == HEADLINE, header


def test_body_captions_alt_text_related_news_and_byline() -> None:
    text = "\n".join(
        [
            "Trang chủ | Đối ngoại",
            "16:01, 23/09/2023 (GMT+7)",
            HEADLINE,
            SAPO,  # 4
            "anh-hoi-dam.jpg",  # 5: a photo file name
            "Quang cảnh hội đàm. (Ảnh: TTXVN)",  # 6: a caption, kept
            "Quang cảnh hội đàm. (Ảnh: TTXVN)",  # 7: the caption again, alt text
            PARAGRAPHS[0],  # 8
            "Tin liên quan:",  # 9: a related-news block inside the body
            "Thủ tướng tiếp Đại sứ Nhật Bản nhân dịp kết thúc nhiệm kỳ công tác",
            "Hợp tác địa phương Việt Nam - Nhật Bản ngày càng sôi động",
            "",
            HEADLINE,  # 13: alt text repeating the headline
            PARAGRAPHS[1],  # 14
            "Minh Anh",  # a byline ends the article
            "Tin cùng chuyên mục",
            "Bộ trưởng Ngoại giao tiếp Đại sứ Hàn Quốc nhân dịp trình thư ủy nhiệm (22/09/2023)",
            "Một tin khác rất dài của cùng chuyên mục, không thuộc bài báo này, "
            "đăng ngày 20/1/2026 với nhiều chữ.",
        ]
    )
    proposal = propose_source(text, VI)
    assert (proposal.body_start, proposal.body_end) == (4, 14)
    assert [(a, b) for a, b, _ in proposal.exclude] == [(5, 5), (7, 7), (9, 11), (13, 13)]
    assert proposal.published == "2023-09-23T16:01:00+07:00"


def test_no_date_is_no_proposal() -> None:
    proposal = propose_source(page("Trang chủ | Thời sự"), VI)
    assert proposal.title == HEADLINE
    assert proposal.published is None and proposal.published_quote is None
    # a date inside the article is not the publication date
    assert "27/11" in SAPO


@pytest.mark.parametrize(
    "publisher",
    ["Báo Lào Cai", "Tạp chí Cộng sản – Cơ quan lý luận và chính trị của Trung ương Đảng", "A" * 80, ""],
)
def test_a_proposed_source_id_keeps_whole_words_within_40_characters(publisher: str) -> None:
    found = source_id(publisher, "2023-09-23T16:01:00+07:00")
    assert len(found) <= 40 and found.endswith("-2023-09-23")
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", found)
    if publisher and len(publisher) < 20:
        assert found == "bao-lao-cai-2023-09-23"


@pytest.mark.parametrize(
    ("tail", "end"),
    [
        (("", "Hai bên đã trao quà lưu niệm."), 9),  # a short closing paragraph is the article's
        (("", "Minh Anh"), 7),  # a byline is not
        (("", "Hai bên đã trao quà lưu niệm.", "", "Tin cùng chuyên mục"), 9),
    ],
)
def test_a_short_last_paragraph_stays_in_the_body(tail: tuple[str, ...], end: int) -> None:
    text = page("Trang chủ > Thời sự", tail=tail)
    proposal = propose_source(text, VI)
    assert proposal.body_end == end, text.splitlines()
