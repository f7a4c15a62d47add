"""Source records: a page archived verbatim under seeds/, where its article body lies, and
who read the records citing it against the page."""

from __future__ import annotations

from pydantic import Field

from toolkit.core import dates
from toolkit.records.fields import FILE_PATTERN, SHA256_PATTERN, Date, Id, Ref, Strict


class LineRange(Strict):
    """A range of lines of a source text (1-based, inclusive)."""

    start_line: int = Field(ge=1, description="First line of the range (1-based).")
    end_line: int = Field(ge=1, description="Last line of the range (inclusive).")
    reason: str | None = Field(
        default=None, description="Why the lines are excluded (related headline, photo caption …)."
    )


class Body(Strict):
    """Where the article body lies in the page, so page furniture is never evidence."""

    start_line: int = Field(ge=1, description="First line of the article body (1-based).")
    end_line: int = Field(ge=1, description="Last line of the article body (inclusive).")
    exclude: list[LineRange] = Field(
        default_factory=list,
        description="Lines inside the body that are not the article: embedded related "
        "headlines, photo file names.",
    )
    captions: list[LineRange] = Field(
        default_factory=list,
        description="Lines of the body that are photo captions: evidence found only there says "
        "`caption: true`.",
    )

    def lines(self) -> set[int]:
        """The line numbers that are article: the bounds, less the excluded ranges."""
        out = set(range(self.start_line, self.end_line + 1))
        for ex in self.exclude:
            out -= set(range(ex.start_line, ex.end_line + 1))
        return out


class Review(Strict):
    """One reading of a source's records against the page: who, when, and what was checked."""

    by: str = Field(min_length=1, description="Who reviewed (a name or handle).")
    date: Date = Field(description="When the review was done.")
    checked: list[str] = Field(
        min_length=1, description="What was checked, item by item (the checklist in CONTRIBUTING.md)."
    )
    corrections: str | None = Field(
        default=None, description="What the review corrected, in a sentence or two."
    )


class Source(Strict):
    """A document archived verbatim under seeds/: the only place evidence may come from."""

    id: Id
    file: str = Field(
        pattern=FILE_PATTERN,
        description="Path of the verbatim text, relative to seeds/ (never outside it).",
    )
    sha256: str = Field(
        pattern=SHA256_PATTERN,
        description="SHA-256 of the file's bytes; any edit to the text is caught.",
    )
    title: str = Field(min_length=1, description="Headline as published (original language).")
    title_en: str | None = Field(default=None, description="Headline in English.")
    publisher: str = Field(min_length=1, description="Publication that printed the document.")
    publisher_named: bool = Field(
        default=True,
        description="False when the page names no publisher and `publisher` says what is known "
        "instead (a note, not a name): the site then names no publisher in its JSON-LD.",
    )
    url: str | None = Field(
        default=None, pattern=r"^https?://\S+$", description="Address of the original page."
    )
    published: str = Field(
        pattern=dates.PUBLISHED_PATTERN,
        description="When it was published: a date-time with zone where the page gives one "
        "(2023-01-06T20:16:00+07:00), otherwise the date as precise as the text supports, or a "
        "window START/END (2023-11-12/2024-01) when that is all the text supports.",
    )
    published_quote: str | None = Field(
        default=None,
        description="The text of the page that states the publication date (it must occur in "
        "the file and agree with `published`).",
    )
    published_note: str | None = Field(
        default=None,
        description="Where the page states no publication date: what the text supports and why.",
    )
    forms: dict[Ref, list[str]] = Field(
        default_factory=dict,
        description="Short forms this page uses for a record, by its id (`Hội` for the association "
        "an article is about, once named in full): a quote of this page naming a record by such a "
        "form names it.",
    )
    language: str | None = Field(
        default=None,
        pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$",
        description="BCP 47 language tag of the page; when absent, the project's (factbase.toml).",
    )
    body: Body = Field(description="Line bounds of the article body inside the page.")
    reviews: list[Review] = Field(
        default_factory=list,
        description="Each time the records citing this source were read against the page.",
    )
