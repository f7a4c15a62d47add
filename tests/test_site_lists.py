"""Issue 22, points 4–6: search pages on past its first results and puts a whole name first;
index pages for people, organizations, places, events, sources and properties, and a reader's
list of all facts, which breadcrumbs lead to; a property's page with every value and, where
the values compare, an inline SVG chart with the source under each bar."""

from __future__ import annotations

import json
import re
from collections import Counter
from html import unescape

from toolkit.core.searchfold import search_key
from toolkit.site.pages.chart import comparable

from .test_publish import Site, body_of, site, text_of

__all__ = ["site"]

_RESULT = re.compile(r'<li class="result[^"]*">\s*<span class="kind-tag">[^<]*</span>\s*<a href="([^"]+)"')


def _walk(site: Site, url: str, item: re.Pattern[str]) -> list[str]:
    """Every item of a paged list, following its `rel="next"` links."""
    found: list[str] = []
    pages = 0
    while url:
        html = body_of(site.get(url).text)
        found += item.findall(html)
        nxt = re.search(r'<a rel="next" href="([^"]+)"', html)
        url = unescape(nxt.group(1)) if nxt else ""
        pages += 1
        assert pages < 200
    return found


def test_search_pages_on_past_its_first_page(site: Site) -> None:
    """A word in many records: every page follows on, none repeats a result, and together they
    hold every record the index matches."""
    words = Counter(w for (q,) in site.rows("select quote from evidence") for w in set(search_key(q).split()))
    word = next(w for w, _ in words.most_common() if len(w) > 2)
    (total,) = site.rows(
        "select count(*) from site_search_fts where site_search_fts match ?", (f'"{word}"',)
    )[0]
    assert total > 50, word
    first = body_of(site.get(f"/search?q={word}").text)
    assert len(_RESULT.findall(first)) == 50 and 'rel="next"' in first
    found = _walk(site, f"/search?q={word}", _RESULT)
    assert len(found) == len(set(found)) == total
    second = body_of(site.get(f"/search?q={word}&page=2").text)
    assert '<ol class="results" start="51">' in second and 'rel="prev"' in second


def test_a_whole_name_ranks_first(site: Site) -> None:
    """Search any person's, organization's or place's name, English name or alias, as written or
    folded: the first result is a record of that name (the place Japan for `Japan`)."""
    names: dict[str, set[str]] = {}
    for kind, table in (("person", "persons"), ("organization", "organizations"), ("place", "places")):
        for r in site.rows(f"select id, name, name_en, aliases from {table}"):
            for n in (r["name"], r["name_en"], *json.loads(r["aliases"])):
                if n:
                    names.setdefault(search_key(n), set()).add(f"/{kind}/{r['id']}")
    checked = 0
    for key, urls in names.items():
        found = _RESULT.search(body_of(site.get(f"/search?q={key}").text))
        assert found and found.group(1) in urls, (key, found and found.group(1))
        checked += 1
    assert checked > 100


INDEXES = {
    "people": ("persons", "person"),
    "organizations": ("organizations", "organization"),
    "places": ("places", "place"),
    "events": ("events", "event"),
    "sources": ("sources", "source"),
    "properties": ("properties", "property"),
}


def test_index_pages_list_every_record_with_counts(site: Site) -> None:
    for path, (table, kind) in INDEXES.items():
        page = site.get(f"/{path}")
        assert page.status_code == 200, path
        (count,) = site.rows(f"select count(*) from {table}")[0]
        assert f"{count:,} " in text_of(body_of(page.text)).split(".")[0], path
        found = _walk(site, f"/{path}", re.compile(rf'<li class="depth-\d">\s*<a href="/{kind}/([^"]+)"'))
        assert sorted(found) == sorted(r[0] for r in site.rows(f"select id from {table}")), path


def test_index_pages_filter_by_name_without_diacritics(site: Site) -> None:
    for path, (table, kind) in INDEXES.items():
        if table in ("sources", "properties"):
            continue
        for record_id, name in site.rows(f"select id, name from {table} limit 5"):
            html = body_of(site.get(f"/{path}?q={search_key(name)}").text)
            assert f'href="/{kind}/{record_id}"' in html, (path, name)


def _crumbs(html: str) -> str:
    found = re.search(r'<p class="crumbs">(.*?)</p>', html, flags=re.S)
    return found.group(1) if found else ""


def test_breadcrumbs_lead_to_reader_pages(site: Site) -> None:
    leads = {
        "person": "/people",
        "organization": "/organizations",
        "place": "/places",
        "event": "/events",
        "source": "/sources",
        "claim": "/facts",
        "statement": "/people",
        "position": "/people",
        "property": "/properties",
    }
    tables = {"claim": "claims", "statement": "statements", "position": "positions", "property": "properties"}
    for kind, index in leads.items():
        table = tables.get(kind) or INDEXES[index.strip("/") if kind != "event" else "events"][0]
        (record_id,) = site.rows(f"select id from {table} limit 1")[0]
        crumbs = _crumbs(site.get(f"/{kind}/{record_id}").text)
        assert f'href="{index}"' in crumbs, kind
        assert f"/{site.name}/" not in crumbs, kind  # no raw table


def test_all_facts_is_a_readers_list(site: Site) -> None:
    html = body_of(site.get("/facts").text)
    heads = re.findall(r"<th[ >]", html)
    assert 0 < len(heads) <= 12
    found = _walk(site, "/facts", re.compile(r'<td class="fact"><a href="/claim/([^"]+)"'))
    assert sorted(found) == sorted(r[0] for r in site.rows("select id from claims"))
    text = text_of(html)
    (facts,) = site.rows("select count(*) from claims")[0]
    (rows,) = site.rows("select count(*) from claims_flat")[0]
    assert f"{facts:,} facts" in text and f"{rows:,} rows" in text
    home = text_of(body_of(site.get("/").text))
    assert f"{facts:,} facts, quoted {rows:,} times" in home
    subject, claim = site.rows(
        "select s.name, c.id from claims c join entities s on s.id = c.subject limit 1"
    )[0]
    assert f'href="/claim/{claim}"' in site.get(f"/facts?q={search_key(subject)}").text


def test_home_counts_lead_to_index_pages(site: Site) -> None:
    counts = re.search(r'<ul class="counts".*?</ul>', site.get("/").text, flags=re.S)
    assert counts
    for path in ("/facts", "/sources", "/people", "/organizations", "/places", "/events", "/properties"):
        assert f'href="{path}"' in counts.group(0), path


def test_property_pages_show_every_value_with_its_source(site: Site) -> None:
    for prop, value_type in site.rows("select id, value_type from properties"):
        html = body_of(site.get(f"/property/{prop}").text)
        claims = {r[0] for r in site.rows("select id from claims where property = ?", (prop,))}
        found = _walk(site, f"/property/{prop}", re.compile(r'<li><a href="/claim/([^"]+)"><strong>'))
        assert set(found) == claims and len(found) == len(claims), prop
        units = [r[0] for r in site.rows("select distinct unit from claims where property = ?", (prop,))]
        amounts = site.rows("select count(amount) from claims where property = ?", (prop,))[0][0]
        svg = re.search(r"<svg .*?</svg>", html, flags=re.S)
        if not comparable(value_type, units, amounts):
            assert svg is None, prop
            continue
        assert svg, prop
        chart = svg.group(0)
        assert "<script" not in chart and not re.search(r'(?:href|src)="https?:', chart)
        bars = re.findall(r'<a href="/claim/([^"]+)"><title>([^<]*)</title>', chart)
        assert {b for b, _ in bars} == claims  # one bar per value (one page here)
        under = re.findall(r'<text class="source"[^>]*>([^<]*)</text>', chart)
        assert len(under) == len(bars)  # the source under each bar
        for (claim, title), line in zip(bars, under, strict=True):
            (source,) = site.rows(
                "select source_title from claims_flat where claim_id = ? order by rowid limit 1", (claim,)
            )[0]
            assert source in unescape(title), claim
            shown = unescape(line).rstrip("…").split(" · ")[-1]
            assert unescape(title).split("Source: ", 1)[1].startswith(shown), claim


def test_every_fact_links_its_property(site: Site) -> None:
    for claim, prop in site.rows("select id, property from claims"):
        assert f'href="/property/{prop}"' in site.get(f"/claim/{claim}").text
