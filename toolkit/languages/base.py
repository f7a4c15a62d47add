"""What every language pack provides, and the mentions its readers return.

A pack reads the numbers and dates a page states the way that language's readers do, and
names the words the rules look for (hedges, averages, former posts, speech verbs, titles,
page furniture). The rules and the tools never hold a word of any language themselves: they
ask the pack of the source they read (`Source.language`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple, Protocol, runtime_checkable

from toolkit.core.dates import Span


class NumberMention(NamedTuple):
    """A number the text states, with the comparator its wording implies, its sign when the
    wording states a change, and the currency named after it. (A named tuple: a quote's
    numbers are read by the thousand, and a tuple is made several times faster.)"""

    text: str
    start: int
    end: int
    value: Decimal
    comparator: str = "exact"
    lower: Decimal | None = None
    upper: Decimal | None = None
    percent: bool = False
    signed: bool = False  # the text states a change: `giảm 4%`, `+4%`
    currency: str | None = None  # ISO 4217, when a currency word follows


class RankMention(NamedTuple):
    """A rank the text states (`thứ 3`, `số một`, `lớn nhất`, `third-largest`), the number
    it is out of where stated (`thứ 3/143`), and the span of the noun it ranks: an ordinal
    belongs to its noun (`nhà đầu tư thứ 3 và thương mại thứ 4`: the investor rank is 3)."""

    text: str
    start: int
    end: int
    value: Decimal
    out_of: Decimal | None
    noun_start: int
    noun_end: int


@dataclass(frozen=True)
class DateMention:
    """A date the text states; `year` is None where the text leaves it to context."""

    text: str
    start: int
    end: int
    year: int | None
    build: Callable[[int], Span]
    # A range states its ends too: `(2008-2023)` states 2023, `10-12/11` states 12/11.
    ends: tuple[Callable[[int], Span], ...] = ()

    def span(self, year: int | None = None) -> Span:
        """The span of days meant, with `year` filling in a year the text does not state."""
        return self.build(self._year(year))

    def end_spans(self, year: int | None = None) -> list[Span]:
        """The spans of a range's first and last day (or year); empty for a single date."""
        return [end(self._year(year)) for end in self.ends]

    def _year(self, year: int | None) -> int:
        if self.year is not None:
            return self.year
        if year is None:
            raise ValueError("the text states no year")
        return year


@dataclass(frozen=True)
class PageLayout:
    """The words of a news page's furniture in one language, for `add-source` proposals:
    menus and account links, the headings that end an article or open a related-news block,
    bylines, and how a date line is written."""

    date: re.Pattern[str]  # a full date on a date line; groups d, m, y (and d2, m2, y2)
    menu: re.Pattern[str]
    furniture: re.Pattern[str]
    related: re.Pattern[str]
    byline: re.Pattern[str]
    caption: re.Pattern[str]  # a photo credit ending a caption line: `Ảnh: …`, `Photo: …`


@runtime_checkable
class Language(Protocol):
    """A language pack: readers and word lists for pages written in one language."""

    code: str  # BCP 47 primary subtag: `vi`, `en`
    name: str  # in English: `Vietnamese`
    time_zone: str  # the offset its pages usually keep (`+07:00`), suggested when one prints none
    comparator_before: re.Pattern[str]  # a comparator word ending just before a number
    currencies: Sequence[tuple[re.Pattern[str], str]]  # a currency word after a number, its ISO code
    hedges: re.Pattern[str]  # the figure is expected or planned, not a fact
    averages: re.Pattern[str]
    former: re.Pattern[str]  # a post that is no longer held
    speech_verbs: re.Pattern[str]
    organizer_words: re.Pattern[str]  # an organizer is named with one of these in its sentence
    chair_words: re.Pattern[str]  # and a chair with one of these
    event_words: Sequence[tuple[re.Pattern[str], str]]  # words naming a kind of event, its type
    honorifics: str  # a regular expression of the titles that stand before a person's name
    titled_name: re.Pattern[str]  # a title followed by a name (coverage)
    ordinal_words: tuple[str, ...]  # words that make a number an ordinal (`thứ`, `th`)
    unit_nouns: Mapping[str, tuple[str, ...]]  # a unit's nouns after a number: day -> (`ngày`,)
    conversions: re.Pattern[str]  # words ending just before a figure given as a conversion
    terms: re.Pattern[str]  # a term of office (`nhiệm kỳ 2015-2018`): groups since, until
    # Text this does not match states no date a number could be part of: a cheap test before
    # the date patterns, which read_numbers skips them with.
    date_hint: re.Pattern[str]
    layout: PageLayout

    def read_numbers(
        self, text: str, words: bool = True, keep: tuple[int, int] | None = None
    ) -> list[NumberMention]:
        """Every number the text states that is not part of a date."""
        ...

    def read_dates(self, text: str) -> list[DateMention]:
        """Every date the text states, in text order; never raises."""
        ...

    def split_sentences(self, text: str, offset: int = 0) -> list[tuple[int, int]]:
        """Sentence spans of one line of text (abbreviations do not end a sentence)."""
        ...

    def read_ranks(self, text: str) -> list[RankMention]:
        """Every rank the text states, each with the noun it ranks, in text order."""
        ...


# Each member a pack must have, and the type it must be: checked when a pack registers, so a
# pack missing a word list is refused at once rather than failing on the first page it reads.
MEMBERS: dict[str, type | tuple[type, ...]] = {
    "code": str,
    "name": str,
    "time_zone": str,
    "comparator_before": re.Pattern,
    "currencies": (list, tuple),
    "hedges": re.Pattern,
    "averages": re.Pattern,
    "former": re.Pattern,
    "speech_verbs": re.Pattern,
    "organizer_words": re.Pattern,
    "chair_words": re.Pattern,
    "event_words": tuple,
    "honorifics": str,
    "titled_name": re.Pattern,
    "ordinal_words": tuple,
    "unit_nouns": dict,
    "conversions": re.Pattern,
    "terms": re.Pattern,
    "date_hint": re.Pattern,
    "layout": PageLayout,
}
METHODS = ("read_numbers", "read_dates", "split_sentences", "read_ranks")
_ZONE = re.compile(r"^[+-](?:0\d|1[0-4]):[0-5]\d$")


def comparator_before(
    pattern: re.Pattern[str], comparators: Sequence[tuple[str, str]], text: str, start: int
) -> str:
    """The comparator a pack's words state just before a number (`khoảng`, `more than`; the
    match's group `c`, looked up in its (words, comparator) table), else exact."""
    m = pattern.search(text[max(0, start - 30) : start])
    if not m:
        return "exact"
    word = " ".join(m["c"].lower().split())
    return next(c for w, c in comparators if w == word)


def word_kinds(pairs: Sequence[tuple[str, str]]) -> tuple[tuple[re.Pattern[str], str], ...]:
    """Alternatives of whole words, each with the kind they name, first match wins: a pack's
    `event_words` from its (words, kind) table."""
    return tuple((re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE), kind) for words, kind in pairs)


def pack_problems(pack: object) -> list[str]:
    """What a pack lacks or gets wrong, in words; empty when it is a whole `Language`."""
    wrong = [
        f"{name} is missing or not a {kind}"
        for name, kind in MEMBERS.items()
        if not isinstance(getattr(pack, name, None), kind)
    ]
    wrong += [f"{name}() is missing" for name in METHODS if not callable(getattr(pack, name, None))]
    code = getattr(pack, "code", "")
    if isinstance(code, str) and not re.fullmatch(r"[a-z]{2,3}", code):
        wrong.append(f"code {code!r} is not a BCP 47 primary language subtag")
    zone = getattr(pack, "time_zone", "")
    if isinstance(zone, str) and not _ZONE.match(zone):
        wrong.append(f"time_zone {zone!r} is not an offset like +07:00")
    return wrong


_WORD_AFTER = re.compile(r"[^\W\d_]", re.UNICODE)


def counted_noun(text: str, end: int, nouns: Sequence[str]) -> bool | None:
    """Does the number ending at `end` count one of `nouns` (`4 ngày`, `4 days`)? None when no
    word follows it in its sentence (`kéo dài 4 ngày.` counts, `là 4.` says nothing). Nouns
    are compared case-folded as whole words: `ngày` is not `ngàyx`."""
    after = text[end : end + 80].lstrip()
    if not after or not _WORD_AFTER.match(after):
        return None
    folded = after.casefold()
    for noun in nouns:
        n = noun.casefold()
        if folded.startswith(n) and (len(folded) == len(n) or not folded[len(n)].isalnum()):
            return True
    return False


def noun_named(noun: str, nouns: Sequence[str]) -> bool:
    """Is one of `nouns` in `noun` as whole words, case-folded (a rank's noun phrase)?"""
    folded = noun.casefold()
    return any(
        re.search(rf"(?<!\w){re.escape(n.casefold())}(?!\w)", folded) is not None for n in nouns if n.strip()
    )


_CLAUSE_END = re.compile(r"[,.;:()\[\]“”\"!?]")


def span_after(text: str, start: int, stop: int) -> tuple[int, int]:
    """The words from `start` to the first clause mark or `stop`, trimmed: the noun a rank
    names after it (`thứ ba về đầu tư và du lịch`, `third-largest investor`)."""
    m = _CLAUSE_END.search(text, start, stop)
    end = m.start() if m else stop
    return _trimmed(text, start, end)


def span_before(text: str, start: int, floor: int) -> tuple[int, int]:
    """The words back from `start` to the last clause mark or `floor`, trimmed: the noun a
    rank follows (`nhà đầu tư và đối tác du lịch thứ 3`)."""
    marks = [m.end() for m in _CLAUSE_END.finditer(text, floor, start)]
    return _trimmed(text, marks[-1] if marks else floor, start)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
