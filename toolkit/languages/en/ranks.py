"""Ranks an English sentence states, each with the noun it ranks.

- Ordinals: `3rd`, `third`, `twenty-first`, `No. 3`, `number one`, `third-largest`, and the
  number a rank is out of: `3rd of 143`, `3rd out of 143`.
- Rank one in other words: `largest`, `biggest` (`Japan's largest investor`).
- The noun follows the rank (`third-largest investor`), after `among`, `in` or `for` where
  the rank stands alone (`ranked third among investors`); else the words before it."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import lru_cache

from toolkit.languages.base import RankMention, span_after, span_before

_UNITS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_TEENS = ["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth"]
_TEENS += ["seventeenth", "eighteenth", "nineteenth"]
ORDINALS = {w: i + 1 for i, w in enumerate(_UNITS)} | {w: i + 10 for i, w in enumerate(_TEENS)}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
ORDINALS |= {f"{t[:-1]}ieth": v for t, v in _TENS.items()}
_WORD = "|".join(sorted(ORDINALS, key=len, reverse=True))
_OUT_OF = r"(?:\s+(?:out\s+)?of\s+(?P<of>\d{1,3}(?:,\d{3})*)(?!\d))?"
RANK_RE = re.compile(
    rf"(?<![\w,.-])(?:(?P<d>\d{{1,3}})(?:st|nd|rd|th)|(?:(?P<tens>{'|'.join(_TENS)})-)?(?P<w>{_WORD})"
    rf"|(?:No\.|number)\s*(?P<no>\d{{1,3}}|one)|(?P<top>largest|biggest))"
    rf"(?:[-\s](?:largest|biggest))?{_OUT_OF}(?![\w-])",
    re.IGNORECASE,
)
_AND = re.compile(r"\s+(?:and|or)$", re.IGNORECASE)
_AMONG = re.compile(r"\s+(?:among|in|for|as)\s+", re.IGNORECASE)


def read_ranks(text: str) -> list[RankMention]:
    """Every rank the text states, with the noun it ranks, in text order (memoised)."""
    return list(_read_ranks(unicodedata.normalize("NFC", text)))


@lru_cache(maxsize=1 << 12)
def _read_ranks(text: str) -> tuple[RankMention, ...]:
    found = [(m.start(), m.end(), _value(m), m) for m in RANK_RE.finditer(text)]
    out: list[RankMention] = []
    for i, (start, end, value, m) in enumerate(found):
        nxt = found[i + 1][0] if i + 1 < len(found) else len(text)
        among = _AMONG.match(text, end)
        noun = span_after(text, among.end() if among else end, nxt)
        if noun[0] == noun[1]:
            noun = span_before(text, start, found[i - 1][1] if i else 0)
        elif tail := _AND.search(text, noun[0], noun[1]):
            noun = (noun[0], tail.start())  # `third-largest investor and fourth …`
        of = Decimal(m["of"].replace(",", "")) if m["of"] else None
        out.append(RankMention(text[start:end], start, end, value, of, *noun))
    return tuple(out)


def _value(m: re.Match[str]) -> Decimal:
    if m["d"]:
        return Decimal(m["d"])
    if m["w"]:
        return Decimal(ORDINALS[m["w"].lower()] + (_TENS[m["tens"].lower()] if m["tens"] else 0))
    if m["no"]:
        return Decimal(1) if m["no"].lower() == "one" else Decimal(m["no"])
    return Decimal(1)
