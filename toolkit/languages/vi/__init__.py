"""Vietnamese: `9,8 triệu` is 9 800 000, `900.000` is 900 000, `gần 2.800` is nearly 2 800,
`ngày 6/1` is 6 January, `quý III năm 2023` the third quarter; pages print times in +07:00."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from toolkit.languages.base import DateMention, NumberMention, PageLayout, RankMention
from toolkit.languages.vi import dates, numbers, ranks, words

# Text with none of these states no date (a cheap test before the date patterns).
_DATE_HINT = re.compile(r"\d\s*[/.\-–—‐‑]\s*\d|(?<!\d)(?:1[89]|20)\d\d(?!\d)|tháng|quý|ngày", re.IGNORECASE)


def read_dates(text: str) -> list[DateMention]:
    """Every date the text states, longest forms first, in text order; never raises."""
    return dates.read_dates(text)


def read_numbers(text: str, words: bool = True, keep: tuple[int, int] | None = None) -> list[NumberMention]:
    """Every number the text states that is not part of a date (see `toolkit.languages.vi.numbers`).

    `words=False` skips numbers written as words, for text known to use digits; `keep` reads
    only the numbers overlapping that span. Memoised per distinct text, like `read_dates`."""
    return list(_read_numbers(text, words, keep))


# Sized for the quotes of 100 000 claims: the figures rule reads them again once every file
# is summarised, in the same process when the build runs on one.
@lru_cache(maxsize=1 << 17)
def _read_numbers(text: str, words: bool, keep: tuple[int, int] | None) -> tuple[NumberMention, ...]:
    text = unicodedata.normalize("NFC", text)
    spans = [(d.start, d.end) for d in dates.read_dates(text)] if _DATE_HINT.search(text) else []
    return tuple(numbers.read_numbers(text, words, spans, keep))


class Vietnamese:
    """The Vietnamese pack."""

    code = "vi"
    name = "Vietnamese"
    time_zone = "+07:00"
    comparator_before = numbers.COMPARATOR_RE
    currencies: Sequence[tuple[re.Pattern[str], str]] = numbers.CURRENCIES
    hedges = words.HEDGES
    averages = words.AVERAGES
    former = words.FORMER
    speech_verbs = words.SPEECH_VERBS
    organizer_words = words.ORGANIZER_WORDS
    chair_words = words.CHAIR_WORDS
    event_words = words.EVENT_WORDS
    honorifics = words.HONORIFICS
    titled_name = words.TITLED_NAME
    ordinal_words: tuple[str, ...] = ("thứ",)
    unit_nouns = words.UNIT_NOUNS
    conversions = words.CONVERSIONS
    terms = words.TERMS
    date_hint = _DATE_HINT
    layout: PageLayout = words.LAYOUT

    def read_numbers(
        self, text: str, words: bool = True, keep: tuple[int, int] | None = None
    ) -> list[NumberMention]:
        return read_numbers(text, words, keep)

    def read_dates(self, text: str) -> list[DateMention]:
        return dates.read_dates(text)

    def split_sentences(self, text: str, offset: int = 0) -> list[tuple[int, int]]:
        return words.split_sentences(text, offset)

    def read_ranks(self, text: str) -> list[RankMention]:
        return ranks.read_ranks(text)


LANGUAGE = Vietnamese()
