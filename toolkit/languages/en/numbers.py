"""Read the numbers an English sentence states, the way an English reader does.

- Digits: commas group thousands and a dot marks decimals (`1,234.5`, `9.8`).
- Scale words: `9.8 million`, `1.5 billion`, `2 trillion`, `3 thousand`, `4bn`, `$5m`.
- Numbers in words: `four`, `twenty-five`, `one hundred and five`, `nearly four thousand`.
- Percentages: `26%`, `26 percent`, `26 per cent`.
- The comparator the words before the number give (`about`, `around`, `some`, `roughly` about;
  `nearly`, `almost` nearly; `more than`, `over`, `above` more than; `at least`; `up to`, `at
  most`, `no more than` at most; `less than`, `under`, `fewer than`, `below` less than) and
  ranges (`15-20`, `15 to 20`, `between 15 and 20`).
- Signed changes: `fell 4%`, `decreased by 4%`, `−4%` state −4; `rose by 4%`, `+4%` state +4.
- The currency: a symbol before (`$` USD, `€` EUR, `¥` JPY, `£` GBP) or a word or code after
  (`dollars`, `US dollars`, `USD`, `euros`, `yen`, `pounds`, `dong`)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from toolkit.languages.base import NumberMention, comparator_before

SCALES = {
    "hundred": Decimal(100),
    "thousand": Decimal(1000),
    "million": Decimal(1_000_000),
    "billion": Decimal(1_000_000_000),
    "trillion": Decimal(1_000_000_000_000),
    "k": Decimal(1000),
    "m": Decimal(1_000_000),
    "mn": Decimal(1_000_000),
    "bn": Decimal(1_000_000_000),
    "tn": Decimal(1_000_000_000_000),
}
# Longest first: `no more than` is at most, not more than; `close to` before `to`.
COMPARATORS = [
    ("no more than", "at_most"),
    ("not more than", "at_most"),
    ("no fewer than", "at_least"),
    ("more than", "more_than"),
    ("greater than", "more_than"),
    ("upwards of", "more_than"),
    ("in excess of", "more_than"),
    ("fewer than", "less_than"),
    ("less than", "less_than"),
    ("at least", "at_least"),
    ("a minimum of", "at_least"),
    ("at most", "at_most"),
    ("a maximum of", "at_most"),
    ("up to", "at_most"),
    ("close to", "nearly"),
    ("approximately", "about"),
    ("an estimated", "about"),
    ("estimated", "about"),
    ("roughly", "about"),
    ("around", "about"),
    ("about", "about"),
    ("some", "about"),
    ("nearly", "nearly"),
    ("almost", "nearly"),
    ("over", "more_than"),
    ("above", "more_than"),
    ("exceeding", "more_than"),
    ("under", "less_than"),
    ("below", "less_than"),
]
_COMPARATOR_WORDS = "|".join(re.escape(c) for c, _ in COMPARATORS)
# What may stand between a comparator and its number: `about US$ 9.8`, `more than a total of`.
_FILLER = r"(?:(?:a\s+total\s+of|a|the|US|[$€¥£])\s*)*"
COMPARATOR_RE = re.compile(rf"(?<!\w)(?P<c>{_COMPARATOR_WORDS})\s+{_FILLER}$", re.IGNORECASE)
_CHANGE_RE = re.compile(
    r"(?<!\w)(?P<s>rose|rise|rises|risen|rising|increased|increase|increases|grew|grow|grown|growth of|"
    r"up|gained|climbed|jumped|fell|fall|falls|fallen|decreased|decrease|decreases|declined|decline of|"
    r"dropped|drop of|down|shrank|slipped|lost)"
    rf"(?:\s+(?:by|of))?\s+(?:(?:{_COMPARATOR_WORDS})\s+)?(?:[$€¥£]\s*)?$",
    re.IGNORECASE,
)
_FALLING = re.compile(r"fell|fall|decreas|declin|drop|down|shr|slip|lost", re.IGNORECASE)
CURRENCIES = [
    (re.compile(r"^\s*(?:US\s*dollars?|dollars?|USD|US\$)(?!\w)", re.IGNORECASE), "USD"),
    (re.compile(r"^\s*(?:euros?|EUR)(?!\w)", re.IGNORECASE), "EUR"),
    (re.compile(r"^\s*(?:Japanese\s+)?(?:yen|JPY)(?!\w)", re.IGNORECASE), "JPY"),
    (re.compile(r"^\s*(?:pounds?(?:\s+sterling)?|GBP)(?!\w)", re.IGNORECASE), "GBP"),
    (re.compile(r"^\s*(?:Vietnamese\s+)?(?:dong|VND)(?!\w)", re.IGNORECASE), "VND"),
]
_SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "¥": "JPY", "£": "GBP"}
_CURRENCY_AFTER = re.compile(
    "|".join(f"(?P<{code}>{pattern.pattern.removeprefix('^')})" for pattern, code in CURRENCIES),
    re.IGNORECASE,
)

_NUM = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_SCALE = r"(?:\s*(?P<{g}>hundred|thousand|million|billion|trillion|bn|mn|tn|[km])\b)?"
_SYM = r"(?:(?P<{g}>US\$|[$€¥£])\s?)?"
NUMBER_RE = re.compile(
    r"(?<![\w.,])(?P<sign>[+\-−](?=[$€¥£\d]))?"
    + _SYM.replace("{g}", "sym")
    + rf"(?P<a>{_NUM})"
    + _SCALE.replace("{g}", "sa")
    + r"(?:\s*(?P<sep>[-–—]|to|and)\s*"
    + _SYM.replace("{g}", "sym2")
    + rf"(?P<b>{_NUM})"
    + _SCALE.replace("{g}", "sb")
    + r")?"
    + r"(?P<pct>\s*(?:%|percent\b|per\s+cent\b))?"
    + r"(?![\w,]\d)",
    re.IGNORECASE,
)

UNITS = {
    **{w: i for i, w in enumerate("zero one two three four five six seven eight nine".split())},
    **{w: 10 + i for i, w in enumerate("ten eleven twelve thirteen fourteen fifteen sixteen".split())},
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
_WORD = "|".join(
    sorted([*UNITS, *TENS, "hundred", "thousand", "million", "billion", "and", "a"], key=len, reverse=True)
)
WORDS_RE = re.compile(rf"(?<![\w-])(?:(?:{_WORD})(?:[\s-]+|(?![\w-])))+", re.IGNORECASE)


def parse_number(token: str) -> Decimal:
    """`1,234.5` → 1234.5 (commas group thousands, a dot marks decimals)."""
    return Decimal(token.replace(",", ""))


def words_value(words: list[str]) -> Decimal | None:
    """`twenty five`, `one hundred and five`, `four thousand` → their value; None if not a number."""
    total, section, seen = Decimal(0), Decimal(0), False
    for word in words:
        if word in ("and", "a"):
            if not seen and word == "and":
                return None
            section = section or (Decimal(1) if word == "a" else section)
            continue
        if word in UNITS:
            section += UNITS[word]
        elif word in TENS:
            section += TENS[word]
        elif word == "hundred":
            section = (section or Decimal(1)) * 100
        elif word in SCALES:
            total += (section or Decimal(1)) * SCALES[word]
            section = Decimal(0)
        else:
            return None
        seen = True
    return total + section if seen else None


def _comparator_before(text: str, start: int) -> str:
    return comparator_before(COMPARATOR_RE, COMPARATORS, text, start)


def _change_before(text: str, start: int) -> int:
    m = _CHANGE_RE.search(text[max(0, start - 30) : start])
    if not m:
        return 0
    return -1 if _FALLING.match(m["s"]) else 1


def _currency(text: str, m: re.Match[str] | None, end: int) -> str | None:
    symbol = (m["sym"] or m["sym2"]) if m is not None else None
    if symbol:
        return _SYMBOLS[symbol.upper() if symbol.upper() == "US$" else symbol]
    after = _CURRENCY_AFTER.match(text, end, end + 24)
    return after.lastgroup if after else None


def _scaled(token: str, scale: str | None) -> Decimal:
    value = parse_number(token)
    return value * SCALES[scale.lower()] if scale else value


def read_numbers(
    text: str,
    words: bool = True,
    dates: list[tuple[int, int]] | None = None,
    keep: tuple[int, int] | None = None,
) -> list[NumberMention]:
    """Every number the text states outside the `dates` spans, with comparator, range, sign,
    scale and currency; with `keep`, only those overlapping that span."""
    text = unicodedata.normalize("NFC", text)
    taken = list(dates or [])
    found = [n for n in _digit_numbers(text) if not _overlaps(n, taken)]
    if words:
        taken += [(n.start, n.end) for n in found]
        found += [n for n in _word_numbers(text) if not _overlaps(n, taken)]
    if keep is not None:
        found = [n for n in found if n.start < keep[1] and keep[0] < n.end]
    return sorted(found, key=lambda n: n.start)


def _overlaps(m: NumberMention, spans: list[tuple[int, int]]) -> bool:
    return any(m.start < e and s < m.end for s, e in spans)


def _digit_numbers(text: str) -> Iterator[NumberMention]:
    for m in NUMBER_RE.finditer(text):
        try:
            a = _scaled(m["a"], m["sa"] or m["sb"])
            b = _scaled(m["b"], m["sb"]) if m["b"] else None
        except InvalidOperation:
            continue
        start = m.start("sym") if m["sym"] else m.start("a")
        percent, currency = bool(m["pct"]), _currency(text, m, m.end())
        # `15 and 20 firms` are two numbers; `between 15 and 20` is a range.
        paired = m["sep"] != "and" or text[max(0, start - 8) : start].lower() == "between "
        if b is not None and b > a and paired:
            yield NumberMention(
                text[start : m.end()], start, m.end(), a, "range", a, b, percent, currency=currency
            )
            continue
        if b is not None:  # `3-2` is no range: the numbers as stated
            yield NumberMention(m["a"], m.start("a"), m.end("a"), a, _comparator_before(text, start))
            yield NumberMention(
                m["b"], m.start("b"), m.end("b"), b, "exact", percent=percent, currency=currency
            )
            continue
        sign = -1 if m["sign"] in ("-", "−") else (1 if m["sign"] else _change_before(text, start))
        yield NumberMention(
            text[m.start() : m.end()].strip(),
            m.start(),
            m.end(),
            -a if sign < 0 else a,
            _comparator_before(text, m.start()),
            percent=percent,
            signed=bool(sign),
            currency=currency,
        )


def _word_numbers(text: str) -> Iterator[NumberMention]:
    for m in WORDS_RE.finditer(text):
        chunk = m.group(0).rstrip(" -")
        parts = [w.lower() for w in re.split(r"[\s-]+", chunk) if w]
        while parts and parts[-1] in ("and", "a"):
            parts.pop()
        value = words_value(parts) if parts and parts[0] not in ("and",) else None
        if value is None or value == 0 or parts == ["a"]:
            continue
        if parts[0] == "a" and len(parts) == 1:
            continue
        stop = m.start() + len(chunk) - (len(chunk) - len(chunk.rstrip()))
        sign = _change_before(text, m.start())
        pct = re.match(r"\s*(?:%|percent\b|per\s+cent\b)", text[stop:], re.IGNORECASE)
        yield NumberMention(
            text[m.start() : stop],
            m.start(),
            stop,
            -value if sign < 0 else value,
            _comparator_before(text, m.start()),
            percent=bool(pct),
            signed=bool(sign),
            currency=_currency(text, None, stop),
        )
