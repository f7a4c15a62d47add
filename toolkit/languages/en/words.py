"""The English words the rules and tools look for: hedges, averages, former posts, speech
verbs, titles before a name, sentence ends, and a news page's furniture."""

from __future__ import annotations

import re

from toolkit.languages.base import PageLayout, word_kinds

_I = re.IGNORECASE

# A figure these words stand before is expected or planned, not a fact.
HEDGES = re.compile(
    r"(?<!\w)(will|would|is expected|are expected|expected to|expects|forecast|projected|plans? to|planned|"
    r"could|may|might|aims? to|targets?|is set to|are set to|estimated to|hopes? to|intends? to)(?!\w)",
    _I,
)
AVERAGES = re.compile(r"(?<!\w)(average|averaged|averaging|on average|mean|per year on average)(?!\w)", _I)
FORMER = re.compile(r"(?<!\w)(former|ex-|previously|once served as|retired|then-)", _I)
SPEECH_VERBS = re.compile(
    r"(?<!\w)(said|says|stressed|told|added|noted|stated|announced|emphasi[sz]ed|affirmed|called for|"
    r"urged|expressed|highlighted|pointed out|remarked|declared|explained|underlined|welcomed|thanked|"
    r"hoped|proposed|suggested|asserted|confirmed|wished)(?!\w)",
    _I,
)
# The nouns a page writes after a number of a common unit (`4 days`): a property of another
# unit lists its own (`nouns`).
UNIT_NOUNS: dict[str, tuple[str, ...]] = {
    "day": ("day", "days"),
    "week": ("week", "weeks"),
    "month": ("month", "months"),
    "year": ("year", "years"),
    "hour": ("hour", "hours"),
    "minute": ("minute", "minutes"),
    "person": ("person", "people", "persons"),
}
# A figure after these is a conversion of the page's own figure (`¥100 billion, equivalent to
# $700 million`), not a fact the page states.
CONVERSIONS = re.compile(
    r"(?<!\w)(?:(?:the\s+)?equivalent\s+(?:to|of)|equal\s+to|converted\s+(?:to|into))"
    r"(?:\s+(?:about|around|roughly|nearly|some|approximately|over|more than))*\s*$",
    re.IGNORECASE,
)
# A term of office: `term 2015-2018`, `the 2015-2018 term`.
TERMS = re.compile(
    r"(?<!\w)(?:(?:term|tenure)\s+(?:of\s+)?(?=\d)|(?=\d{4}\s*[-–—]\s*\d{4}\s+(?:term|tenure)))"
    r"(?P<since>\d{4})\s*[-–—‐‑]\s*(?P<until>\d{4})(?!\d)",
    re.IGNORECASE,
)
ORGANIZER_WORDS = re.compile(
    r"(?<!\w)(organi[sz]ed|organi[sz]es|organi[sz]ing|organi[sz]ers?|co-organi[sz]ed|hosted|hosts|"
    r"co-hosted|convened|staged|holds?|held|holding)(?!\w)",
    _I,
)
CHAIR_WORDS = re.compile(r"(?<!\w)(chaired|chairs|chairing|co-chaired|presided(?: over)?)(?!\w)", _I)
# The kind of event a quote's words name, first match wins: what `new event` proposes.
EVENT_WORDS = word_kinds(
    (
        (r"sign(?:ed|s|ing)?|signing ceremony", "signing"),
        (r"visit(?:ed|s|ing)?|state visit|official visit", "visit"),
        (r"festival", "festival"),
        (r"exhibition|exhibit(?:ed|s)?", "exhibition"),
        (r"competition|contest", "competition"),
        (r"anniversary", "anniversary"),
        (r"conference|seminar|forum|symposium|summit", "conference"),
        (r"ceremony", "ceremony"),
        (r"met|meets?|meeting|talks|received", "meeting"),
    )
)
HONORIFICS = (
    r"(?:Mr|Mrs|Ms|Miss|Dr|Prof|Professor|Sir|Dame|Mayor|Minister|President|Prime Minister|Ambassador|"
    r"Governor|Chairman|Chairwoman|Chair|Secretary|Director|Deputy|Vice|Senator|Representative|General)\.?"
)
_UPPER = "A-ZÀ-ÖØ-ÞĐ"
TITLED_NAME = re.compile(rf"(?<!\w){HONORIFICS}\s+(?:[{_UPPER}][\w'-]*\s+){{0,3}}[{_UPPER}][\w'-]+")
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(]?[" + _UPPER + r"0-9])")
ABBREVIATION = re.compile(
    r"(?:Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|Gen|Gov|Sen|Rep|No|vs|etc|Inc|Ltd|Co|Corp|U\.S|U\.K|e\.g|i\.e)\.$"
)


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans of one line of text, not splitting after abbreviations like `Mr.`."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in SENTENCE_END.finditer(text):
        if ABBREVIATION.search(text[start : m.start()]):
            continue
        spans.append((offset + start, offset + m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((offset + start, offset + len(text.rstrip())))
    return spans


_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
LAYOUT = PageLayout(
    # A publication stamp: `12 March 2024`, `March 12, 2024`, `2024-03-12` (d, m, y groups: the
    # month as a name in m2 when written out).
    date=re.compile(
        rf"(?<!\d)(?:(?P<d>\d{{1,2}})\s+(?P<m2>{_MONTHS})\.?,?\s+(?P<y>(?:19|20)\d{{2}})"
        rf"|(?P<m3>{_MONTHS})\.?\s+(?P<d2>\d{{1,2}}),?\s+(?P<y2>(?:19|20)\d{{2}})"
        r"|(?P<y3>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d3>\d{2}))(?!\d)",
        _I,
    ),
    menu=re.compile(
        r"(Home|Sign in|Log in|Register|Subscribe|Newsletter|Contact us|Advertise|Search|Menu|Podcasts?|"
        r"Weather|Edition|Tiếng Việt)",
        _I,
    ),
    furniture=re.compile(
        r"^(Related|Related articles|Related stories|Read more|Read next|More from|Most read|Most popular|"
        r"Recommended|Comments?|Share this|Tags?:|Topics:|Advertisement|Sponsored|You may also like)",
        _I,
    ),
    related=re.compile(r"^(Related|Read more|See also|Also read|>>)\s*:?", _I),
    byline=re.compile(r"^(By|Reporting by|Written by|Editing by|Photo:|Photos:|Source:)\b[^.!?]{0,60}$", _I),
    caption=re.compile(r"\(?\s*(?:Photo|Photograph|Image|Picture)\s*:\s*[^.!?]{1,80}\)?\.?\s*$", _I),
)
