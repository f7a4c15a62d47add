"""The index pages: every person, organization, place, event, source and property as a reader's
list with counts (/people, /organizations, /places, /events, /sources, /properties), a filter
by name with or without diacritics, and pages of INDEX_PAGE. One page kind with one route: the
path names the list. Breadcrumbs of the record pages lead here, not to raw tables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from toolkit.build.words import date_words, plural, published_words
from toolkit.site.pages.registry import Context, Page, PageKind
from toolkit.site.pages.rows import Row, rows

INDEX_PAGE = 100  # rows a page


@dataclass(frozen=True)
class Index:
    """One list: its title and words, the table its count comes from, the query of one page
    (`:q` the folded filter, `:limit`, `:offset`) and how a row reads."""

    title: str
    kind: str  # the kind its rows link to
    table: str
    intro: str
    sql: str
    row: Callable[[Row], Row]
    filter: str  # the condition on a row for the filter `:q` (a name, folded)


def _counts(r: Row, *pairs: tuple[str, str]) -> list[str]:
    """`3 facts`, `1 statement`, `named in 2 records` … for the counts a row has (none zero)."""
    return [
        f"named in {plural(r[key], 'record')}" if key == "named" else plural(r[key], noun)
        for key, noun in pairs
        if r.get(key)
    ]


def _person(r: Row) -> Row:
    return r | {
        "meta": r["titles"] or "",
        "counts": _counts(r, ("posts", "post"), ("facts", "fact"), ("said", "statement"), ("named", "")),
    }


def _organization(r: Row) -> Row:
    where = f", {r['country_name']}" if r["country_name"] else ""
    return r | {
        "meta": f"{r['type'] or 'organization'}{where}",
        "counts": _counts(r, ("posts", "post"), ("events", "event"), ("facts", "fact"), ("named", "")),
    }


def _place(r: Row) -> Row:
    inside = f" in {r['parent_name']}" if r["parent_name"] else ""
    return r | {
        "meta": f"{r['type'] or 'place'}{inside}",
        "group": (r["path"] or "").split(" / ")[0],
        "depth": r["depth"],
        "counts": _counts(r, ("events", "event"), ("facts", "fact"), ("named", "")),
    }


def _event(r: Row) -> Row:
    when = date_words(r["date"]) or (
        f"during {date_words(r['during'])}" if r["during"] else "date not stated"
    )
    where = f" · {r['place_name']}" if r["place_name"] else ""
    status = " · planned" if r["status"] == "planned" else ""
    return r | {
        "meta": f"{when} · {r['type']}{where}{status}",
        "group": (r["start"] or "")[:4] or "Date not stated",
        "counts": _counts(r, ("sources", "source"), ("facts", "fact"), ("said", "statement")),
    }


def _source(r: Row) -> Row:
    return r | {
        "name_en": r["title_en"],
        "meta": f"{r['publisher']} · {published_words(r['published'])}",
        "lang": r["language"],
        "counts": _counts(
            r, ("claims", "fact"), ("events", "event"), ("positions", "position"), ("said", "statement")
        ),
    }


def _property(r: Row) -> Row:
    unit = f", in {r['unit']}" if r["unit"] else ""
    return r | {
        "meta": f"{r['value_type']}{unit}",
        "lang": "en",
        "counts": _counts(r, ("facts", "fact"), ("subjects", "subject")),
        "name_en": None,
    }


_PAGE = "limit :limit offset :offset"
_NAMED = "(select count(*) from mentions where entity = {t}.id) as named"
INDEXES: dict[str, Index] = {
    "people": Index(
        "People",
        "person",
        "persons",
        "Everyone the articles name, with their posts and what they said.",
        "select p.id, p.name, p.name_en, (select group_concat(title_en, '; ') from (select distinct "
        "title_en from positions where person = p.id)) as titles, (select count(*) from positions "
        "where person = p.id) as posts, (select count(*) from claims where subject = p.id) as facts, "
        "(select count(*) from statements where speaker = p.id) as said, "
        f"{_NAMED.format(t='p')} from persons p where {{filter}} order by p.search_key, p.id {_PAGE}",
        _person,
        "p.search_key like '%' || fb_fold(:q) || '%'",
    ),
    "organizations": Index(
        "Organizations",
        "organization",
        "organizations",
        "Associations, parliamentary groups, ministries, agencies and companies the articles name.",
        "select o.id, o.name, o.name_en, o.type, c.name_en as country_name, (select count(*) from "
        "positions where organization = o.id) as posts, (select count(*) from (select event from "
        "event_organizers where entity = o.id union select event from event_participants where "
        "entity = o.id)) as events, (select count(*) from claims where subject = o.id) as facts, "
        f"{_NAMED.format(t='o')} from organizations o left join places c on c.id = o.country "
        f"where {{filter}} order by coalesce(o.name_en, o.name), o.id {_PAGE}",
        _organization,
        "o.search_key like '%' || fb_fold(:q) || '%'",
    ),
    "places": Index(
        "Places",
        "place",
        "places",
        "Countries, provinces, cities and sites, each under the place it lies in, with the events "
        "held there (or anywhere inside it).",
        "select pl.id, pl.name, pl.name_en, pl.type, pa.name_en as parent_name, "
        "(select group_concat(n, ' / ') from (select coalesce(r.name_en, r.name) as n from "
        "places_within w join places r on r.id = w.within where w.place = pl.id order by w.depth "
        "desc)) as path, (select max(depth) from places_within where place = pl.id) as depth, "
        "coalesce(held.events, 0) as events, (select count(*) from claims where subject = pl.id) as facts, "
        f"{_NAMED.format(t='pl')} from places pl left join places pa on pa.id = pl.parent "
        # Events in each place or inside it, counted once for every place (no index on place).
        "left join (select w.within, count(*) as events from events e join places_within w "
        "on w.place = e.place group by w.within) held on held.within = pl.id "
        f"where {{filter}} order by path, pl.id {_PAGE}",
        _place,
        "pl.search_key like '%' || fb_fold(:q) || '%'",
    ),
    "events": Index(
        "Events",
        "event",
        "events",
        "Every meeting, visit, festival, ceremony and signing, by date (the timeline shows them "
        "with filters).",
        "select ev.id, ev.name, ev.name_en, ev.date, ev.type, ev.status, d.date as during, "
        "coalesce(ev.date_start, d.date_start) as start, pl.name_en as place_name, (select "
        "count(distinct source) from evidence where record_kind = 'event' and record_id = ev.id) as "
        "sources, (select count(*) from claims where subject = ev.id) as facts, (select count(*) from "
        "statements where event = ev.id) as said from events ev left join places pl on pl.id = "
        "ev.place left join inferred_dates d on d.record_kind = 'event' and d.record_id = ev.id and "
        f"d.relation = 'during' where {{filter}} order by start is null, start, ev.id {_PAGE}",
        _event,
        "ev.search_key like '%' || fb_fold(:q) || '%'",
    ),
    "sources": Index(
        "Sources",
        "source",
        "sources",
        "The archived articles every quote comes from, newest first, with the records that quote each.",
        # The page's sources first, then their records counted in one pass over their evidence.
        "with page as (select s.id, s.title as name, s.title_en, s.publisher, s.published, "
        "s.published_start, s.language from sources s where {filter} order by s.published_start "
        f"desc, s.id {_PAGE}), quoted as (select source, "
        + ", ".join(
            f"count(distinct case when record_kind = '{k}' then record_id end) as {c}"
            for k, c in (
                ("claim", "claims"),
                ("event", "events"),
                ("position", "positions"),
                ("statement", "said"),
            )
        )
        + " from evidence where source in (select id from page) group by source) "
        "select page.*, quoted.claims, quoted.events, quoted.positions, quoted.said from page "
        "left join quoted on quoted.source = page.id order by page.published_start desc, page.id",
        _source,
        "fb_fold(s.title || ' ' || coalesce(s.title_en, '') || ' ' || s.publisher) "
        "like '%' || fb_fold(:q) || '%'",
    ),
    "properties": Index(
        "Properties",
        "property",
        "properties",
        "What the facts measure or state, each with every value it takes.",
        "select p.id, p.label_en as name, p.label_vi as vi, p.value_type, p.unit, (select count(*) "
        "from claims where property = p.id) as facts, (select count(distinct subject) from claims "
        f"where property = p.id) as subjects from properties p where {{filter}} order by p.label_en {_PAGE}",
        _property,
        "fb_fold(p.label_en || ' ' || p.label_vi) like '%' || fb_fold(:q) || '%'",
    ),
}


def _number(text: str) -> int:
    return int(text) if text.isdigit() and 0 < int(text) < 1_000_000 else 1


async def load(page: Page) -> Context:
    of = str(page.request.url_vars["of"])
    index = INDEXES[of]
    q, number = page.arg("q").strip(), _number(page.arg("page"))
    where = index.filter if q else "1"
    found = await rows(
        page.db,
        index.sql.format(filter=where),
        {"q": q, "limit": INDEX_PAGE + 1, "offset": (number - 1) * INDEX_PAGE},
    )
    total = (await page.db.execute(f"select count(*) from [{index.table}]")).first()[0]
    return {
        "of": of,
        "index": index,
        "q": q,
        "rows": [index.row(r) for r in found[:INDEX_PAGE]],
        "total": total,
        "total_words": count_words(of, total),
        "page": number,
        "first": (number - 1) * INDEX_PAGE + 1,
        "more": len(found) > INDEX_PAGE,
        "others": [(path, i.title) for path, i in INDEXES.items() if path != of],
    }


PAGE = PageKind(
    name="index",
    route=r"^/(?P<of>" + "|".join(INDEXES) + ")$",
    template="index.html",
    load=load,
)


def count_words(of: str, count: int) -> str:
    """`1 person`, `3 places`: a count in an index's own noun."""
    noun = {"people": "person", "properties": "property"}.get(of, of.rstrip("s"))
    return plural(count, noun)
