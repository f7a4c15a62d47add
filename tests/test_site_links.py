"""Issue 22, points 1–3: nothing named is a dead end (whom a quote names is linked both ways),
every date is said (statements at dated events, parts of dated events, planned items as of their
page), and filters find what is inside a place, by any of its names. Expectations come from the
built database, never from today's five pages."""

from __future__ import annotations

import json
import re
from html import unescape

from toolkit.build.words import date_words
from toolkit.core.searchfold import search_key

from .test_publish import Site, body_of, site, text_of

__all__ = ["site"]


def _section(html: str, heading_id: str) -> str:
    """The HTML of the section a heading id opens (up to the next section)."""
    found = re.search(rf'aria-labelledby="{heading_id}">(.*?)</section>', html, flags=re.S)
    return found.group(1) if found else ""


def test_what_a_quote_names_is_linked_both_ways(site: Site) -> None:
    rows = site.rows("select record_kind, record_id, entity, entity_kind from mentions")
    assert rows
    pages: dict[str, str] = {}

    def page(url: str) -> str:
        if url not in pages:
            pages[url] = body_of(site.get(url).text)
        return pages[url]

    for kind, record_id, entity, entity_kind in rows:
        named = _section(page(f"/{kind}/{record_id}"), "named-h")
        assert f'href="/{entity_kind}/{entity}"' in named, (record_id, entity)
        assert f'href="/{kind}/{record_id}"' in page(f"/{entity_kind}/{entity}"), (entity, record_id)


def test_an_organization_named_only_in_quotes_links_to_them(site: Site) -> None:
    """An organization no fact is about, no event lists and no one speaks for, yet quotes name
    (an agency in a statement): its page lists those records, not only its country."""
    lonely = site.rows(
        "select distinct m.entity from mentions m where m.entity_kind = 'organization' "
        "and m.entity not in (select subject from claims) "
        "and m.entity not in (select entity from event_participants "
        "  union select entity from event_organizers) "
        "and m.entity not in (select coalesce(speaker_organization, '') from statements) "
        "and m.entity not in (select coalesce(organization, '') from positions)"
    )
    assert lonely
    for (entity,) in lonely:
        named_in = _section(body_of(site.get(f"/organization/{entity}").text), "named-in-h")
        for kind, record_id in site.rows(
            "select record_kind, record_id from mentions where entity = ?", (entity,)
        ):
            assert f'href="/{kind}/{record_id}"' in named_in, (entity, record_id)


def _when(html: str) -> str:
    found = re.search(r"<dt>When</dt><dd>(.*?)</dd>", html, flags=re.S)
    return text_of(found.group(1)) if found else ""


def test_every_statement_says_when(site: Site) -> None:
    inferred = {
        r["record_id"]: r for r in site.rows("select * from inferred_dates where record_kind = 'statement'")
    }
    for statement, date in site.rows("select id, date from statements"):
        html = body_of(site.get(f"/statement/{statement}").text)
        when = _when(html)
        expected = date or (inferred[statement]["date"] if statement in inferred else None)
        if expected is None:
            continue
        assert date_words(expected) in when, (statement, when)
        lede = text_of(re.search(r'<p class="lede">(.*?)</p>', html, flags=re.S).group(1))  # type: ignore[union-attr]
        assert date_words(expected) in lede, (statement, lede)
    assert len(inferred) == site.rows("select count(*) from statements where date is null")[0][0]


def test_parts_of_a_dated_event_sit_within_its_dates(site: Site) -> None:
    parts = site.rows(
        "select d.record_id, d.date, d.from_id from inferred_dates d "
        "where d.record_kind = 'event' and d.relation = 'during'"
    )
    assert parts
    timeline = body_of(site.get("/timeline").text)
    undated = timeline.split(">Date not stated</h2>", 1)[1] if ">Date not stated</h2>" in timeline else ""
    for event, date, parent in parts:
        words = f"during {date_words(date)}"
        html = body_of(site.get(f"/event/{event}").text)
        assert words in _when(html) and f'href="/event/{parent}"' in html, event
        assert f'href="/event/{event}"' not in undated, event  # placed inside its parent's year
        card = re.search(
            rf'<time datetime="[^"]+">([^<]*)</time>\s*<div class="card">\s*<h3><a href="/event/{event}"',
            timeline,
        )
        assert card and card.group(1).strip() == words, event


def _words(html: str) -> str:
    """Visible text with no space before a comma (tags around a word leave one)."""
    return re.sub(r"\s+,", ",", text_of(html))


def test_planned_items_say_as_of_when(site: Site) -> None:
    planned = site.rows(
        "select d.record_kind, d.record_id, d.date, e.status from inferred_dates d "
        "left join events e on d.record_kind = 'event' and e.id = d.record_id where d.relation = 'as_of' "
        "and (e.status = 'planned' or d.record_id in (select id from claims where modality is not null))"
    )
    assert planned
    timeline = _words(body_of(site.get("/timeline").text))
    for kind, record_id, date, status in planned:
        text = _words(body_of(site.get(f"/{kind}/{record_id}").text))
        phrase = f"as of {date_words(date)}, the page's date"
        assert phrase in text and ("planned" in text or "expected" in text), (record_id, phrase)
        if status == "planned":
            assert f"planned, {phrase}" in timeline, record_id
    for (record_id,) in site.rows(
        "select id from claims where coalesce(point_in_time, period_start, period_end) is null"
    ):
        assert "the page's date" in _when(body_of(site.get(f"/claim/{record_id}").text)), record_id


def _inside(site: Site) -> dict[str, set[str]]:
    """Each place and every place inside it (itself too), from the parent links."""
    parents = {r[0]: r[1] for r in site.rows("select id, parent from places")}
    out: dict[str, set[str]] = {p: {p} for p in parents}
    for place in parents:
        at = parents[place]
        while at is not None:
            out[at].add(place)
            at = parents[at]
    return out


def _spellings(site: Site, place: str) -> list[str]:
    row = site.rows("select id, name, name_en, aliases from places where id = ?", (place,))[0]
    names = [row["name"], row["name_en"], *json.loads(row["aliases"])]
    return [place, *names, *(search_key(n) for n in names if n)]


def _unique_names(site: Site) -> set[str]:
    """Spellings no two places share (a filter by one finds that place only)."""
    seen: dict[str, int] = {}
    for r in site.rows("select name, name_en, aliases from places"):
        for n in {search_key(x) for x in (r["name"], r["name_en"], *json.loads(r["aliases"])) if x}:
            seen[n] = seen.get(n, 0) + 1
    return {n for n, count in seen.items() if count == 1}


def test_the_timeline_filter_finds_what_is_inside_a_place(site: Site) -> None:
    inside, unique = _inside(site), _unique_names(site)
    events = {r[0]: r[1] for r in site.rows("select id, place from events")}
    checked = 0
    for place, within in inside.items():
        expected = {e for e, p in events.items() if p in within}
        for spelling in _spellings(site, place):
            if spelling != place and search_key(spelling) not in unique:
                continue
            html = body_of(site.get(f"/timeline?place={spelling}").text)
            found = set(re.findall(r'<h3><a href="/event/([^"]+)"', html))
            assert found == expected, (place, spelling)
            checked += 1
    assert checked > 50


def test_canned_queries_find_what_is_inside_a_place(site: Site) -> None:
    inside, unique = _inside(site), _unique_names(site)
    subjects = {r[0]: r[1] for r in site.rows("select id, subject from claims")}
    events = {r[0]: r[1] for r in site.rows("select id, place from events")}
    dated = {r[0] for r in site.rows("select id from events where date_start is not null")} | {
        r[0] for r in site.rows("select record_id from inferred_dates where relation = 'during'")
    }
    for place, within in inside.items():
        for spelling in _spellings(site, place)[:4]:
            if spelling != place and search_key(spelling) not in unique:
                continue
            figures = site.get(f"/{site.name}/figures_for_place.json?place={spelling}&_shape=array&_size=max")
            assert {r["claim_id"] for r in figures.json()} == {c for c, s in subjects.items() if s in within}
            held = site.get(f"/{site.name}/events_between.json?place={spelling}&start=&end=&_shape=array")
            expected = {e for e, p in events.items() if p in within and e in dated}
            assert {r["event"] for r in held.json()} == expected, (place, spelling)


def test_a_filter_by_a_name_no_place_has_says_so(site: Site) -> None:
    html = body_of(site.get("/timeline?place=zzzz-nowhere").text)
    assert "No place is called" in unescape(html) and 'class="event ' not in html
