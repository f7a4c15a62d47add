"""Which people, organizations and places a quote names: every name, English name and alias,
folded as the validator folds names (NFC, white space as one space), found as whole words. Where
names overlap the longest wins, read left to right: `Đại sứ quán Nhật Bản` names the embassy,
not also Japan, and `Tỉnh ủy Lào Cai` the party committee, not also the province."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from toolkit.core.text import fold_text

# A word, or one mark of punctuation: names match token by token, so `An` never matches
# inside `Anh` and `TP.HCM` still matches as written.
_TOKEN = re.compile(r"\w+|[^\w\s]")
_TOKEN_SPLIT = re.compile(rf"({_TOKEN.pattern})")
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

    def find(self, text: str) -> Iterator[Mention]:
        """The entities `text` names, left to right, the longest name at each place."""
        folded = fold_text(text)
        # One C call splits the text into [space, token, space, token, ..., space]; the
        # offsets are summed (in C too) only once a name is found, since most texts name few.
        parts = _TOKEN_SPLIT.split(folded)
        tokens = parts[1::2]
        ends: list[int] | None = None
        trie, i, count = self._trie, 0, len(tokens)
        while i < count:
            node: dict[str, Any] | None = trie.get(tokens[i])
            if node is None:
                i += 1
                continue
            found, end, j = node.get(_END), i, i + 1
            while j < count and (node := node.get(tokens[j])) is not None:
                if _END in node:
                    found, end = node[_END], j
                j += 1
            if found is None:
                i += 1
                continue
            if ends is None:
                ends = list(accumulate(map(len, parts)))
            # token k is parts[2k + 1]: it starts where parts[2k] ends
            written = folded[ends[2 * i] : ends[2 * end + 1]]
            for kind, entity_id in sorted(found):
                yield Mention(kind, entity_id, written)
            i = end + 1
