"""The tables the build makes by query rather than from records: the flat list of facts (a
table, for speed), the reader's tables (source lines, the site's search) and the views. Each is
declared with its columns like a record table; a column that repeats another table's names it
(`same_as`), and the registry copies that description."""

from __future__ import annotations

from datetime import date

from toolkit.build.table import C, Column, Table

_VALUE_KEY = (
    "coalesce({t}.amount_exact || ' ' || {t}.unit || ' ' || {t}.comparator, "
    "{t}.value_date, {t}.value_entity, {t}.value_text)"
)


def _same(table: str, *names: str) -> tuple[Column, ...]:
    return tuple(C(n, same_as=(table, n)) for n in names)


# Built as a table, not a view: the flat list is what readers open first, and a table's first
# page, count and sort come from an index instead of a join over every claim.
CLAIMS_FLAT = Table(
    "claims_flat",
    "One row per fact and quote: the statement, its value in words, subject, date, source and the exact "
    "quote come first; each fact links to its page. A fact quoted from two passages has two rows, so "
    "this table has more rows than there are facts (the home page counts facts). Search ignores "
    "diacritics. The whole dataset (events, positions, people too) is the everything download on the "
    "home page.",
    (
        C("claim_id", same_as=("claims", "id")),
        C("statement_en", same_as=("claims", "statement_en")),
        C("value_words", "The value as a reader says it: about USD 9.8 million, 15–20 delegations."),
        C("subject_name", same_as=("entities", "name")),
        C("time_words", "When the value holds, in words: since 2006, first half of 2023."),
        C("source_title", same_as=("sources", "title")),
        C("quote", same_as=("evidence", "quote")),
        C("subject", same_as=("claims", "subject")),
        C("subject_name_en", same_as=("entities", "name_en")),
        C("subject_kind", same_as=("entities", "kind")),
        C("property", same_as=("claims", "property")),
        C("property_label", same_as=("properties", "label_en")),
        C("property_label_vi", same_as=("properties", "label_vi")),
        C("value_type", same_as=("claims", "value_type")),
        C("amount", float, same_as=("claims", "amount")),
        *_same("claims", "amount_exact", "unit", "comparator"),
        C("lower", float, same_as=("claims", "lower")),
        C("upper", float, same_as=("claims", "upper")),
        *_same("claims", "original", "value_date", "value_entity"),
        C("value_entity_name", same_as=("entities", "name")),
        *_same(
            "claims", "value_text", "value_text_en", "point_in_time", "period_start", "period_end", "rank"
        ),
        C("source", same_as=("evidence", "source")),
        C("publisher", same_as=("sources", "publisher")),
        # As the record writes it (a date-time, a day or a window): the exports give the two
        # days below instead, which data tools read as dates.
        C("published", same_as=("sources", "published"), export=False),
        C("line", int, same_as=("evidence", "line")),
        C("evidence_id", same_as=("evidence", "id")),
        C(
            "search_key",
            "The words of subject, statement and quote that hold đ, folded (Đặng as dang), so search "
            "finds them typed without it.",
            export=False,
        ),
        C("published_start", date, same_as=("sources", "published_start")),
        C("published_end", date, same_as=("sources", "published_end")),
    ),
    pk="claim_id",
    sql="""
select c.id as claim_id, c.statement_en,
  fb_value_words(c.value_type, c.amount_exact, c.unit, c.comparator, c.lower, c.upper, c.value_date,
    case when ve.kind = 'person' then ve.name else coalesce(ve.name_en, ve.name) end,
    c.value_text, c.value_text_en) as value_words,
  s.name as subject_name, fb_time_words(c.point_in_time, c.period_start, c.period_end) as time_words,
  src.title as source_title, e.quote,
  c.subject, s.name_en as subject_name_en,
  s.kind as subject_kind, c.property, p.label_en as property_label, p.label_vi as property_label_vi,
  c.value_type, c.amount, c.amount_exact, c.unit, c.comparator, c.lower, c.upper, c.original,
  c.value_date, c.value_entity, ve.name as value_entity_name, c.value_text, c.value_text_en,
  c.point_in_time, c.period_start, c.period_end, c.rank,
  e.source, src.publisher, src.published, e.line,
  e.id as evidence_id, fb_dkey(s.name, s.name_en, c.statement_en, c.original, e.quote) as search_key,
  src.published_start, src.published_end
from claims c
join entities s on s.id = c.subject
join properties p on p.id = c.property
left join entities ve on ve.id = c.value_entity
join evidence e on e.record_kind = 'claim' and e.record_id = c.id
join sources src on src.id = e.source
order by c.id, e.seq""",
    search=("statement_en", "subject_name", "quote", "search_key"),
    site={"title": "Every fact with its quote", "sort": "claim_id", "size": 20},
)
# Indexes of the flat list, made with it.
CLAIMS_FLAT_INDEXES = ("claim_id", "subject", "property", "source")

# Built for the site, not part of the dataset's exports: the search index is derived, and the
# source texts remain their publishers' (records are CC BY; the texts are not).
SOURCE_LINES = Table(
    "source_lines",
    "Every line of every archived page, marked article body, excluded or furniture.",
    (
        C("source", "Id of the source."),
        C("line", int, "Line number in the archived text (1-based)."),
        C("start", int, "Character offset where the line starts in the source text (0-based)."),
        C("text", "The line as archived."),
        C("part", "body (the article), excluded (inside the body but not the article) or furniture."),
        C("note", "Why an excluded line is not the article."),
    ),
    pk=("source", "line"),
    order=("source", "line"),
    export=False,
    site={"facets": ["source", "part"]},
)
SITE_SEARCH = Table(
    "site_search",
    "The site-wide search index over every kind.",
    (
        C("rowid", int, "Row number."),
        C("kind", "person, organization, place, event, position, claim or source."),
        C("record_id", "Id of the record."),
        C("name", "Its name or title as written."),
        C("name_en", "Its name, title or statement in English."),
    ),
    pk="rowid",
    export=False,
    site={"hidden": True},
)

POSITIONS_BY_PERSON = Table(
    "positions_by_person",
    "Positions with the person's and organization's names.",
    (
        C("person", same_as=("positions", "person")),
        C("person_name", same_as=("persons", "name")),
        C("person_name_en", same_as=("persons", "name_en")),
        *_same("positions", "title", "title_en"),
        C("organization_name", same_as=("organizations", "name")),
        *_same("positions", "as_of", "status"),
        C("source", same_as=("evidence", "source")),
        C("source_title", same_as=("sources", "title")),
        C("quote", same_as=("evidence", "quote")),
        C("position_id", same_as=("positions", "id")),
    ),
    sql="""
select pe.id as person, pe.name as person_name, pe.name_en as person_name_en, po.title, po.title_en,
  o.name as organization_name, po.as_of, po.status, e.source, src.title as source_title, e.quote,
  po.id as position_id
from positions po
join persons pe on pe.id = po.person
left join organizations o on o.id = po.organization
join evidence e on e.record_kind = 'position' and e.record_id = po.id and e.seq = 0
join sources src on src.id = e.source
order by pe.name, po.as_of""",
    view=True,
)
TIMELINE = Table(
    "timeline",
    "Events in date order.",
    (
        *_same("events", "date_start", "date_end", "date", "name", "name_en", "type", "status"),
        C("place_name", same_as=("places", "name")),
        C("place_name_en", same_as=("places", "name_en")),
        C("sources", int, "How many sources state the event."),
        C("event", same_as=("events", "id")),
    ),
    sql="""
select ev.date_start, ev.date_end, ev.date, ev.name, ev.name_en, ev.type, ev.status,
  pl.name as place_name, pl.name_en as place_name_en,
  (select count(distinct source) from evidence where record_kind = 'event' and record_id = ev.id) as sources,
  ev.id as event
from events ev left join places pl on pl.id = ev.place
order by ev.date_start, ev.date_end, ev.id""",
    view=True,
    site={"facets": ["type", "status"]},
)
CORROBORATED = Table(
    "corroborated_claims",
    "Claims stated by more than one source.",
    (
        C("claim_id", same_as=("claims", "id")),
        *_same("claims", "subject", "property", "statement_en"),
        C("sources", int, "How many sources state the claim."),
        C("source_ids", "Their ids, comma-separated."),
    ),
    sql="""
select c.id as claim_id, c.subject, c.property, c.statement_en,
  count(distinct e.source) as sources, group_concat(distinct e.source) as source_ids
from claims c join evidence e on e.record_kind = 'claim' and e.record_id = c.id
group by c.id having count(distinct e.source) > 1
order by c.id""",
    view=True,
)
CONFLICTS = Table(
    "conflicts",
    "Same subject, property and time with different values from different sources, where no rank "
    "resolves them.",
    (
        C("subject", same_as=("claims", "subject")),
        C("subject_name", same_as=("entities", "name")),
        C("property", same_as=("claims", "property")),
        C("claim_a", "One claim."),
        C("value_a", "Its value."),
        C("claim_b", "A claim that gives another value."),
        C("value_b", "Its value."),
        C("time", "When both values hold."),
    ),
    sql=f"""
select a.subject, s.name as subject_name, a.property,
  a.id as claim_a, {_VALUE_KEY.format(t="a")} as value_a,
  b.id as claim_b, {_VALUE_KEY.format(t="b")} as value_b,
  coalesce(a.point_in_time, a.period_start, '') as time
from claims a
join claims b on a.subject = b.subject and a.property = b.property and a.id < b.id
  and coalesce(a.point_in_time, '') = coalesce(b.point_in_time, '')
  and coalesce(a.period_start, '') = coalesce(b.period_start, '')
  and coalesce(a.period_end, '') = coalesce(b.period_end, '')
join entities s on s.id = a.subject
where {_VALUE_KEY.format(t="a")} is not {_VALUE_KEY.format(t="b")}
  and a.rank = 'normal' and b.rank = 'normal'
  and not exists (
    select 1 from evidence ea join evidence eb on ea.source = eb.source
    where ea.record_kind = 'claim' and ea.record_id = a.id
      and eb.record_kind = 'claim' and eb.record_id = b.id)
order by a.subject, a.property, a.id""",
    view=True,
)
# Made after the records' tables from what several files hold (toolkit/build/links.py).
MENTIONS = Table(
    "mentions",
    "The people, organizations and places each record's quotes name, by name, English name or "
    "alias as written (where names overlap, the longest: an embassy's name does not also name its "
    "country): a fact or statement lists whom it names, an entity's page what names it.",
    (
        C("record_kind", "claim, event, position or statement."),
        C("record_id", "Id of the record whose quote names the entity."),
        C("entity", "Id of the person, organization or place named."),
        C("entity_kind", "person, organization or place."),
        C("written", "The name as the quote writes it (the first time)."),
        C("evidence_id", "Id of the evidence whose quote names it first."),
    ),
    pk=("record_kind", "record_id", "entity"),
    fks=(("entity", "entities", "id"), ("evidence_id", "evidence", "id")),
    order=("record_kind", "record_id", "entity"),
    site={"facets": ["entity_kind", "record_kind"]},
)
PLACES_WITHIN = Table(
    "places_within",
    "Every place with each place it lies within, itself included: what a filter by a place "
    "finds (a country finds what is in its provinces and cities).",
    (
        C("place", "Id of a place."),
        C("within", "Id of the place it lies within, at any depth, or of itself."),
        C("depth", int, "How many levels up: 0 the place itself, 1 its parent, 2 the parent's parent …"),
    ),
    pk=("place", "within"),
    fks=(("place", "places", "id"), ("within", "places", "id")),
    order=("within", "depth", "place"),
)
INFERRED_DATES = Table(
    "inferred_dates",
    "Dates the records imply without stating them: a statement made at a dated event takes the "
    "event's date; an undated part of a dated event lies within its parent's dates; a planned or "
    "expected item, or one its source dates no other way, is so as of its source's publication.",
    (
        C("record_kind", "statement, event or claim."),
        C("record_id", "Id of the record."),
        C(
            "relation",
            "event (said at an event, on its date), during (within a larger event's dates) or as_of "
            "(stated as of the source's publication date).",
        ),
        C("date", "The date, as records write dates (2023-11-10/2023-11-12)."),
        C("date_start", date, "First day it covers (ISO 8601)."),
        C("date_end", date, "Last day it covers (ISO 8601)."),
        C("from_kind", "event or source: the record the date comes from."),
        C("from_id", "Id of that event or source."),
    ),
    pk=("record_kind", "record_id", "relation"),
    order=("record_kind", "record_id", "relation"),
    site={"facets": ["record_kind", "relation"]},
)
SITE_NAMES = Table(
    "site_names",
    "Every name, English name, alias and title of each person, organization, place, event and "
    "source, folded as search folds them: a search for a whole name finds its record first.",
    (
        C("name_key", "The name, lower case, without diacritics (đ as d)."),
        C("kind", "person, organization, place, event or source."),
        C("record_id", "Id of the record."),
    ),
    pk=("name_key", "kind", "record_id"),
    order=("name_key", "kind", "record_id"),
    export=False,
    site={"hidden": True},
)
BUILD_INFO = Table(
    "build_info",
    "Provenance of this build: toolkit version, counts, hashes.",
    (C("key", "What is recorded."), C("value", "Its value.")),
    pk="key",
)
