"""What in a sentence a record should quote: a number (digits or an ordinal), a date, a
titled name, or a verb reporting speech, as the sentence's language pack reads them. Coverage
counts these; the site underlines sentences holding one that no record quotes."""

from __future__ import annotations

from toolkit.languages.base import Language


def reasons_to_cover(lang: Language, sentence: str, not_people: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Why a sentence holds facts: `number`, `date`, `name` or `speech`.

    `not_people` are names of places and organizations, which follow titles too
    (a consulate named after its country and city) but are not a person."""
    reasons = []
    ordinal = tuple(w.lower() for w in lang.ordinal_words)
    if any(
        any(c.isdigit() for c in n.text) or n.text.lower().startswith(ordinal)
        for n in lang.read_numbers(sentence)
    ):
        reasons.append("number")
    if lang.read_dates(sentence):
        reasons.append("date")
    masked = sentence
    for name in not_people:
        masked = masked.replace(name, name.lower())
    if lang.titled_name.search(masked):
        reasons.append("name")
    if any(len(sentence[m.end() :].split()) >= 6 for m in lang.speech_verbs.finditer(sentence)):
        reasons.append("speech")  # what was said follows; `X phát biểu tại cuộc họp.` says only that
    return tuple(reasons)
