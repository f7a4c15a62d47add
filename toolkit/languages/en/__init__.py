"""English: `9.8 million` is 9 800 000, `1,234.5` is 1 234.5, `nearly 4,000` is nearly 4 000,
`$5m` is USD 5 000 000, `12 March 2024` and `March 12, 2024` are one day; an all-numeric date
is read only when a pack says which order its pages use (this one does not)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from toolkit.languages.base import DateMention, NumberMention, PageLayout, RankMention
from toolkit.languages.en import dates, numbers, ranks, words

_DATE_HINT = re.compile(r"\d{4}|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|quarter|half", re.IGNORECASE)


# Sized for the quotes of 100 000 claims: the figures rule reads them again once every file
# is summarised, in the same process when the build runs on one.
@lru_cache(maxsize=1 << 17)
def _read_numbers(text: str, words: bool, keep: tuple[int, int] | None) -> tuple[NumberMention, ...]:
    text = unicodedata.normalize("NFC", text)
    spans = [(d.start, d.end) for d in dates.read_dates(text)] if _DATE_HINT.search(text) else []
    return tuple(numbers.read_numbers(text, words, spans, keep))


class English:
    """The English pack. All-numeric dates are not read: `03/12/2024` is 3 December to some
    writers and 12 March to others (`day_first` says which, for a pack made for one)."""

    code = "en"
    name = "English"
    time_zone = "+00:00"
    day_first: bool | None = None
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
    ordinal_words: tuple[str, ...] = ("first", "second", "third", "No.")
    unit_nouns = words.UNIT_NOUNS
    conversions = words.CONVERSIONS
    terms = words.TERMS
    date_hint = _DATE_HINT
    layout: PageLayout = words.LAYOUT

    def read_numbers(
        self, text: str, words: bool = True, keep: tuple[int, int] | None = None
    ) -> list[NumberMention]:
        return list(_read_numbers(text, words, keep))

    def read_dates(self, text: str) -> list[DateMention]:
        return list(dates.read_dates(text, self.day_first))

    def split_sentences(self, text: str, offset: int = 0) -> list[tuple[int, int]]:
        return words.split_sentences(text, offset)

    def read_ranks(self, text: str) -> list[RankMention]:
        return ranks.read_ranks(text)


LANGUAGE = English()
