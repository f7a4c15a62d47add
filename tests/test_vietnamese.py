"""Reading numbers and dates the Vietnamese way, with property-based checks."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.languages.vi import read_dates, read_numbers
from toolkit.languages.vi.numbers import parse_number


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
        ("từ 15-18/12/2023", None, "2023-12-15/2023-12-18"),  # a day range with its year
        ("từ ngày 15 đến 18/12/2023", None, "2023-12-15/2023-12-18"),
        ("từ ngày 15 đến ngày 18/12", 2023, "2023-12-15/2023-12-18"),
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
    from toolkit.core.dates import parse_range

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
    from toolkit.languages.vi import _DATE_HINT

    if read_dates(text):
        assert _DATE_HINT.search(text)


@pytest.mark.parametrize(
    ("text", "value", "comparator"),
    [
        ("hai mươi lăm doanh nghiệp", "25", "exact"),
        ("Bốn nước", "4", "exact"),
        ("một trăm linh năm", "105", "exact"),
        ("ba trăm lẻ tám", "308", "exact"),
        ("ba mươi mốt", "31", "exact"),
        ("hai mươi tư", "24", "exact"),
        ("mười nhăm", "15", "exact"),
        ("ba vạn người", "30000", "exact"),
        ("hai nghìn tỷ đồng", "2000000000000", "exact"),
        ("năm trăm triệu", "500000000", "exact"),
        ("5 trăm triệu đồng", "500000000", "exact"),
        ("1.000 tỷ đồng", "1000000000000", "exact"),
        ("vượt mốc 100 tỷ Yên", "100000000000", "more_than"),
        ("vượt qua 50 dự án", "50", "more_than"),
        ("vượt 50 dự án", "50", "more_than"),
        ("hơn 110 văn kiện", "110", "more_than"),
        ("trên 110 văn kiện", "110", "more_than"),
        ("ít nhất 12 dự án", "12", "at_least"),
        ("tối thiểu 12 dự án", "12", "at_least"),
        ("từ 20 doanh nghiệp trở lên", "20", "at_least"),
        ("tối đa 5 dự án", "5", "at_most"),
        ("không quá 5 dự án", "5", "at_most"),
        ("dưới 10%", "10", "less_than"),
        ("chưa đến 10%", "10", "less_than"),
        ("khoảng 9,8 triệu đô la", "9800000", "about"),
        ("chừng 300 người", "300", "about"),
        ("xấp xỉ 300 người", "300", "about"),
        ("trên dưới 300 đại biểu", "300", "about"),
        ("ước tính đạt 37,3 tỷ USD", "37300000000", "about"),
        ("gần 2.800 người", "2800", "nearly"),
    ],
)
def test_numbers_words_magnitudes_and_comparators(text: str, value: str, comparator: str) -> None:
    (mention,) = read_numbers(text)
    assert (mention.value, mention.comparator) == (Decimal(value), comparator)


def test_two_figures_each_keep_their_own_comparator() -> None:
    first, second = read_numbers("gần 150 đại biểu và hơn 20 doanh nghiệp")
    assert (first.value, first.comparator) == (150, "nearly")
    assert (second.value, second.comparator) == (20, "more_than")


@pytest.mark.parametrize(
    ("text", "value", "signed"),
    [
        ("giảm 4% so với cùng kỳ", "-4", True),
        ("sụt giảm 2,5%", "-2.5", True),
        ("tăng 4% so với cùng kỳ", "4", True),
        ("tăng trưởng 6,5%", "6.5", True),
        ("(+4%)", "4", True),
        ("−4%", "-4", True),
        ("-4%", "-4", True),
        ("giảm xuống 3%", "3", False),  # a level reached, not a change
        ("tăng cường 3 lĩnh vực", "3", False),
        ("- 4 dự án", "4", False),  # a list dash is no sign
    ],
)
def test_signed_changes(text: str, value: str, signed: bool) -> None:
    (mention,) = read_numbers(text)
    assert (mention.value, mention.signed) == (Decimal(value), signed)


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("100 tỷ Yên", "JPY"),
        ("100 tỷ yên", "JPY"),
        ("2.000 tỷ đồng", "VND"),
        ("9,8 triệu đô la Mỹ", "USD"),
        ("37,3 tỷ USD", "USD"),
        ("12 dự án", None),
    ],
)
def test_currencies(text: str, currency: str | None) -> None:
    (mention,) = read_numbers(text)
    assert mention.currency == currency


def test_words_that_are_not_counts() -> None:
    assert read_numbers("một số doanh nghiệp") == []
    assert [m.value for m in read_numbers("hai năm qua")] == [2]  # two years, not 7
    assert read_numbers("năm nay") == []


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("9 tháng đầu năm 2023", "2023-01/2023-09"),
        ("chín tháng đầu năm 2023", "2023-01/2023-09"),
        ("10 tháng năm 2023", "2023-01/2023-10"),
        ("6 tháng đầu năm 2023", "2023-H1"),
        ("quý III năm 2023", "2023-Q3"),
        ("nửa cuối năm 2023", "2023-H2"),
        ("đầu tháng 11/2023", "2023-11"),
        ("cuối năm 2023", "2023"),
    ],
)
def test_periods(text: str, span: str) -> None:
    (mention,) = read_dates(text)
    assert str(mention.span()) == span


def test_equivalent_spellings_of_one_span_are_equal() -> None:
    from toolkit.core.dates import parse_range

    assert parse_range("2023-H1") == parse_range("2023-01/2023-06")
    assert parse_range("2023-Q3") == parse_range("2023-07/2023-09")


_DATE_WORDS = ["ngày", "Ngày", "tháng", "THÁNG", "năm", "Năm", "quý", "QUÝ", "nửa", "đầu", "cuối", "Giữa"]
_DATE_BITS = [
    "sau",
    "của",
    "IV",
    "II",
    "6",
    "9",
    "12",
    "05",
    "3",
    "2023",
    "2019",
    "/",
    "-",
    "–",
    ".",
    " ",
    ",",
]


@given(st.lists(st.sampled_from(_DATE_WORDS + _DATE_BITS), max_size=14), st.sampled_from([" ", ""]))
def test_the_words_a_date_pattern_needs_never_hide_a_date(parts: list[str], glue: str) -> None:
    """Each date pattern is tried only on text holding a word it needs: never a date missed."""
    import toolkit.languages.vi.dates as vn

    text = glue.join(parts)

    def seen(patterns: list[tuple[object, object, tuple[str, ...]]]) -> list[tuple[str, int, int]]:
        saved = vn._DATE_PATTERNS
        vn._DATE_PATTERNS = patterns  # type: ignore[assignment]
        try:
            return [(d.text, d.start, d.end) for d in vn._dates_of(text)]
        finally:
            vn._DATE_PATTERNS = saved

    everything = [(p, make, ()) for p, make, _ in vn._DATE_PATTERNS]
    assert seen(vn._DATE_PATTERNS) == seen(everything)  # type: ignore[arg-type]


_NUMBER_BITS = ["khoảng", "hơn", "giảm", "tăng", "từ", "đến", "trở lên", "hai", "mươi", "lăm", "triệu", "tỷ"]
_NUMBER_BITS += ["9,8", "900.000", "15", "20", "3", "2023", "05/2023", "%", "-", "+", "đô la", "yên", "năm"]


@given(
    st.lists(st.sampled_from(_NUMBER_BITS), max_size=12),
    st.integers(0, 60),
    st.integers(0, 20),
    st.booleans(),
)
def test_reading_only_the_numbers_kept_reads_them_as_the_whole_text_does(
    parts: list[str], start: int, width: int, words: bool
) -> None:
    text = " ".join(parts)
    keep = (start, start + width)
    whole = [m for m in read_numbers(text, words) if m.start < keep[1] and keep[0] < m.end]
    assert read_numbers(text, words, keep=keep) == whole


# -- ranks, conversions, terms (issue 19 §3)

VI = __import__("toolkit.languages", fromlist=["language"]).language("vi")


@pytest.mark.parametrize(
    ("text", "rank", "noun"),
    [
        ("nhà đầu tư thứ 3 và thương mại thứ 4", "thứ 3", "nhà đầu tư"),
        ("nhà đầu tư thứ 3 và thương mại thứ 4", "thứ 4", "thương mại"),
        ("là đối tác số một về ODA, thứ hai về lao động", "số một", "ODA"),
        ("là đối tác số một về ODA, thứ hai về lao động", "thứ hai", "lao động"),
        (
            "nhà đầu tư và đối tác du lịch thứ 3, đối tác thương mại thứ 4",
            "thứ 3",
            "nhà đầu tư và đối tác du lịch",
        ),
        ("Nhật Bản là nhà đầu tư lớn nhất", "lớn nhất", "Nhật Bản là nhà đầu tư"),
        ("đối tác hàng đầu", "hàng đầu", "đối tác"),
        ("xếp thứ mười hai về du lịch", "thứ mười hai", "du lịch"),
    ],
)
def test_an_ordinal_belongs_to_its_noun(text: str, rank: str, noun: str) -> None:
    (found,) = [r for r in VI.read_ranks(text) if r.text == rank]
    assert text[found.noun_start : found.noun_end] == noun


@pytest.mark.parametrize(
    ("text", "value", "out_of"),
    [
        ("xếp thứ 3/143 quốc gia", 3, 143),
        ("đứng thứ 3 trên 143 nước", 3, 143),
        ("thứ ba về đầu tư", 3, None),
        ("thứ tư về thương mại", 4, None),
        ("thứ nhất", 1, None),
        ("thứ nhì", 2, None),
        ("số 1 về ODA", 1, None),
        ("lớn nhất", 1, None),
        ("hàng đầu", 1, None),
        ("hạng 5", 5, None),
    ],
)
def test_ranks(text: str, value: int, out_of: int | None) -> None:
    (found,) = VI.read_ranks(text)
    assert (found.value, found.out_of) == (value, out_of)


@pytest.mark.parametrize("text", ["thứ Hai, ngày 6/11", "thứ 2, 6/11", "một số doanh nghiệp", "3 nhà đầu tư"])
def test_weekdays_and_counts_are_no_ranks(text: str) -> None:
    assert VI.read_ranks(text) == []


def test_conversion_words_stand_before_the_converted_figure() -> None:
    text = "100 tỷ Yên, tương đương khoảng 17.000 tỷ đồng"
    at = text.index("17.000")
    assert VI.conversions.search(text[:at]) and not VI.conversions.search(text[: text.index("100")])
    assert not VI.conversions.search("quy mô tương đương nhau, đạt ")


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Chủ tịch Hội khóa VII nhiệm kỳ 2021-2026", ("2021", "2026")),
        ("nhiệm kỳ 2015 – 2018", ("2015", "2018")),
    ],
)
def test_terms(text: str, term: tuple[str, str]) -> None:
    m = VI.terms.search(text)
    assert m is not None and (m["since"], m["until"]) == term
    assert VI.terms.search("khóa VII năm 2021") is None


@pytest.mark.parametrize(
    ("text", "counted"),
    [("kéo dài 4 ngày", True), ("4 ngày.", True), ("40 hoạt động", False), ("số ngày là 4.", None)],
)
def test_the_noun_after_a_number(text: str, counted: bool | None) -> None:
    from toolkit.languages.base import counted_noun

    number = max((n for n in read_numbers(text)), key=lambda n: n.start)
    assert counted_noun(text, number.end, VI.unit_nouns["day"]) is counted


_RANK_BITS = [*"0123456789/ ,.", "thứ", " ba", " nhất", " số", " một", " về", " lớn nhất"]


@given(st.lists(st.sampled_from(_RANK_BITS), max_size=30).map("".join))
def test_ranks_never_crash_and_stay_inside_the_text(text: str) -> None:
    for r in VI.read_ranks(text):
        assert text[r.start : r.end] == r.text and 0 <= r.noun_start <= r.noun_end <= len(text)
