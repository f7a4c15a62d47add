"""Ranks a Vietnamese sentence states, each with the noun it ranks.

- Ordinals: `thứ 3`, `thứ ba`, `thứ nhất`, `thứ nhì`, `thứ tư`, `thứ mười hai`, `hạng 3`, and
  the number a rank is out of: `thứ 3/143`, `thứ 3 trên 143`.
- Rank one in other words: `số một`, `số 1`, `lớn nhất`, `hàng đầu`.
- The noun: an ordinal follows its noun (`nhà đầu tư thứ 3`: investors), back to the clause
  mark or the rank before it (`nhà đầu tư thứ 3 và thương mại thứ 4`: the 4 ranks trade), or
  is followed by `về …` (`thứ hai về lao động`: labour).
- Weekdays are not ranks: `thứ Hai`, `thứ 2, ngày 6/11`."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import lru_cache

from toolkit.languages.base import RankMention, span_after, span_before
from toolkit.languages.vi.numbers import DIGITS, prefix_values

_WORDS = sorted([*DIGITS, "nhất", "nhì", "tư", "mười", "mươi", "mốt", "lăm", "trăm", "linh", "lẻ"], key=len)[
    ::-1
]
_RUN = rf"(?:{'|'.join(_WORDS)})(?:\s+(?:{'|'.join(_WORDS)}))*"
_OUT_OF = r"(?:\s*/\s*|\s+(?:trên tổng số|trong số|trên)\s+)(?P<of>\d{1,3}(?:\.\d{3})*)"
RANK_RE = re.compile(
    rf"(?<!\w)(?:(?:thứ|hạng)\s+(?:(?P<d>\d{{1,3}})(?!\d|[.,]\d)(?:{_OUT_OF})?|(?P<w>{_RUN}))"
    rf"|số\s+(?P<one>1|một)|(?P<top>lớn nhất|hàng đầu))(?!\w)",
    re.IGNORECASE,
)
_WEEKDAY_DATE = re.compile(r"\s*,?\s*(?:ngày\s+)?\d{1,2}\s*/\s*\d{1,2}")
_ABOUT = re.compile(r"\s*(?:về|trong lĩnh vực|về lĩnh vực|trong)\s+", re.IGNORECASE)
_FIRST_WORD = {"nhất": "một", "nhì": "hai", "tư": "bốn"}


def read_ranks(text: str) -> list[RankMention]:
    """Every rank the text states, with the noun it ranks, in text order (memoised)."""
    return list(_read_ranks(unicodedata.normalize("NFC", text)))


@lru_cache(maxsize=1 << 12)
def _read_ranks(text: str) -> tuple[RankMention, ...]:
    found = [r for m in RANK_RE.finditer(text) if (r := _rank(text, m)) is not None]
    out: list[RankMention] = []
    for i, (start, end, value, of) in enumerate(found):
        nxt = found[i + 1][0] if i + 1 < len(found) else len(text)
        about = _ABOUT.match(text, end)
        if about and about.end() < nxt:
            noun = span_after(text, about.end(), nxt)
        else:
            noun = span_before(text, start, found[i - 1][1] if i else 0)
            noun = _without_and(text, noun)
        out.append(RankMention(text[start:end], start, end, value, of, *noun))
    return tuple(out)


def _rank(text: str, m: re.Match[str]) -> tuple[int, int, Decimal, Decimal | None] | None:
    if m["top"] or m["one"]:
        return m.start(), m.end(), Decimal(1), None
    if m["d"]:
        if _WEEKDAY_DATE.match(text, m.end("d")):
            return None  # thứ 2, ngày 6/11: a Monday
        of = Decimal(m["of"].replace(".", "")) if m["of"] else None
        return m.start(), m.end(), Decimal(m["d"]), of
    spans = list(re.finditer(r"\S+", m["w"]))
    if spans[0][0][0].isupper() or _WEEKDAY_DATE.match(text, m.end("w")):
        return None  # thứ Hai: a weekday
    words = [w[0].lower() for w in spans]
    words[0] = _FIRST_WORD.get(words[0], words[0])
    values = list(prefix_values(words))
    for n in range(len(values), 0, -1):
        if values[n - 1] > 0:
            return m.start(), m.start("w") + spans[n - 1].end(), values[n - 1], None
    return None


def _without_and(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """`và thương mại` after an earlier rank ranks `thương mại`."""
    start, end = span
    m = re.match(r"(?:và|cùng)\s+", text[start:end], re.IGNORECASE)
    return (start + m.end(), end) if m else span
