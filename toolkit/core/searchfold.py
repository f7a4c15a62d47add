"""Text folded for search: lower case without diacritics, `đ` as `d` (which no Unicode
decomposition folds), so `dang xuan phong` finds Đặng Xuân Phong; and, for the full-text
indexes, only the words holding `đ`, folded (far smaller than a folded copy of every text)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from toolkit.core.text import fold_text


def _unaccent_table() -> dict[int, str | None]:
    """Each accented Latin letter to its base letter, `đ`/`Đ` to `d`/`D`, marks to nothing."""
    table: dict[int, str | None] = {ord("đ"): "d", ord("Đ"): "D"}
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        base = "".join(c for c in unicodedata.normalize("NFD", chr(code)) if not unicodedata.combining(c))
        if base and base != chr(code):
            table[code] = base
    for code in range(0x300, 0x370):
        table[code] = None
    return table


_UNACCENT = _unaccent_table()


def search_key(text: str) -> str:
    """Fold for search: lower case, no diacritics, and `đ` as `d` (which no Unicode
    decomposition does), so `Dang Xuan Phong` finds `Đặng Xuân Phong`."""
    return fold_text(text).translate(_UNACCENT).casefold()


_D_WORD = re.compile(r"\w*[đĐ]\w*")


@lru_cache(maxsize=1 << 16)
def _fold_word(word: str) -> str:
    return search_key(word)


def d_words(*texts: object) -> str:
    """The words with `đ` or `Đ`, folded (Đặng as dang): all a search index needs beside the
    original text, whose other diacritics its tokenizer folds."""
    out: dict[str, None] = {}
    for text in texts:
        if not isinstance(text, str) or ("đ" not in text and "Đ" not in text):
            continue
        # Word by word: most words have no đ, and a regex over the whole text is far slower.
        for word in text.split():
            if "đ" in word or "Đ" in word:
                for part in (word,) if word.isalnum() else _D_WORD.findall(word):
                    out[_fold_word(part)] = None
    return " ".join(out)
