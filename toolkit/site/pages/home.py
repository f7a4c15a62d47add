"""The home page: what this is, counts, the search box, the newest sources, the canned
queries, the downloads and the license, with schema.org Dataset JSON-LD."""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

from toolkit.build.words import date_words
from toolkit.languages import primary
from toolkit.publish.metadata import dataset_of
from toolkit.site.pages.registry import Context, Page, PageKind
from toolkit.site.pages.view import jsonld

HOME_SOURCES = 20  # the home page lists this many sources, newest first, and links the rest
_COUNTED = ("claims", "sources", "persons", "organizations", "places", "events", "positions", "properties")


async def _counts(db: Any) -> dict[str, int]:
    """How many of each kind, and the rows of the flat list (one per fact and quote)."""
    sql = " union all ".join(f"select '{t}', count(*) from [{t}]" for t in (*_COUNTED, "claims_flat"))
    return {r[0]: r[1] for r in (await db.execute(sql)).rows}


async def _queries(page: Page) -> list[dict[str, Any]]:
    actor = page.request.actor if page.request else None
    queries = await page.datasette.get_canned_queries(page.db.name, actor)
    return [
        {"name": name, "title": q.get("title") or name, "description": q.get("description") or ""}
        for name, q in queries.items()
    ]


def _dataset_jsonld(page: Page, sources: list[Any], span: Any) -> str:
    """schema.org Dataset (what Google Dataset Search reads): names, license, coverage, files."""
    meta = page.datasette.metadata()
    language = primary(dataset_of(meta).language)
    data = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": meta.get("title"),
        "description": re.sub(r"<[^>]+>", "", meta.get("description_html") or meta.get("description") or ""),
        "url": page.absolute("/"),
        "license": meta.get("license_url"),
        "creator": {"@type": "Organization", "name": meta.get("creator") or meta.get("title")},
        "inLanguage": [language, "en"] if language != "en" else ["en"],
        "isAccessibleForFree": True,
        "temporalCoverage": f"{span['first']}/{span['last']}" if span and span["first"] else None,
        "spatialCoverage": [{"@type": "Place", "name": name} for name in meta.get("spatial_coverage", [])],
        "citation": [s["url"] for s in sources if s["url"]],
        "distribution": [
            {
                "@type": "DataDownload",
                "encodingFormat": "application/vnd.sqlite3",
                "contentUrl": page.absolute(page.datasette.urls.database(page.db.name) + ".db"),
            },
            {
                "@type": "DataDownload",
                "encodingFormat": "application/zip",
                "description": "Every table as CSV with a Frictionless datapackage.json",
                "contentUrl": page.absolute("/download/everything.zip"),
            },
        ],
    }
    return jsonld({k: v for k, v in data.items() if v})


async def load(page: Page) -> Context:
    db = page.db
    sources = (
        await db.execute(
            "select id, title, title_en, publisher, published, url from sources "
            f"order by published desc, id limit {HOME_SOURCES}"
        )
    ).rows
    span = (await db.execute("select min(date_start) as first, max(date_end) as last from events")).first()
    return {
        "counts": await _counts(db),
        # The day of a date-time, or the whole window of a page the text dates no closer.
        "sources": [
            dict(s)
            | {
                "published_words": date_words(
                    s["published"][:10] if "T" in s["published"] else s["published"]
                )
            }
            for s in sources
        ],
        "queries": await _queries(page),
        "jsonld": Markup(_dataset_jsonld(page, sources, span)),
        "meta": page.datasette.metadata(),
    }


PAGE = PageKind(name="home", route=r"^/$", template="home.html", load=load)
