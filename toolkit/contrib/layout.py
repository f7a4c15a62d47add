"""Reading a news page's layout: which line is the headline, which states the publication
date and time, where the article body runs and which lines inside it are not the article
(photo file names, alt text, repeated captions, related-news blocks). `toolkit add-source`
proposes what this finds; nothing is applied without a yes.

Built for the layouts news sites use: a header that may carry today's date, menus and
breadcrumbs, section labels above the headline, a date line in one of several forms, a sapo
(lead), paragraphs with photo captions, related news inside and after the body, and a byline
and section lists at the end. The words of those parts (menus, "related", bylines, how a date
line is written) are the page's language pack's (`Language.layout`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from toolkit.languages import Language, PageLayout

TIME_RE = re.compile(r"(?<![\d:])(?P<hh>[01]?\d|2[0-3])\s*(?::|h)\s*(?P<mm>[0-5]\d)(?![\d:])")
ZONE_RE = re.compile(
    r"\(?\s*(?:GMT|UTC)(?:\s*(?P<sign>[+-])\s*(?P<zh>\d{1,2}))?(?![\w+-])\s*\)?", re.IGNORECASE
)
BREADCRUMB_RE = re.compile(r"\s(\||>|»|/|›)\s")
IMAGE_FILE_RE = re.compile(r"^\S+\.(jpe?g|png|gif|webp|avif)$", re.IGNORECASE)
_MONTH_NAMES = {
    name: i for i, name in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)
}
PARAGRAPH = 80  # a line this long is prose; headlines, menus and captions are shorter


@dataclass(frozen=True)
class DateLine:
    """A line that states a date (and perhaps a time and zone): a candidate publication stamp."""

    line: int
    published: str  # 2023-09-23T16:01:00+07:00, or 2023-09-23 when no time or no zone is printed
    quote: str  # the page's words, from the first part of the stamp to the last
    has_time: bool
    on_menu: bool
    unzoned: str = ""  # a time printed with no zone (`16:01`): never given one, the contributor is asked


@dataclass(frozen=True)
class SourceProposal:
    """What the text itself suggests for a source record; never applied without a yes."""

    title: str | None
    published: str | None
    published_quote: str | None
    body_start: int | None
    body_end: int | None
    exclude: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, reason)
    title_line: int | None = None
    captions: list[tuple[int, int]] = field(default_factory=list)  # photo captions in the body
    unzoned: str = ""  # the stamp's time, printed with no zone, left out of `published`


def _date_parts(m: re.Match[str]) -> tuple[int, int, int] | None:
    """Day, month and year of a date line's match, whichever of the pack's forms matched (a
    month may be a number or a name)."""
    found = {k.rstrip("0123456789"): v for k, v in m.groupdict().items() if v}
    month = found.get("m", "")
    number = int(month) if month.isdigit() else _MONTH_NAMES.get(month.lower()[:3])
    try:
        day, year = int(found["d"]), int(found["y"])
    except (KeyError, ValueError):
        return None
    if number is None or not (1 <= number <= 12 and 1 <= day <= 31):
        return None
    return day, number, year


def date_line(number: int, line: str, lang: Language) -> DateLine | None:
    """The stamp a short line states, if any: `16:01, 23/09/2023 (GMT+7)`,
    `Thứ Bảy, 23/9/2023 - 16:01`, `Published 12 March 2024, 10:30 GMT`. A time printed
    without a zone is not given one (which zone a site's clock keeps is not on the page): the
    stamp is the date, and the time is kept for the contributor to complete."""
    text = line.strip()
    if len(text) > 120:
        return None
    date = lang.layout.date.search(text)
    parts = _date_parts(date) if date is not None else None
    if date is None or parts is None:
        return None
    day, month, year = parts
    time = TIME_RE.search(text)
    zone = ZONE_RE.search(text)
    found = [m for m in (date, time, zone) if m is not None]
    quote = text[min(m.start() for m in found) : max(m.end() for m in found)].strip()
    stamp = f"{year:04d}-{month:02d}-{day:02d}"
    unzoned = ""
    if time is not None and zone is not None:
        offset = f"{zone['sign']}{int(zone['zh']):02d}:00" if zone["sign"] else "+00:00"  # bare GMT, UTC
        stamp += f"T{int(time['hh']):02d}:{time['mm']}:00{offset}"
    elif time is not None:
        unzoned = f"{int(time['hh']):02d}:{time['mm']}"
    return DateLine(number, stamp, quote, time is not None, bool(lang.layout.menu.search(text)), unzoned)


def _is_menu(text: str, layout: PageLayout) -> bool:
    return bool(layout.menu.search(text) or (len(BREADCRUMB_RE.findall(text)) >= 1 and len(text) < 120))


def _headline_like(text: str, layout: PageLayout) -> bool:
    """Could this line be the headline? Not a menu, clock, section label, kicker or byline."""
    words = text.split()
    return (
        5 <= len(words)
        and len(text) <= 200
        and not text.endswith(":")
        and not _is_menu(text, layout)
        and layout.date.search(text) is None
        and not (text.isupper() and len(words) <= 6)
        and not layout.byline.match(text)
        and not layout.caption.search(text)
    )


def _repeated(line: str) -> bool:
    """`Headline Headline`: a related-news link printed with its own title attribute."""
    s = line.strip()
    half = (len(s) - 1) // 2
    return len(s) > 20 and s[:half] == s[len(s) - half :] and s[half] == " "


_CLOSING = ".!?:;…)\"'”»"


def _paragraph(text: str, layout: PageLayout) -> bool:
    """Prose: a long line that ends a sentence (or a very long one); not a menu or link."""
    if _repeated(text) or _is_menu(text, layout) or IMAGE_FILE_RE.match(text) or _DATED_LINK.search(text):
        return False
    return len(text) >= 2 * PARAGRAPH or (len(text) >= PARAGRAPH and text[-1] in _CLOSING)


# A related link printed with its date: `… Tỉnh ủy Bến Tre (28/05/2023)`.
_DATED_LINK = re.compile(r"\(\d{1,2}/\d{1,2}/\d{4}\)$")
# Words each start with a capital and stand apart (one way to split a line, so no backtracking
# on a long line of capitals).
_SIGNATURE = re.compile(r"^[A-ZĐ][\w.]*(?:\s[A-ZĐ][\w.]*){0,4}(?:\s?\([^)]{1,30}\))?$")


def _ends_article(line: str, layout: PageLayout) -> bool:
    """Furniture after the article: related news and section lists, a list of links, or the
    author's signature (`Trung Duy (tổng hợp)`, `Minh Anh`)."""
    return bool(
        (layout.furniture.match(line) and not layout.related.match(line))
        or (line.startswith("- ") and _link_like(line[2:]))
        or _DATED_LINK.search(line)
        or (_SIGNATURE.match(line) and not any(c.isdigit() for c in line))
    )


def propose_source(text: str, lang: Language) -> SourceProposal:
    """Read a page's text for its headline, publication stamp, body bounds, exclusions and
    photo captions, with the words of the page's language."""
    layout = lang.layout
    lines = [line.strip() for line in text.split("\n")]
    stamps = [d for i, line in enumerate(lines[:40], 1) if (d := date_line(i, line, lang)) is not None]
    first_prose = next((i for i, line in enumerate(lines, 1) if _paragraph(line, layout)), None)
    limit = first_prose or min(len(lines), 15) + 1
    title_line = None
    for i in range(limit - 1, 0, -1):  # the headline is the last headline-like line above the prose
        if _headline_like(lines[i - 1], layout) and (stamps == [] or all(s.line != i for s in stamps)):
            title_line = i
            break
    body_start = next(
        (i for i, line in enumerate(lines, 1) if _paragraph(line, layout) and i > (title_line or 0)), None
    )
    body_end = _body_end(lines, body_start, layout)
    stamp = _choose_stamp(stamps, title_line, body_end)
    title = lines[title_line - 1] if title_line else None
    exclude = _exclusions(lines, (body_start, body_end), title, stamp, layout)
    return SourceProposal(
        title,
        stamp.published if stamp else None,
        stamp.quote if stamp else None,
        body_start,
        body_end,
        exclude,
        title_line,
        _captions(lines, body_start, body_end, exclude, layout),
        stamp.unzoned if stamp else "",
    )


def _captions(
    lines: list[str],
    start: int | None,
    end: int | None,
    exclude: list[tuple[int, int, str]],
    layout: PageLayout,
) -> list[tuple[int, int]]:
    """Photo captions in the body: the line after a photo file name, and a line ending in the
    photo credit (`Ảnh: …`, `Photo: …`), unless excluded already."""
    if start is None or end is None:
        return []
    excluded = {n for a, b, _ in exclude for n in range(a, b + 1)}
    found = [
        i
        for i in range(start, end + 1)
        if i not in excluded
        and lines[i - 1]
        and (layout.caption.search(lines[i - 1]) or (i > 1 and IMAGE_FILE_RE.match(lines[i - 2])))
    ]
    return [(i, i) for i in found]


def _body_end(lines: list[str], start: int | None, layout: PageLayout) -> int | None:
    """The last prose line before the furniture that ends the article."""
    if start is None:
        return None
    stop = next((i for i, line in enumerate(lines, 1) if i > start and _ends_article(line, layout)), None)
    if stop is None:  # related blocks with no other furniture after them still end the page
        stop = len(lines) + 1
    inside = [i for i in range(start, stop) if _paragraph(lines[i - 1], layout)]
    end = inside[-1] if inside else start
    # A short closing paragraph right after the prose (`Hai bên trao quà lưu niệm.`) is the
    # article's too; a byline, a caption or a link does not end a sentence.
    for i in range(end + 1, stop):
        text = lines[i - 1].strip()
        if not text:
            continue
        if not _short_paragraph(text, layout):
            break
        end = i
    return end


def _short_paragraph(text: str, layout: PageLayout) -> bool:
    """A sentence of at least four words shorter than a paragraph, not furniture."""
    return (
        len(text.split()) >= 4
        and text[-1] in ".!?…"
        and not (
            _repeated(text) or _is_menu(text, layout) or IMAGE_FILE_RE.match(text) or _DATED_LINK.search(text)
        )
    )


def _choose_stamp(stamps: list[DateLine], title_line: int | None, body_end: int | None) -> DateLine | None:
    """The article's stamp: never the site's clock on a header or menu line; one with a time
    first; then the one nearest the headline."""
    usable = [s for s in stamps if not s.on_menu and (body_end is None or s.line <= body_end)]
    if not usable:
        return None
    anchor = title_line or 0
    return min(usable, key=lambda s: (not s.has_time, abs(s.line - anchor)))


def _exclusions(
    lines: list[str],
    body: tuple[int | None, int | None],
    title: str | None,
    stamp: DateLine | None,
    layout: PageLayout,
) -> list[tuple[int, int, str]]:
    """Lines inside the body that are not the article: image files, alt text and captions
    printed twice, the stamp, related-news blocks."""
    start, end = body
    if start is None or end is None:
        return []
    out: list[tuple[int, int, str]] = []
    previous = ""
    i = start
    while i <= end:
        line = lines[i - 1]
        related = _related_block(lines, i, end, layout)
        if related:
            out.append((i, related, "related headlines inside the body"))
            i = related + 1
            continue
        if IMAGE_FILE_RE.match(line):
            out.append((i, i, "photo file name"))
        elif title and line == title:
            out.append((i, i, "photo alt text repeating the headline"))
        elif line and line == previous:
            out.append((i, i, "the line above, repeated (alt text or caption)"))
        elif stamp is not None and stamp.line == i:
            out.append((i, i, "publication date line"))
        if line:
            previous = line
        i += 1
    return _merge(out)


def _link_like(line: str) -> bool:
    """A headline printed as a link: a short line of words without closing punctuation."""
    return bool(line) and len(line) < 2 * PARAGRAPH and len(line.split()) >= 5 and line[-1] not in _CLOSING


def _related_block(lines: list[str], i: int, end: int, layout: PageLayout) -> int | None:
    """The last line of a related-news block starting at line i, if one does: a "Tin liên
    quan" heading and its links, headlines printed twice, or two or more link-like lines."""
    line = lines[i - 1]
    j = i
    if layout.related.match(line):
        while j < end and lines[j] and not _paragraph(lines[j], layout):
            j += 1
        return j
    if _repeated(line):
        while j < end and _repeated(lines[j]):
            j += 1
        return j
    if _link_like(line) and j < end and _link_like(lines[j]):
        while j < end and _link_like(lines[j]):
            j += 1
        return j
    return None


def _merge(ranges: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    merged: list[tuple[int, int, str]] = []
    for start, end, reason in ranges:
        if merged and merged[-1][2] == reason and merged[-1][1] + 1 == start:
            merged[-1] = (merged[-1][0], end, reason)
        else:
            merged.append((start, end, reason))
    return merged
