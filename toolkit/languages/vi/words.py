"""The Vietnamese words the rules and tools look for: hedges, averages, former posts, speech
verbs, titles before a name, sentence ends, and a news page's furniture."""

from __future__ import annotations

import re

from toolkit.languages.base import PageLayout, word_kinds

_I = re.IGNORECASE

# A figure these words stand before is expected or planned, not a fact.
HEDGES = re.compile(
    r"(?<!\w)(dự kiến|dự báo|dự tính|có thể|kỳ vọng|sẽ|mục tiêu|kế hoạch|phấn đấu|hướng tới|ước đạt)(?!\w)",
    _I,
)
AVERAGES = re.compile(r"(?<!\w)(bình quân|trung bình)(?!\w)", _I)
FORMER = re.compile(r"(?<!\w)(nguyên|cựu|từng|trước đây|đã nghỉ hưu)(?!\w)", _I)

# Verbs that report what someone said: a sentence with one, and words after it, is a
# statement to capture (`hợp tác trao đổi` is no speech, so `trao đổi` is not here).
SPEECH_VERBS = re.compile(
    r"(?<!\w)(cho biết|nhấn mạnh|khẳng định|đề nghị|bày tỏ|nói|phát biểu|chia sẻ|cho rằng|đánh giá|"
    r"mong muốn|kêu gọi|nêu rõ|tuyên bố|đề xuất|hoan nghênh|cảm ơn|chúc mừng|ghi nhận|lưu ý|"
    r"nhận định|tin tưởng|hy vọng|cam kết|thông báo)(?!\w)",
    _I,
)

# The nouns a page writes after a number of a common unit (`4 ngày`): a property of another
# unit lists its own (`nouns`).
UNIT_NOUNS: dict[str, tuple[str, ...]] = {
    "day": ("ngày",),
    "week": ("tuần",),
    "month": ("tháng",),
    "year": ("năm",),
    "hour": ("giờ", "tiếng"),
    "minute": ("phút",),
    "person": ("người",),
}
# A figure after these is a conversion of the page's own figure (`100 tỷ Yên, tương đương
# 17.000 tỷ đồng`), not a fact the page states.
CONVERSIONS = re.compile(
    r"(?<!\w)(?:tương đương|quy đổi|quy ra)"
    r"(?:\s+(?:với|ra|sang|thành|khoảng|gần|hơn|trên|xấp xỉ|chừng))*\s*$",
    _I,
)
# A term of office: `nhiệm kỳ 2015-2018`, `nhiệm kỳ 2021 - 2026`.
TERMS = re.compile(r"(?<!\w)nhiệm k[ỳỳì]\s+(?P<since>\d{4})\s*[-–—‐‑]\s*(?P<until>\d{4})(?!\d)", _I)

# An organizer is named with one of these in its sentence; `hỗ trợ` is support, not organizing.
ORGANIZER_WORDS = re.compile(r"(?<!\w)(tổ chức|đăng cai|phối hợp tổ chức|đồng tổ chức)(?!\w)", _I)
CHAIR_WORDS = re.compile(r"(?<!\w)(chủ trì|chủ tọa|đồng chủ trì)(?!\w)", _I)

# The kind of event a quote's words name, first match wins (`thăm` a visit, `lễ ký` a signing
# before `lễ` a ceremony): what `new event` proposes as its type.
EVENT_WORDS = word_kinds(
    (
        (r"ký kết|lễ ký|đã ký|ký thỏa thuận|ký biên bản|ký bản ghi nhớ", "signing"),
        (r"chuyến thăm|thăm chính thức|thăm làm việc|thăm", "visit"),
        (r"lễ hội|festival", "festival"),
        (r"triển lãm", "exhibition"),
        (r"cuộc thi|hội thi", "competition"),
        (r"kỷ niệm", "anniversary"),
        (r"hội nghị|hội thảo|diễn đàn|tọa đàm", "conference"),
        (r"lễ", "ceremony"),
        (r"hội đàm|hội kiến|gặp gỡ|gặp|tiếp kiến|tiếp đón|buổi tiếp|làm việc|cuộc họp|họp|kỳ họp", "meeting"),
    )
)

# Words that refer to a person by title before a given name: `ông Sơn`, `Đại sứ Yamada`,
# `Thủ tướng Kishida`.
HONORIFICS = (
    r"(?:ông|bà|anh|chị|đồng chí|ngài|Đại sứ|Bộ trưởng|Thứ trưởng|Chủ tịch|Phó Chủ tịch|Thống đốc|"
    r"Bí thư|Phó Bí thư|Trưởng ban|Thủ tướng|Phó Thủ tướng|Tổng Bí thư|Tổng Lãnh sự|Giám đốc|"
    r"Tổng Giám đốc|Trưởng Đại diện|Nghị sĩ|Hạ nghị sĩ|Thượng nghị sĩ|Thị trưởng|Tỉnh trưởng|Hoàng tử|"
    r"Công chúa|Nhà vua|Hoàng hậu|Giáo sư|Tiến sĩ)"
)

# Titles and honorifics that introduce a person's name in Vietnamese news (coverage).
_TITLES = (
    r"[ôÔ]ng|[bB]à|[đĐ]ồng chí|[nN]gài|Chủ tịch|Phó Chủ tịch|Bộ trưởng|Thứ trưởng|Đại sứ|Bí thư|Phó Bí thư|"
    r"Thống đốc|Tổng Lãnh sự|Tổng Bí thư|Thủ tướng|Trưởng Ban|Trưởng ban|Ủy viên|Thường trực Ban Bí thư"
)
_UPPER = "A-ZÀ-ỸĐ"
_NAME = rf"[{_UPPER}][\w]*(?:\s+[{_UPPER}][\w]*){{1,3}}"
TITLED_NAME = re.compile(rf"(?<!\w)(?:{_TITLES})\s+(?:[^\s,.;]+\s+){{0,8}}?{_NAME}")
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(]?[" + _UPPER + r"0-9])")
ABBREVIATION = re.compile(r"(?:TP|Tp|ThS|TS|PGS|GS|St|Mr|Mrs|Dr)\.$")
_LONGEST_ABBREVIATION = 4  # `ThS.`, `PGS.`, `Mrs.`


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans of one line of text, not splitting after abbreviations like `TP.`."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in SENTENCE_END.finditer(text):
        # The abbreviation must end the sentence: its last few characters are enough (the
        # whole sentence so far made a line of `TP. A` repeated quadratic).
        if ABBREVIATION.search(text[max(start, m.start() - _LONGEST_ABBREVIATION) : m.start()]):
            continue
        spans.append((offset + start, offset + m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((offset + start, offset + len(text.rstrip())))
    return spans


LAYOUT = PageLayout(
    date=re.compile(
        r"(?<!\d)(?:(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>(?:19|20)\d{2})"
        r"|ngày\s+(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>(?:19|20)\d{2}))(?!\d)",
        _I,
    ),
    # Words of a site's header, menus and account links: a line with one is never the headline,
    # and a date on it is the site's clock, not the article's.
    menu=re.compile(
        r"(Trang chủ|Đăng nhập|Đăng ký|Liên hệ|Hotline|Thời tiết|Tiện ích|Podcast|E-paper|RSS|"
        r"Theo dõi|Tìm kiếm|Quảng cáo|Tòa soạn|English|Multimedia)",
        _I,
    ),
    # Lines that end the article: related news, lists of the same section, sources, sidebars.
    furniture=re.compile(
        r"^(Tin bài liên quan|Các tin bài khác|Có thể bạn quan tâm|Tin cùng chuyên mục|Cùng chuyên mục|"
        r"Tin liên quan|Bài liên quan|Tin khác|Đọc nhiều|Xem nhiều|Xem thêm|Đọc thêm|Tin mới|Tin nổi bật|"
        r"Bình luận|Ý kiến bạn đọc|Chia sẻ|Từ khóa|Tags?:|Nguồn:)",
        _I,
    ),
    # A block of related links inside the body starts with one of these and runs to a blank line.
    related=re.compile(r"^(Tin liên quan|Bài liên quan|Xem thêm|Đọc thêm|>>|Xem tiếp)\s*:?", _I),
    byline=re.compile(
        r"^(Bài|Ảnh|Bài và ảnh|Bài, ảnh|Theo|PV|Phóng viên|Nhóm PV|Tác giả|Nguồn)\b[^.!?]{0,60}$"
    ),
    caption=re.compile(r"\(?\s*Ảnh\s*:\s*[^.!?]{1,80}\)?\.?\s*$", _I),
)
