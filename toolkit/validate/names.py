"""Records' names found in a page's text, folded as the quote locator folds it: by name,
English name, alias or short form, and for a person a title before part of the name
(`Thủ tướng Kishida` for Kishida Fumio)."""

from __future__ import annotations

import re
from functools import lru_cache

from toolkit.core.text import SourceText, fold_text
from toolkit.languages import Language


def _fold(text: str) -> str:
    return fold_text(text, loose=True).casefold()


@lru_cache(maxsize=1 << 14)
def _name_pattern(names: tuple[str, ...], honorifics: str, person: bool) -> re.Pattern[str]:
    """Any of the names as whole words; for a person also a part of the name after a title."""
    forms = [re.escape(_fold(n)) for n in sorted(names, key=len, reverse=True) if n.strip()]
    if person:
        parts = {p for n in names for p in _fold(n).split() if len(p) > 1}
        if parts:
            forms.append(rf"(?:{_fold(honorifics)})\.?\s+(?:{'|'.join(map(re.escape, sorted(parts)))})")
    return re.compile(rf"(?<!\w)(?:{'|'.join(forms) or '(?!)'})(?!\w)")


def names_in(text: str, names: tuple[str, ...], lang: Language, person: bool) -> bool:
    """Whether `text` names the record by any of `names` (a person also by title and part)."""
    return bool(_name_pattern(names, lang.honorifics, person).search(_fold(text)))


def previous_line(text: SourceText, line: int) -> str:
    """The nearest non-empty line before `line`."""
    for number in range(line - 1, 0, -1):
        _, here = text.line(number)
        if here.strip():
            return here
    return ""
