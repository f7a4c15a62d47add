"""The language registry: one pack per language code, like the rule registry.

A source's `language` (a BCP 47 tag: `vi`, `vi-VN`, `en-GB`) chooses the pack by its primary
subtag. A tag with no pack is refused (`LanguageUnsupported`), never read as another language:
reading an English page with Vietnamese rules turns `9.8 million` into 9.8. A pack is a
subpackage here exposing `LANGUAGE`; it is imported the first time a source asks for it, and
checked against the `Language` protocol then."""

from __future__ import annotations

import pkgutil
from importlib import import_module
from typing import Any

from toolkit.core.problems import UsageError
from toolkit.languages.base import (
    DateMention,
    Language,
    NumberMention,
    PageLayout,
    RankMention,
    pack_problems,
)

_LOADED: dict[str, Language] = {}
_BY_TAG: dict[str, Language] = {}  # tags as written (`vi`, `vi-VN`) to their packs


class LanguageUnsupported(UsageError):
    """A language tag that no pack reads."""

    def __init__(self, tag: str) -> None:
        self.tag = tag
        super().__init__(
            f"no language pack reads {tag!r}: the toolkit reads {', '.join(supported())}; "
            "add a pack under toolkit/languages/ (see ARCHITECTURE.md) or correct the tag"
        )


class InvalidLanguagePack(TypeError):
    """A pack that does not provide what the `Language` protocol asks."""


def supported() -> list[str]:
    """The codes of every pack shipped in this package, sorted."""
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if m.ispkg)


def register(pack: Any) -> Language:
    """Check `pack` against the protocol and make it the one for its code."""
    wrong = pack_problems(pack)
    if wrong:
        raise InvalidLanguagePack(f"language pack {getattr(pack, 'code', pack)!r}: " + "; ".join(wrong))
    assert isinstance(pack, Language)
    _LOADED[pack.code] = pack
    _BY_TAG.clear()  # a tag may now read with this pack
    return pack


def primary(tag: str) -> str:
    """The primary subtag of a BCP 47 tag, lower-cased: `vi-VN` → `vi`."""
    return tag.strip().split("-", 1)[0].lower()


def language(tag: str) -> Language:
    """The pack for a language tag, loaded and checked on first use."""
    found = _BY_TAG.get(tag)  # the rules ask once per quote: the tag's pack is remembered
    if found is not None:
        return found
    code = primary(tag)
    found = _LOADED.get(code)
    if found is None:
        if code not in supported():
            raise LanguageUnsupported(tag)
        found = register(import_module(f"{__name__}.{code}").LANGUAGE)
    _BY_TAG[tag] = found
    return found


__all__ = [
    "DateMention",
    "InvalidLanguagePack",
    "Language",
    "LanguageUnsupported",
    "NumberMention",
    "PageLayout",
    "RankMention",
    "language",
    "primary",
    "register",
    "supported",
]
