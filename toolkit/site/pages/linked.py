"""schema.org for the pages that show an article: a NewsArticle with a real date. A page dated
to the day is `datePublished`; one the text dates only to a window (or a month, or a year) gets
a PublicationEvent with its first and last day instead; a publisher the page does not name
(the record says so) is left out, since a note about it is no name."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from toolkit.core import dates


def _publication(published: str | None) -> dict[str, Any]:
    """`datePublished` for a day or a date-time; a PublicationEvent for a wider span."""
    if not published:
        return {}
    try:
        span = dates.parse_published(published)
    except ValueError:
        return {}
    if "T" in published:
        return {"datePublished": published}
    if span.first == span.last:
        return {"datePublished": span.first.isoformat()}
    return {
        "publication": {
            "@type": "PublicationEvent",
            "startDate": span.first.isoformat(),
            "endDate": span.last.isoformat(),
        }
    }


def news_article(source: dict[str, Any], text: str | None = None) -> dict[str, Any]:
    """A source row (title, publisher, publisher_named, published, url, language) as a
    schema.org NewsArticle; `text`, a quote from it."""
    article: dict[str, Any] = {"@type": "NewsArticle", "headline": source["title"]}
    if source.get("title_en"):
        article["alternativeHeadline"] = source["title_en"]
    if source.get("publisher") and source.get("publisher_named", 1):
        article["publisher"] = {"@type": "Organization", "name": source["publisher"]}
    article |= _publication(source.get("published"))
    if source.get("language"):
        article["inLanguage"] = source["language"]
    if source.get("url"):
        article["url"] = source["url"]
    if text:
        article["text"] = text
    return article


def report_url(repository: str | None, kind: str, record_id: str, permalink: str) -> str | None:
    """A new issue in the project's repository, its title and text naming the record and its
    page; None where the settings name no repository (or one that is no web address)."""
    if not repository or not repository.startswith(("https://", "http://")):
        return None
    base = repository.rstrip("/").removesuffix(".git")
    title = f"Error in {kind} {record_id}"
    body = (
        f"The {kind} `{record_id}` has an error.\n\nPage: {permalink}\n\n"
        "What is wrong, and where a source says otherwise:\n"
    )
    return f"{base}/issues/new?" + urlencode({"title": title, "body": body})
