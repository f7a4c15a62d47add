"""Reading numbers and dates the Vietnamese way, with property-based checks."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.vietnamese import parse_number, read_dates, read_numbers


@pytest.mark.parametrize(
    ("text", "value", "comparator"),
    [
        ("khoảng 9,8 triệu đô la", Decimal("9800000"), "about"),
        ("900.000 người", Decimal("900000"), "exact"),
        ("gần 2.800 học sinh", Decimal("2800"), "nearly"),
        ("hơn 110 văn kiện", Decimal("110"), "more_than"),
        ("Hơn 547.000 lao động", Decimal("547000"), "more_than"),
        ("1,8 tỷ đồng", Decimal("1800000000"), "exact"),
        ("70% doanh nghiệp", Decimal("70"), "exact"),
        ("nước cung cấp viện trợ ODA thứ nhất", Decimal("1"), "exact"),
        ("đối tác thương mại thứ 4", Decimal("4"), "exact"),
        ("ít nhất 3 dự án", Decimal("3"), "at_least"),
    ],
)
def test_numbers(text: str, value: Decimal, comparator: str) -> None:
    (mention,) = read_numbers(text)
    assert mention.value == value
    assert mention.comparator == comparator


def test_percent_and_range() -> None:
    (pct,) = read_numbers("70% doanh nghiệp")
    assert pct.percent
    (rng,) = read_numbers("hỗ trợ 15-20 đoàn")
    assert (rng.comparator, rng.lower, rng.upper) == ("range", Decimal(15), Decimal(20))
    (rng2,) = read_numbers("từ 15 đến 20 đoàn")
    assert (rng2.lower, rng2.upper) == (Decimal(15), Decimal(20))


def test_dates_and_times_are_not_numbers() -> None:
    assert read_numbers("20:16 | 06/01/2023 GMT+7") == []
    assert read_numbers("Ngày 3-6-2023, từ ngày 10-12/11, năm 2023") == []
    assert [n.value for n in read_numbers("nhà đầu tư và năm 2023 có 5 năm")] == [Decimal(5)]


@pytest.mark.parametrize(
    ("text", "year", "span"),
    [
        ("diễn ra vào ngày 6/1", 2023, "2023-01-06"),
        ("Ngày 3-6-2023, tại tỉnh Lào Cai", None, "2023-06-03"),
        ("20:16 | 06/01/2023 GMT+7", None, "2023-01-06"),
        ("từ ngày 10-12/11", 2023, "2023-11-10/2023-11-12"),
        ("Trong 2 ngày (11 - 12/12)", 2025, "2025-12-11/2025-12-12"),
        ("quý III năm 2023", None, "2023-Q3"),
        ("6 tháng cuối năm 2023", None, "2023-H2"),
        ("tháng 11/2022", None, "2022-11"),
        ("trong tháng 1/2024", None, "2024-01"),
        ("ngày 3 tháng 6 năm 2023", None, "2023-06-03"),
        ("nhiệm kỳ 2021-2026", None, "2021/2026"),
        ("Từ năm 2006 đến nay", None, "2006"),
    ],
)
def test_dates(text: str, year: int | None, span: str) -> None:
    from toolkit.dates import parse_range

    (mention,) = read_dates(text)
    assert mention.year == (None if year else mention.year)
    assert mention.span(year) == parse_range(span)


def test_impossible_dates_are_not_read() -> None:
    assert read_dates("ngày 31/2/2023") == []
    assert read_dates("ngày 32/1") == []


@given(st.integers(min_value=0, max_value=10**12))
def test_dot_thousands_round_trip(n: int) -> None:
    grouped = f"{n:,}".replace(",", ".")
    assert parse_number(grouped) == n
    (mention,) = read_numbers(f"có {grouped} người")
    assert mention.value == n


@given(st.integers(min_value=0, max_value=999), st.integers(min_value=1, max_value=9))
def test_decimal_comma_with_multiplier(whole: int, tenth: int) -> None:
    (mention,) = read_numbers(f"khoảng {whole},{tenth} triệu USD")
    assert mention.value == (Decimal(whole) + Decimal(tenth) / 10) * 1_000_000
    assert mention.comparator == "about"


@given(st.dates())
def test_written_dates_read_back(day: object) -> None:
    import datetime

    assert isinstance(day, datetime.date)
    if day.year < 1800:
        return
    for written in (f"ngày {day.day}/{day.month}/{day.year}", f"{day.day}-{day.month}-{day.year}"):
        (mention,) = read_dates(written)
        assert mention.span().first == day


@given(st.text(max_size=200))
def test_readers_never_crash(text: str) -> None:
    for mention in read_dates(text):
        if mention.year is not None:
            mention.span()
    read_numbers(text)


@given(st.text(alphabet=st.sampled_from(list("0123456789/.-–, %thángquýnămy 18 20")), max_size=40))
def test_date_hint_never_skips_a_date(text: str) -> None:
    """The cheap pre-test finds every text in which the date patterns match something."""
    from toolkit.vietnamese import _DATE_HINT

    if read_dates(text):
        assert _DATE_HINT.search(text)
