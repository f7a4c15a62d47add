"""Which people, organizations and places a quote names: every name, English name and alias,
folded as the validator folds names (NFC, white space as one space), found as whole words. Where
names overlap the longest wins, read left to right: `Đại sứ quán Nhật Bản` names the embassy,
not also Japan, and `Tỉnh ủy Lào Cai` the party committee, not also the province."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from toolkit.core.text import fold_text

# A word, or one mark of punctuation: names match token by token, so `An` never matches
# inside `Anh` and `TP.HCM` still matches as written.
_TOKEN = re.compile(r"\w+|[^\w\s]")
_WORD = re.compile(r"\w")
_END = ""  # the trie key under which a name's entities are kept (no token is empty)

Entity = tuple[str, str]  # (kind, id)


@dataclass(frozen=True)
class Mention:
    """One name found in a text: whose it is and how the text writes it."""

    kind: str
    id: str
    written: str


class NameFinder:
    """Every entity's names in a trie of tokens, so a text is read once whatever the number
    of names (a regular expression of thousands of alternatives is read once per name)."""

    def __init__(self, names: Iterable[tuple[str, str, str]]) -> None:
        """`names`: (name, kind, id) for every spelling of every entity."""
        self._trie: dict[str, Any] = {}
        for name, kind, entity_id in names:
            tokens = _TOKEN.findall(fold_text(name))
            if not tokens:
                continue
            node = self._trie
            for token in tokens:
                node = node.setdefault(token, {})
            node.setdefault(_END, set()).add((kind, entity_id))
        self._starts = _starts_pattern(self._trie)

    def find(self, text: str) -> Iterator[Mention]:
        """The entities `text` names, left to right, the longest name at each place."""
        folded = fold_text(text)
        # Only where a name's first token stands is the text read token by token: finding
        # those places is one C call (splitting every text into tokens cost three times more).
        resume = 0
        for start in self._starts.finditer(folded):
            at = start.start()
            if at < resume or (at and _WORD.match(folded, at - 1) and _WORD.match(folded, at)):
                continue  # inside a name found already, or inside a longer word
            first: dict[str, Any] = self._trie[start.group()]
            found, end = first.get(_END), start.end()
            node = first
            if len(first) > (_END in first):  # longer names start with this token: read on
                for token in _TOKEN.finditer(folded, end):
                    if (child := node.get(token.group())) is None:
                        break
                    node = child
                    if _END in node:
                        found, end = node[_END], token.end()
            if found is None:
                continue
            for kind, entity_id in sorted(found):
                yield Mention(kind, entity_id, folded[at:end])
            resume = end


def _starts_pattern(trie: dict[str, Any]) -> re.Pattern[str]:
    """Any first token of a name, as a whole token: its words factored by common prefixes
    (so thousands of names cost the regular expression engine little), then punctuation."""
    words: dict[str, Any] = {}
    marks = []
    for token in trie:
        if _WORD.match(token):
            node = words
            for char in token:
                node = node.setdefault(char, {})
            node[_END] = True
        else:
            marks.append(re.escape(token))
    parts = [f"{_alternatives(words)}(?!\\w)"] if words else []
    parts.extend(sorted(marks))
    return re.compile("|".join(parts) or "(?!)")


def _alternatives(node: dict[str, Any]) -> str:
    """A regular expression of the words in a trie of characters, longest first at each step."""
    branches = [re.escape(char) + _alternatives(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    return f"(?:{body})?" if _END in node else body
