"""Values and dates in words, as the reader's pages print them."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest

from toolkit.build.words import claim_time_words, date_words, number_words, published_words, quantity_words


@pytest.mark.parametrize(
    ("amount", "unit", "comparator", "bounds", "expected"),
    [
        (Decimal(9800000), "USD", "about", (None, None), "about USD 9.8 million"),
        (20, "delegation", "range", (15, 20), "15–20 delegations"),
        (900000, "USD", "about", (None, None), "about USD 900,000"),
        (2800, "person", "nearly", (None, None), "nearly 2,800 people"),
        (1, "person", "exact", (None, None), "1 person"),
        (70, "percent", "exact", (None, None), "70%"),
        (3, "rank", "exact", (None, None), "3rd"),
        (11, "edition", "exact", (None, None), "11th"),
        (22, "edition", "exact", (None, None), "22nd"),
        (52, "connection point", "exact", (None, None), "52 connection points"),
        (110, "document", "more_than", (None, None), "more than 110 documents"),
        (1500000000, "JPY", "exact", (None, None), "JPY 1.5 billion"),
        ("2.5", "day", "exact", (None, None), "2.5 days"),
    ],
)
def test_quantities_read_as_people_say_them(
    amount: object, unit: str, comparator: str, bounds: tuple[object, object], expected: str
) -> None:
    assert quantity_words(amount, unit, comparator, *bounds) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023", "2023"),
        ("2023-06", "June 2023"),
        ("2023-06-03", "3 June 2023"),
        ("2023-Q3", "third quarter of 2023"),
        ("2023-H1", "first half of 2023"),
        ("2023-11-10/2023-11-12", "10–12 November 2023"),
        ("2023-10-30/2023-11-02", "30 October – 2 November 2023"),
        ("2021/2026", "2021–2026"),
        ("2023-09/2023-11", "September–November 2023"),
        ("2022-12-30/2023-01-02", "30 December 2022 – 2 January 2023"),
        ("not a date", "not a date"),
    ],
)
def test_dates_in_words(text: str, expected: str) -> None:
    assert date_words(text) == expected


def test_publication_times_and_claim_times() -> None:
    assert published_words("2023-01-06T20:16:00+07:00") == "6 January 2023, 20:16 (UTC+07:00)"
    assert published_words("2023") == "2023"
    assert claim_time_words(None, "2006", None) == "since 2006"
    assert claim_time_words("2023-11-03", None, None) == "3 November 2023"
    assert claim_time_words(None, None, None) == ""
    assert number_words(None) == ""


def test_d_words_are_the_folded_words_with_d_in_order_once() -> None:
    import re

    from toolkit.build.reader import d_words
    from toolkit.core.searchfold import search_key

    texts = [
        "Đặng Xuân Phong (Đà Nẵng), đồng-đô_la đ123 ĐẠI hội; Đặng",
        "không có",
        "Bộ trưởng Đinh Tiến Dũng: “đổi mới” …đã",
        unicodedata.normalize("NFD", "Điện Biên đường"),
    ]
    expected = " ".join(dict.fromkeys(search_key(w) for w in re.findall(r"\w*[đĐ]\w*", " ".join(texts))))
    assert d_words(*texts, None, 3) == expected
    assert d_words("Đặng", "Đặng") == "dang"
    assert d_words("no d here") == ""
