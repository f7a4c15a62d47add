"""Text cut into sentences and quoted spans: a record's evidence in whole sentences, and a
source's lines as paragraphs with each quote linked and each unquoted fact marked."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from toolkit.build.reader import LINES_TABLE
from toolkit.build.words import published_words
from toolkit.core.limits import MAX_QUOTE_CHARS
from toolkit.languages import Language, LanguageUnsupported, language
from toolkit.languages.mentions import reasons_to_cover
from toolkit.site.pages.rows import Row

REASONS = {"number": "a figure", "date": "a date", "name": "a titled name", "speech": "what someone said"}


@dataclass
class Segment:
    """A run of text in a sentence or paragraph; `href` when a quote covers it."""

    text: str
    quoted: bool = False
    href: str | None = None
    title: str | None = None


@dataclass
class Sentence:
    segments: list[Segment]
    unquoted: str | None = None  # why it holds facts no record quotes: "a figure, a date"


@dataclass
class Paragraph:
    line: int
    part: str
    note: str | None
    sentences: list[Sentence] = field(default_factory=list)


Span = tuple[int, int, str | None, str | None]  # start, end, link, title


def segments(text: str, offset: int, spans: list[Span]) -> list[Segment]:
    """Cut `text` (starting at `offset` in the source) where quoted spans begin and end; a
    piece inside several quotes links to the shortest and names them all."""
    end = offset + len(text)
    inside = [s for s in spans if s[0] < end and offset < s[1]]
    cuts = sorted({offset, end} | {max(offset, min(end, p)) for s in inside for p in s[:2]})
    out: list[Segment] = []
    for a, b in itertools.pairwise(cuts):
        covering = sorted((s for s in inside if s[0] <= a and b <= s[1]), key=lambda s: s[1] - s[0])
        piece = text[a - offset : b - offset]
        if not covering:
            out.append(Segment(piece))
            continue
        titles = list(dict.fromkeys(s[3] for s in covering if s[3]))
        out.append(Segment(piece, True, covering[0][2], "; ".join(titles) or None))
    return out


def pack(tag: str | None) -> Language | None:
    """The language pack of a source's tag; None for a tag none reads (a database built
    elsewhere), whose lines are then shown whole, never split by another language's rules."""
    try:
        return language(tag or "")
    except LanguageUnsupported:
        return None


def split_sentences(lang: Language | None, text: str, offset: int) -> list[tuple[int, int]]:
    if lang is None:
        return [(offset, offset + len(text.rstrip()))] if text.strip() else []
    return lang.split_sentences(text, offset)


async def evidence(db: Any, kind: str, record_id: str) -> list[Row]:
    """Each evidence item of a record, with its source and its whole sentence(s)."""
    rows = (
        await db.execute(
            "select e.seq, e.source, e.quote, e.start, e.end, e.line, s.title, s.title_en, s.publisher, "
            "s.publisher_named, s.published, s.published_note, s.url, s.language, e.verb, "
            "e.according_to, p.name as according_person, o.name as according_org "
            "from evidence e join sources s on s.id = e.source "
            "left join persons p on p.id = e.according_to left join organizations o on o.id = e.according_to "
            "where e.record_kind = ? and e.record_id = ? order by e.seq",
            [kind, record_id],
        )
    ).rows
    out = []
    for r in rows:
        item = dict(r)
        item["published_words"] = published_words(r["published"])
        lang = pack(r["language"])
        lines = (
            await db.execute(
                f"select line, start, text from [{LINES_TABLE}] where source = ? and line >= ? "
                "and start < ? order by line",
                [r["source"], r["line"], r["end"]],
            )
        ).rows
        pieces: list[list[Segment]] = []
        for line in lines:
            spans = [
                (a, b)
                for a, b in split_sentences(lang, line["text"], line["start"])
                if a < r["end"] and r["start"] < b
            ]
            if spans:
                a, b = spans[0][0], spans[-1][1]
                text = line["text"][a - line["start"] : b - line["start"]]
                pieces.append(segments(text, a, [(r["start"], r["end"], None, None)]))
        item["sentence"] = [seg for piece in pieces for seg in [*piece, Segment(" ")]][:-1]
        out.append(item)
    return out


# A page cuts at most this much of its text into sentences, reading those of the body for
# facts no record quotes; the rest of a line is shown whole. An article is a few thousand
# characters: a hostile page of 200 000 short sentences took seconds to cut, read and render.
SENTENCE_BUDGET = 100_000


class _Marking:
    """How much more of the page may be cut into sentences and read (SENTENCE_BUDGET)."""

    def __init__(self, lang: Language | None, not_people: tuple[str, ...]) -> None:
        self.lang, self.not_people, self.left = lang, not_people, SENTENCE_BUDGET

    def spend(self, text: str) -> None:
        self.left -= len(text)

    def why(self, text: str) -> str | None:
        """Why a sentence no quote touches holds facts ("a figure, a date"); a sentence longer
        than a quote may be is no sentence a record could quote, and is not read."""
        if self.lang is None or len(text) > MAX_QUOTE_CHARS:
            return None
        return ", ".join(REASONS[r] for r in reasons_to_cover(self.lang, text, self.not_people)) or None


def paragraphs(
    lang: Language | None, lines: Sequence[Any], spans: list[Span], not_people: tuple[str, ...]
) -> list[Paragraph]:
    """A source's non-blank lines as paragraphs of sentences, the spaces between them kept.
    Each line is given only the quoted spans that reach it (`lines` in order)."""
    ordered, marking = sorted(spans, key=lambda s: s[0]), _Marking(lang, not_people)
    at, active, out = 0, list[Span](), []
    for line in lines:
        start, end = line["start"], max(line["start"] + len(line["text"]), line["start"] + 1)
        while at < len(ordered) and ordered[at][0] < end:
            active.append(ordered[at])
            at += 1
        active = [s for s in active if s[1] > start]  # a quote is at most a few lines long
        if line["text"].strip():
            out.append(_paragraph(lang, line, [s for s in active if s[0] < end], marking))
    return out


def _paragraph(lang: Language | None, line: Any, spans: list[Span], marking: _Marking) -> Paragraph:
    """One line's sentences: quoted spans linked; in the body, a sentence no quote touches says
    what facts it holds (a figure, a date …)."""
    para = Paragraph(line["line"], line["part"], line["note"])
    previous, end = line["start"], line["start"] + len(line["text"])
    cut = split_sentences(lang, line["text"], line["start"]) if marking.left > 0 else []
    for s_start, s_end in [*cut, (None, None)]:
        if marking.left <= 0:  # past the budget: the rest of the line is one piece
            s_start, s_end = (previous, end) if end > previous else (None, None)
        gap_end = s_start if s_start is not None else end
        if gap_end > previous:  # the spaces between sentences, as written
            gap = line["text"][previous - line["start"] : gap_end - line["start"]]
            para.sentences.append(Sentence(segments(gap, previous, spans)))
        if s_start is None or s_end is None:
            break
        text = line["text"][s_start - line["start"] : s_end - line["start"]]
        pieces = segments(text, s_start, spans)
        quoted = any(seg.quoted for seg in pieces)
        read = para.part == "body" and not quoted and marking.left >= len(text)
        marking.spend(text)
        para.sentences.append(Sentence(pieces, marking.why(text) if read else None))
        previous = s_end
        if s_end == end and marking.left <= 0:
            break
    return para
