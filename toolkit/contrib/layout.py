"""Reading a news page's layout: which line is the headline, which states the publication
date and time, where the article body runs and which lines inside it are not the article
(photo file names, alt text, repeated captions, related-news blocks). `toolkit add-source`
proposes what this finds; nothing is applied without a yes.

Built for the layouts Vietnamese news sites use: a header that may carry today's date, menus
and breadcrumbs, section labels above the headline, a date line in one of several forms, a
sapo (lead), paragraphs with photo captions, related news inside and after the body, and a
byline and "cùng chuyên mục" lists at the end."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_DATE = (
    r"(?:(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>(?:19|20)\d{2})"
    r"|ngày\s+(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>(?:19|20)\d{2}))"
)
DATE_RE = re.compile(rf"(?<!\d){_DATE}(?!\d)", re.IGNORECASE)
TIME_RE = re.compile(r"(?<![\d:])(?P<hh>[01]?\d|2[0-3])\s*(?::|h)\s*(?P<mm>[0-5]\d)(?![\d:])")
ZONE_RE = re.compile(r"\(?\s*GMT\s*(?P<sign>[+-])\s*(?P<zh>\d{1,2})\s*\)?", re.IGNORECASE)
# Words of a site's header, menus and account links: a line with one is never the headline,
# and a date on it is the site's clock, not the article's.
MENU_RE = re.compile(
    r"(Trang chủ|Đăng nhập|Đăng ký|Liên hệ|Hotline|Thời tiết|Tiện ích|Podcast|E-paper|RSS|"
    r"Theo dõi|Tìm kiếm|Quảng cáo|Tòa soạn|English|Multimedia)",
    re.IGNORECASE,
)
BREADCRUMB_RE = re.compile(r"\s(\||>|»|/|›)\s")
# Lines that end the article: related news, lists of the same section, sources, sidebars.
FURNITURE_RE = re.compile(
    r"^(Tin bài liên quan|Các tin bài khác|Có thể bạn quan tâm|Tin cùng chuyên mục|Cùng chuyên mục|"
    r"Tin liên quan|Bài liên quan|Tin khác|Đọc nhiều|Xem nhiều|Xem thêm|Đọc thêm|Tin mới|Tin nổi bật|"
    r"Bình luận|Ý kiến bạn đọc|Chia sẻ|Từ khóa|Tags?:|Nguồn:)",
    re.IGNORECASE,
)
# A block of related links inside the body starts with one of these and runs to a blank line.
RELATED_RE = re.compile(r"^(Tin liên quan|Bài liên quan|Xem thêm|Đọc thêm|>>|Xem tiếp)\s*:?", re.IGNORECASE)
IMAGE_FILE_RE = re.compile(r"^\S+\.(jpe?g|png|gif|webp|avif)$", re.IGNORECASE)
BYLINE_RE = re.compile(
    r"^(Bài|Ảnh|Bài và ảnh|Bài, ảnh|Theo|PV|Phóng viên|Nhóm PV|Tác giả|Nguồn)\b[^.!?]{0,60}$",
)
PARAGRAPH = 80  # a line this long is prose; headlines, menus and captions are shorter


@dataclass(frozen=True)
class DateLine:
    """A line that states a date (and perhaps a time and zone): a candidate publication stamp."""

    line: int
    published: str  # 2023-09-23T16:01:00+07:00, or 2023-09-23 when no time is given
    quote: str  # the page's words, from the first part of the stamp to the last
    has_time: bool
    on_menu: bool


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


def date_line(number: int, line: str) -> DateLine | None:
    """The stamp a short line states, if any: `16:01, 23/09/2023 (GMT+7)`,
    `Thứ Bảy, 23/9/2023 - 16:01`, `Đăng ngày: 19-06-2023, 09:55`, `ngày 23 tháng 9 năm 2023`."""
    text = line.strip()
    if len(text) > 120:
        return None
    date = DATE_RE.search(text)
    if date is None:
        return None
    day, month, year = (int(date[k] or date[f"{k}2"]) for k in ("d", "m", "y"))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    time = TIME_RE.search(text)
    zone = ZONE_RE.search(text)
    parts = [m for m in (date, time, zone) if m is not None]
    quote = text[min(m.start() for m in parts) : max(m.end() for m in parts)].strip()
    stamp = f"{year:04d}-{month:02d}-{day:02d}"
    if time is not None:
        offset = f"{zone['sign']}{int(zone['zh']):02d}:00" if zone else "+07:00"
        stamp += f"T{int(time['hh']):02d}:{time['mm']}:00{offset}"
    return DateLine(number, stamp, quote, time is not None, bool(MENU_RE.search(text)))


def _is_menu(text: str) -> bool:
    return bool(MENU_RE.search(text) or (len(BREADCRUMB_RE.findall(text)) >= 1 and len(text) < 120))


def _headline_like(text: str) -> bool:
    """Could this line be the headline? Not a menu, clock, section label, kicker or byline."""
    words = text.split()
    return (
        5 <= len(words)
        and len(text) <= 200
        and not text.endswith(":")
        and not _is_menu(text)
        and DATE_RE.search(text) is None
        and not (text.isupper() and len(words) <= 6)
        and not BYLINE_RE.match(text)
        and "(Ảnh" not in text
    )


def _repeated(line: str) -> bool:
    """`Headline Headline`: a related-news link printed with its own title attribute."""
    s = line.strip()
    half = (len(s) - 1) // 2
    return len(s) > 20 and s[:half] == s[len(s) - half :] and s[half] == " "


_CLOSING = ".!?:;…)\"'”»"


def _paragraph(text: str) -> bool:
    """Prose: a long line that ends a sentence (or a very long one); not a menu or link."""
    if _repeated(text) or _is_menu(text) or IMAGE_FILE_RE.match(text) or _DATED_LINK.search(text):
        return False
    return len(text) >= 2 * PARAGRAPH or (len(text) >= PARAGRAPH and text[-1] in _CLOSING)


# A related link printed with its date: `… Tỉnh ủy Bến Tre (28/05/2023)`.
_DATED_LINK = re.compile(r"\(\d{1,2}/\d{1,2}/\d{4}\)$")
_SIGNATURE = re.compile(r"^(?:[A-ZĐ][\w.]*\s?){1,5}(?:\([^)]{1,30}\))?$")


def _ends_article(line: str) -> bool:
    """Furniture after the article: related news and section lists, a list of links, or the
    author's signature (`Trung Duy (tổng hợp)`, `Minh Anh`)."""
    return bool(
        (FURNITURE_RE.match(line) and not RELATED_RE.match(line))
        or (line.startswith("- ") and _link_like(line[2:]))
        or _DATED_LINK.search(line)
        or (_SIGNATURE.match(line) and not any(c.isdigit() for c in line))
    )


def propose_source(text: str) -> SourceProposal:
    """Read a page's text for its headline, publication stamp, body bounds and exclusions."""
    lines = [line.strip() for line in text.split("\n")]
    stamps = [d for i, line in enumerate(lines[:40], 1) if (d := date_line(i, line)) is not None]
    first_prose = next((i for i, line in enumerate(lines, 1) if _paragraph(line)), None)
    limit = first_prose or min(len(lines), 15) + 1
    title_line = None
    for i in range(limit - 1, 0, -1):  # the headline is the last headline-like line above the prose
        if _headline_like(lines[i - 1]) and (stamps == [] or all(s.line != i for s in stamps)):
            title_line = i
            break
    body_start = next(
        (i for i, line in enumerate(lines, 1) if _paragraph(line) and i > (title_line or 0)), None
    )
    body_end = _body_end(lines, body_start)
    stamp = _choose_stamp(stamps, title_line, body_end)
    exclude = _exclusions(lines, body_start, body_end, lines[title_line - 1] if title_line else None, stamp)
    return SourceProposal(
        lines[title_line - 1] if title_line else None,
        stamp.published if stamp else None,
        stamp.quote if stamp else None,
        body_start,
        body_end,
        exclude,
        title_line,
    )


def _body_end(lines: list[str], start: int | None) -> int | None:
    """The last prose line before the furniture that ends the article."""
    if start is None:
        return None
    stop = next((i for i, line in enumerate(lines, 1) if i > start and _ends_article(line)), None)
    if stop is None:  # related blocks with no other furniture after them still end the page
        stop = len(lines) + 1
    inside = [i for i in range(start, stop) if _paragraph(lines[i - 1])]
    return inside[-1] if inside else start


def _choose_stamp(stamps: list[DateLine], title_line: int | None, body_end: int | None) -> DateLine | None:
    """The article's stamp: never the site's clock on a header or menu line; one with a time
    first; then the one nearest the headline."""
    usable = [s for s in stamps if not s.on_menu and (body_end is None or s.line <= body_end)]
    if not usable:
        return None
    anchor = title_line or 0
    return min(usable, key=lambda s: (not s.has_time, abs(s.line - anchor)))


def _exclusions(
    lines: list[str], start: int | None, end: int | None, title: str | None, stamp: DateLine | None
) -> list[tuple[int, int, str]]:
    """Lines inside the body that are not the article: image files, alt text and captions
    printed twice, the stamp, related-news blocks."""
    if start is None or end is None:
        return []
    out: list[tuple[int, int, str]] = []
    previous = ""
    i = start
    while i <= end:
        line = lines[i - 1]
        related = _related_block(lines, i, end)
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


def _related_block(lines: list[str], i: int, end: int) -> int | None:
    """The last line of a related-news block starting at line i, if one does: a "Tin liên
    quan" heading and its links, headlines printed twice, or two or more link-like lines."""
    line = lines[i - 1]
    j = i
    if RELATED_RE.match(line):
        while j < end and lines[j] and not _paragraph(lines[j]):
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
