"""What in a sentence a record should quote: each number (digits or an ordinal), date, titled
name and verb reporting speech, as the sentence's language pack reads them. Coverage counts
these mentions one by one (a sentence that one record quotes in part still has mentions no
record holds); the site underlines sentences holding one that no record quotes."""

from __future__ import annotations

from typing import NamedTuple

from toolkit.languages.base import Language


class Mention(NamedTuple):
    """One thing a sentence states that a record should hold: its kind and where it is."""

    kind: str  # number, date, name or speech
    start: int
    end: int


def mentions(
    lang: Language, sentence: str, not_people: tuple[str, ...] = (), offset: int = 0
) -> list[Mention]:
    """Every mention in the sentence, in text order, offsets shifted by `offset`.

    `not_people` are names of places and organizations, which follow titles too (a consulate
    named after its country and city) but are not a person."""
    ordinal = tuple(w.lower() for w in lang.ordinal_words)
    found = [
        Mention("number", n.start, n.end)
        for n in lang.read_numbers(sentence)
        if any(c.isdigit() for c in n.text) or n.text.lower().startswith(ordinal)
    ]
    found += [Mention("date", d.start, d.end) for d in lang.read_dates(sentence)]
    masked = sentence
    for name in not_people:
        masked = masked.replace(name, name.lower())
    found += [Mention("name", m.start(), m.end()) for m in lang.titled_name.finditer(masked)]
    found += [
        # What was said follows the verb; `X phát biểu tại cuộc họp.` says only that.
        Mention("speech", m.start(), m.end())
        for m in lang.speech_verbs.finditer(sentence)
        if len(sentence[m.end() :].split()) >= 6
    ]
    return sorted(Mention(m.kind, m.start + offset, m.end + offset) for m in found)


def reasons_to_cover(lang: Language, sentence: str, not_people: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Why a sentence holds facts: the kinds of its mentions, in a fixed order."""
    kinds = {m.kind for m in mentions(lang, sentence, not_people)}
    return tuple(k for k in ("number", "date", "name", "speech") if k in kinds)
