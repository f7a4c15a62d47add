"""Read the numbers a Vietnamese sentence states, the way a Vietnamese reader does.

- Digits: dots group thousands and a comma marks decimals (`900.000`, `9,8`); a dot followed
  by one or two digits is an English decimal point (`2.5`).
- Magnitude words, alone or combined: `9,8 triệu`, `100 tỷ`, `hai nghìn tỷ`, `5 trăm triệu`.
- Numbers in words, compounds included: `bốn` 4, `hai mươi lăm` 25, `một trăm linh năm` 105,
  `ba mươi mốt` 31, `hai mươi tư` 24, `mười nhăm` 15, `ba vạn` 30 000.
- The comparator the words before the number give (`khoảng` about, `gần` nearly, `hơn`,
  `trên`, `vượt mốc` more than, `ít nhất`, `từ … trở lên` at least, `tối đa`, `không quá` at
  most, `dưới`, `chưa đến` less than, `trên dưới`, `ước tính` about) and ranges (`15-20`,
  `từ 15 đến 20`).
- Signed changes: `giảm 4%` and `−4%` state −4, `tăng 4%` and `(+4%)` state +4.
- The currency a figure is in: `yên` JPY, `đồng` VND, `đô la (Mỹ)` and `USD` USD."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from functools import partial

from toolkit.core.spans import Spans
from toolkit.languages.base import NumberMention, comparator_before

_DASH = r"[-–—‐‑]"


MULTIPLIERS = {
    "trăm": Decimal(100),
    "nghìn": Decimal(1000),
    "ngàn": Decimal(1000),
    "vạn": Decimal(10_000),
    "triệu": Decimal(1_000_000),
    "tỷ": Decimal(1_000_000_000),
    "tỉ": Decimal(1_000_000_000),
}
# Longest first, so `trên dưới` is about, not more than; `vượt mốc` before `vượt`.
COMPARATORS = [
    ("trên dưới", "about"),
    ("ước tính", "about"),
    ("ước khoảng", "about"),
    ("xấp xỉ", "about"),
    ("khoảng", "about"),
    ("chừng", "about"),
    ("ít nhất", "at_least"),
    ("tối thiểu", "at_least"),
    ("tối đa", "at_most"),
    ("không quá", "at_most"),
    ("lên tới", "at_most"),
    ("lên đến", "at_most"),
    ("chưa đầy", "less_than"),
    ("chưa đến", "less_than"),
    ("chưa tới", "less_than"),
    ("dưới", "less_than"),
    ("vượt mốc", "more_than"),
    ("vượt qua", "more_than"),
    ("vượt", "more_than"),
    ("hơn", "more_than"),
    ("trên", "more_than"),
    ("gần", "nearly"),
]
_COMPARATOR_WORDS = "|".join(c for c, _ in COMPARATORS)
# What may stand between a comparator and its number: `ước tính đạt 37 tỷ`, `khoảng từ 15`.
_FILLER = r"(?:(?:đạt|là|ở mức|mức|có|từ)\s+)*"
COMPARATOR_RE = re.compile(rf"(?<!\w)(?P<c>{_COMPARATOR_WORDS})\s+{_FILLER}$", re.IGNORECASE)
_CHANGE_RE = re.compile(
    rf"(?<!\w)(?P<s>sụt giảm|suy giảm|giảm|tăng trưởng|tăng)(?:\s+thêm)?\s+(?:(?:{_COMPARATOR_WORDS})\s+)?$",
    re.IGNORECASE,
)
_AT_LEAST_AFTER = re.compile(r"^[^.;,:]{0,40}?\btrở lên\b", re.IGNORECASE)
CURRENCIES = [
    (re.compile(r"^\s*(?:đô la|đô-la|đôla|USD)(?:\s+Mỹ)?(?!\w)", re.IGNORECASE), "USD"),
    (re.compile(r"^\s*(?:yên|yen|JPY)(?!\w)", re.IGNORECASE), "JPY"),
    (re.compile(r"^\s*(?:đồng|VND|VNĐ)(?!\w)", re.IGNORECASE), "VND"),
    (re.compile(r"^\s*(?:euro|EUR)(?!\w)", re.IGNORECASE), "EUR"),
]

_NUM = r"(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?|\d+\.\d{1,2}(?!\d))"
_MULT = r"(?P<mult>(?:\s+(?:trăm|nghìn|ngàn|vạn|triệu|tỷ|tỉ)\b)+)?"
NUMBER_RE = re.compile(
    rf"(?<![\w.,/:+\-−])(?P<sign>[+\-−](?=\d))?(?P<a>{_NUM})(?:\s*(?:{_DASH}|đến|tới)\s*(?P<b>{_NUM}))?"
    rf"(?P<pct>\s*%)?{_MULT}(?![\w/:]|[.,]\d)",
    re.IGNORECASE,
)

DIGITS: dict[str, int] = {
    "không": 0,
    "một": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
}
# Words that are numbers only inside a compound (`hai mươi mốt`, `mười lăm`, `hai mươi tư`).
AFTER_TENS = {"mốt": 1, "tư": 4, "lăm": 5, "nhăm": 5}
_NUMBER_WORDS = [
    *DIGITS,
    *AFTER_TENS,
    "nhất",
    "mười",
    "mươi",
    "trăm",
    "linh",
    "lẻ",
    "nghìn",
    "ngàn",
    "vạn",
    "triệu",
    "tỷ",
    "tỉ",
]
WORDS_RE = re.compile(
    r"(?<!\w)(?P<thu>thứ\s+)?(?P<w>(?:"
    + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    + r")(?:\s+(?:"
    + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    + r"))*)(?!\w)",
    re.IGNORECASE,
)
# `năm` is also "year", `một` also "a", `tư` "private": alone, they are numbers only in these.
_ALONE_NOT_NUMBERS = {"năm", "không", "tư", "lẻ", "linh", "mốt", "lăm", "nhăm", "mươi", "nhất"}
_NOT_A_COUNT = re.compile(r"^\s*(?:số|vài|cách|lúc|khi|mình)\b", re.IGNORECASE)  # một số = some

_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_DECIMAL_COMMA = re.compile(r"\d+(?:,\d+)?")
_DECIMAL_DOT = re.compile(r"\d+\.\d{1,2}")
_MAX_DIGITS = 40  # longer digit strings are no figure a page states; never build them


def parse_number(token: str) -> Decimal:
    """A Vietnamese numeral: dots group thousands, a comma marks decimals (9,8 -> 9.8).

    `2.5` (a dot followed by one or two digits) is read as an English decimal point."""
    token = token.strip()
    if token.isascii() and token.isdigit() and len(token) <= _MAX_DIGITS:
        return Decimal(token)  # plain digits, the common case
    if len(token) > _MAX_DIGITS:
        raise InvalidOperation(f"{token[:20]}…: too long to be a figure")
    if _GROUPED.fullmatch(token):
        return Decimal(token.replace(".", "").replace(",", "."))
    if _DECIMAL_COMMA.fullmatch(token):
        return Decimal(token.replace(",", "."))
    if _DECIMAL_DOT.fullmatch(token):
        return Decimal(token)
    raise InvalidOperation(f"{token!r} is not a number")


def words_value(words: list[str]) -> Decimal | None:
    """The value of a run of number words (`hai mươi lăm` 25, `ba trăm linh năm` 305,
    `hai nghìn tỷ` 2 000 000 000 000), or None when they make no number."""
    values = list(prefix_values(words))
    if len(values) < len(words):
        return None
    return values[-1] if values else Decimal(0)


def prefix_values(words: list[str]) -> Iterator[Decimal]:
    """The value of each leading run of `words` (the first word, the first two …), stopping
    at the first word that makes no number: one pass reads every prefix."""
    total = Decimal(0)
    section = Decimal(0)  # the part below the current magnitude word
    last: int | None = None  # the last digit word, for `mươi` and `trăm` to multiply
    after_tens = False
    largest = Decimal(0)
    for word in words:
        if word in DIGITS or (word in AFTER_TENS and after_tens):
            if last is not None:
                return  # two digits in a row are two numbers: `hai năm` is two years
            d = AFTER_TENS[word] if after_tens and word in AFTER_TENS else DIGITS[word]
            section += d
            last, after_tens = d, False
        elif word == "mười":
            section += 10
            last, after_tens = None, True
        elif word == "mươi":
            if last is None:
                return
            section += last * 9  # the digit counted once already
            last, after_tens = None, True
        elif word == "trăm":
            section = section - (last or 0) + (last if last is not None else 1) * 100
            last, after_tens = None, False
        elif word in ("linh", "lẻ"):
            after_tens = False
        elif word in MULTIPLIERS:
            factor = MULTIPLIERS[word]
            if factor > largest:  # `hai nghìn tỷ`: everything so far is counted in this unit
                addend = section if (section or total) else Decimal(1)
                total, largest = (total + addend) * factor, factor
            else:
                total += (section or 1) * factor
            section, last, after_tens = Decimal(0), None, False
        else:
            return
        yield total + section


def _comparator_before(text: str, start: int) -> str:
    return comparator_before(COMPARATOR_RE, COMPARATORS, text, start)


def _change_before(text: str, start: int) -> int:
    """-1 or +1 when the words before the number state a change (`giảm`, `tăng`), else 0."""
    m = _CHANGE_RE.search(text[max(0, start - 30) : start])
    if not m:
        return 0
    return -1 if "giảm" in m["s"].lower() else 1


# The currency patterns as one, each code a named group: one match instead of four.
_CURRENCY_AFTER = re.compile(
    "|".join(f"(?P<{code}>{pattern.pattern.removeprefix('^')})" for pattern, code in CURRENCIES),
    re.IGNORECASE,
)


def _currency_after(text: str, end: int) -> str | None:
    m = _CURRENCY_AFTER.match(text, end, end + 20)
    return m.lastgroup if m else None


def _multiplier(words: str | None) -> Decimal:
    if not words:
        return Decimal(1)
    value = words_value(words.lower().split())
    return value if value else Decimal(1)


def read_numbers(
    text: str,
    words: bool = True,
    dates: list[tuple[int, int]] | None = None,
    keep: tuple[int, int] | None = None,
) -> list[NumberMention]:
    """Every number the text states outside the `dates` spans, with comparator, range, sign,
    multiplier and currency. `words=False` skips numbers written as words; with `keep`, only
    the numbers overlapping that span are read in full and returned (the others still count
    where they overlap a number in words)."""
    text = unicodedata.normalize("NFC", text)
    taken = Spans(dates or [])
    spans: list[tuple[int, int]] = []  # every number in digits, outside the dates
    found: list[NumberMention] = []
    for start, end, make in _digit_numbers(text):
        if taken.overlaps(start, end):
            continue
        spans.append((start, end))
        if keep is None or (start < keep[1] and keep[0] < end):
            found.append(make())
    if words:
        digits = Spans(spans)
        found += [
            m
            for m in _word_numbers(text)
            if not taken.overlaps(m.start, m.end)
            and not digits.overlaps(m.start, m.end)
            and (keep is None or (m.start < keep[1] and keep[0] < m.end))
        ]
    return sorted(found, key=lambda n: n.start)


Made = tuple[int, int, Callable[[], NumberMention]]


def _digit_numbers(text: str) -> Iterator[Made]:
    """Each number in digits: where it stands, and how to read the rest of it (comparator,
    sign, currency), which is done only for the numbers asked for."""
    for m in NUMBER_RE.finditer(text):
        mult = _multiplier(m["mult"])
        try:
            a = parse_number(m["a"]) * mult
            b = parse_number(m["b"]) * mult if m["b"] else None
        except InvalidOperation:
            continue
        if b is not None and b > a:
            start = m.start("a") if m["sign"] else m.start()
            yield start, m.end(), partial(_range, text, m, start, a, b)
        elif b is not None:  # `3-2` is not a range; keep both numbers as stated
            yield m.start("a"), m.end("a"), partial(_first_of_pair, text, m, a)
            yield m.start("b"), m.end("b"), partial(_second_of_pair, text, m, b)
        else:
            yield m.start(), m.end(), partial(_single, text, m, a)


def _range(text: str, m: re.Match[str], start: int, a: Decimal, b: Decimal) -> NumberMention:
    currency = _currency_after(text, m.end())
    return NumberMention(
        text[start : m.end()], start, m.end(), a, "range", a, b, bool(m["pct"]), currency=currency
    )


def _first_of_pair(text: str, m: re.Match[str], a: Decimal) -> NumberMention:
    return NumberMention(m["a"], m.start("a"), m.end("a"), a, _comparator_before(text, m.start("a")))


def _second_of_pair(text: str, m: re.Match[str], b: Decimal) -> NumberMention:
    currency = _currency_after(text, m.end())
    return NumberMention(
        m["b"], m.start("b"), m.end("b"), b, "exact", percent=bool(m["pct"]), currency=currency
    )


def _single(text: str, m: re.Match[str], a: Decimal) -> NumberMention:
    sign = -1 if m["sign"] in ("-", "−") else (1 if m["sign"] else 0)
    if not sign:
        sign = _change_before(text, m.start())
    comparator = _comparator_before(text, m.start())
    if comparator == "exact" and text[max(0, m.start() - 4) : m.start()].lower().endswith("từ "):
        if _AT_LEAST_AFTER.match(text[m.end() :]):
            comparator = "at_least"  # từ 20 doanh nghiệp trở lên
    value = -a if sign < 0 else a
    currency = _currency_after(text, m.end())
    return NumberMention(
        m.group(0), m.start(), m.end(), value, comparator, None, None, bool(m["pct"]), bool(sign), currency
    )


def _word_numbers(text: str) -> Iterator[NumberMention]:
    for m in WORDS_RE.finditer(text):
        run = [
            (w.start() + m.start("w"), w.end() + m.start("w"), w.group(0).lower())
            for w in re.finditer(r"\S+", m["w"])
        ]
        found = _longest_number(run, bool(m["thu"]))
        if found is None:
            continue
        end, value = found
        start = m.start() if m["thu"] else run[0][0]
        stop = run[end - 1][1]
        if not m["thu"] and end == 1 and run[0][2] == "một" and _NOT_A_COUNT.match(text[stop:]):
            continue  # một số = some, một cách = in a way
        sign = _change_before(text, start)
        yield NumberMention(
            text[start:stop],
            start,
            stop,
            -value if sign < 0 else value,
            _comparator_before(text, start),
            signed=bool(sign),
            currency=_currency_after(text, stop),
        )


def _longest_number(run: list[tuple[int, int, str]], ordinal: bool) -> tuple[int, Decimal] | None:
    """The longest leading words of a run that make a number: `hai năm` (two years) is 2.
    Each prefix's value is read in one pass over the run (re-reading every prefix made a run
    of 16 000 words quadratic)."""
    words = [w for _, _, w in run]
    if ordinal:  # thứ nhất, thứ tư, thứ ba
        words[0] = {"nhất": "một", "tư": "bốn"}.get(words[0], words[0])
    values = list(prefix_values(words))
    for end in range(len(values), 0, -1):
        if end == 1 and not ordinal and (words[0] in _ALONE_NOT_NUMBERS or words[0] in MULTIPLIERS):
            return None
        if values[end - 1] > 0:
            return end, values[end - 1]
    return None
