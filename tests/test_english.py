"""The English pack reads figures and dates the way an English reader does: for each reading
class, the right reading is among what the pack reads, and a wrong one is not."""

from __future__ import annotations

from decimal import Decimal

import pytest

from toolkit.core.dates import Span, day_span, half_span, month_span, quarter_span, year_span
from toolkit.languages import language

EN = language("en")

# (text, value, comparator, currency, percent, signed), and a wrong value the pack must not read.
NUMBERS = [
    ("about 9.8 million dollars", "9800000", "about", "USD", False, False, "9.8"),
    ("nearly 4,000 visitors", "4000", "nearly", None, False, False, "4"),
    ("€1.5 billion in loans", "1500000000", "exact", "EUR", False, False, "1.5"),
    ("1,234.5 tonnes", "1234.5", "exact", None, False, False, "1234500"),
    ("26 percent of firms", "26", "exact", None, True, False, "0.26"),
    ("26% of firms", "26", "exact", None, True, False, None),
    ("around 300 yen", "300", "about", "JPY", False, False, None),
    ("some 40 delegations", "40", "about", None, False, False, None),
    ("more than 40 activities", "40", "more_than", None, False, False, None),
    ("over 2,000 people", "2000", "more_than", None, False, False, None),
    ("at least 15 firms", "15", "at_least", None, False, False, None),
    ("up to £5 million", "5000000", "at_most", "GBP", False, False, None),
    ("less than 10 days", "10", "less_than", None, False, False, None),
    ("under 3 percent", "3", "less_than", None, True, False, None),
    ("almost twenty-five projects", "25", "nearly", None, False, False, None),
    ("exports rose by 4%", "4", "exact", None, True, True, "-4"),
    ("exports fell 4 percent", "-4", "exact", None, True, True, "4"),
    ("imports increased by 12 percent", "12", "exact", None, True, True, None),
    ("investment decreased by 3.5%", "-3.5", "exact", None, True, True, "3.5"),
    ("a grant of $2.5bn", "2500000000", "exact", "USD", False, False, "2.5"),
    ("one hundred and five members", "105", "exact", None, False, False, None),
]


@pytest.mark.parametrize(("text", "value", "comparator", "currency", "percent", "signed", "wrong"), NUMBERS)
def test_numbers(
    text: str,
    value: str,
    comparator: str,
    currency: str | None,
    percent: bool,
    signed: bool,
    wrong: str | None,
) -> None:
    read = EN.read_numbers(text)
    same = [n for n in read if n.value == Decimal(value)]
    assert same, f"{text!r} read as {[str(n.value) for n in read]}"
    n = same[0]
    assert (n.comparator, n.currency, n.percent, n.signed) == (comparator, currency, percent, signed)
    if wrong is not None:
        assert all(m.value != Decimal(wrong) for m in read), f"{text!r} also read as {wrong}"


@pytest.mark.parametrize(
    ("text", "lower", "upper"),
    [("15-20 delegations", 15, 20), ("between 15 and 20 delegations", 15, 20), ("15 to 20 firms", 15, 20)],
)
def test_ranges(text: str, lower: int, upper: int) -> None:
    (n,) = EN.read_numbers(text)
    assert (n.comparator, n.lower, n.upper) == ("range", lower, upper)


def test_two_numbers_joined_by_and_are_no_range() -> None:
    read = EN.read_numbers("15 ministers and 20 governors")
    assert [(n.value, n.comparator) for n in read] == [(15, "exact"), (20, "exact")]


def test_currency_is_never_another() -> None:
    """Dollars are never euros; a figure with no currency word has none."""
    assert [n.currency for n in EN.read_numbers("9.8 million dollars")] == ["USD"]
    assert [n.currency for n in EN.read_numbers("9.8 million euros")] == ["EUR"]
    assert [n.currency for n in EN.read_numbers("9.8 million visitors")] == [None]


def _span(text: str, year: int | None = None) -> list[Span]:
    return [d.span(year) for d in EN.read_dates(text)]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("on 12 March 2024", day_span(2024, 3, 12)),
        ("on March 12, 2024", day_span(2024, 3, 12)),
        ("on 12th March 2024", day_span(2024, 3, 12)),
        ("published 2024-03-12", day_span(2024, 3, 12)),
        ("in March 2024", month_span(2024, 3)),
        ("in the first quarter of 2024", quarter_span(2024, 1)),
        ("Q3 2023 results", quarter_span(2023, 3)),
        ("the first half of 2023", half_span(2023, 1)),
        ("since 2006", year_span(2006)),
        ("from 15 to 18 December 2024", Span(day_span(2024, 12, 15).first, day_span(2024, 12, 18).last)),
        ("15–18 December 2024", Span(day_span(2024, 12, 15).first, day_span(2024, 12, 18).last)),
        ("December 15-18, 2024", Span(day_span(2024, 12, 15).first, day_span(2024, 12, 18).last)),
    ],
)
def test_dates(text: str, span: Span) -> None:
    assert _span(text) == [span]


def test_a_day_without_its_year_takes_the_year_given() -> None:
    (mention,) = EN.read_dates("the talks on 15–18 December")
    assert mention.year is None
    assert mention.span(2023) == Span(day_span(2023, 12, 15).first, day_span(2023, 12, 18).last)


@pytest.mark.parametrize("text", ["on 03/12/2024", "on 12/03/2024", "May we go"])
def test_dates_that_are_not_read(text: str) -> None:
    """An all-numeric date is ambiguous in English (the pack names no order),
    and `may` is a verb."""
    assert _span(text) == []


@pytest.mark.parametrize(
    ("pattern", "yes", "no"),
    [
        ("hedges", "exports are expected to reach 5%", "exports reached 5%"),
        ("averages", "an average of 15 delegations a year", "15 delegations a year"),
        ("former", "former minister Tanaka", "minister Tanaka"),
        ("speech_verbs", "the minister said on Monday", "the minister arrived on Monday"),
    ],
)
def test_word_lists(pattern: str, yes: str, no: str) -> None:
    words = getattr(EN, pattern)
    assert words.search(yes) and not words.search(no)


def test_sentences_do_not_end_after_a_title() -> None:
    text = "Mr. Tanaka met Dr. Lan in Hanoi. They signed two deals."
    assert [text[a:b] for a, b in EN.split_sentences(text)] == [
        "Mr. Tanaka met Dr. Lan in Hanoi.",
        "They signed two deals.",
    ]


@pytest.mark.parametrize(
    ("text", "rank", "value", "noun"),
    [
        (
            "Japan is the third-largest investor and fourth largest trading partner",
            "third-largest",
            3,
            "investor",
        ),
        (
            "Japan is the third-largest investor and fourth largest trading partner",
            "fourth largest",
            4,
            "trading partner",
        ),
        ("Japan ranked 3rd of 143 countries", "3rd of 143", 3, "countries"),
        ("Japan is the largest ODA provider", "largest", 1, "ODA provider"),
        ("ranked second among investors", "second", 2, "investors"),
        ("the No. 1 partner", "No. 1", 1, "partner"),
        ("the twenty-first meeting", "twenty-first", 21, "meeting"),
    ],
)
def test_ranks_and_their_nouns(text: str, rank: str, value: int, noun: str) -> None:
    (found,) = [r for r in EN.read_ranks(text) if r.text == rank]
    assert found.value == value and text[found.noun_start : found.noun_end] == noun


@pytest.mark.parametrize("text", ["1,000th visitor", "3 investors", "the 2023 term"])
def test_what_is_no_rank(text: str) -> None:
    assert EN.read_ranks(text) == []


def test_conversions_and_terms() -> None:
    assert EN.conversions.search("¥100 billion, equivalent to about ")
    assert not EN.conversions.search("a grant of ")
    for text in ("chairman for the 2015-2018 term", "term of 2015–2018"):
        m = EN.terms.search(text)
        assert m is not None and (m["since"], m["until"]) == ("2015", "2018")
