"""Record skeletons (`toolkit new`): a schema-valid record of any kind but sources, appended
with an unused id to the file it belongs in. A skeleton holds only what validates, or a TODO
the validator refuses until it is replaced; what the quote states (a figure, a date, a hedge,
a speech verb) is filled in the way the validator reads it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.contrib.record_files import append_records, slug, unused_id, used_ids
from toolkit.core.dates import InvalidDate, format_span
from toolkit.core.problems import UsageError
from toolkit.core.settings import DatasetSettings
from toolkit.core.text import fold_text
from toolkit.languages import DateMention, Language, NumberMention, language
from toolkit.languages.base import counted_noun, noun_named
from toolkit.records.fields import ID_PATTERN
from toolkit.records.models import ACTOR_KINDS, KIND_TABLE, Kind, kind_named, singular
from toolkit.validate.engine import Dataset, Project, validate_project
from toolkit.validate.rules.wording import hedged

TODO = "TODO"


@dataclass(frozen=True)
class NewRecord:
    """A skeleton appended to a record file."""

    path: Path
    kind: Kind
    record: dict[str, Any]


def new_record(root: Path, kind_name: str, fields: dict[str, Any], file: Path | None = None) -> NewRecord:
    """Append a skeleton of the kind named (`claim`, `persons` …) to the right file with an
    unused id; `fields` fill in what is known (None: not given)."""
    kind = kind_named(kind_name)
    if kind is None or kind.plural == "sources":
        kinds = ", ".join(k.singular for k in KIND_TABLE if k.plural != "sources")
        raise UsageError(
            f"unknown kind {kind_name!r}: use one of {kinds} (sources come with `toolkit add-source`)"
        )
    fields = {k: v for k, v in fields.items() if v is not None}
    if "id" in fields and not re.fullmatch(ID_PATTERN, str(fields["id"])):
        raise UsageError(
            f"--id {fields['id']!r} is not an id: a slug of lowercase letters and digits joined by "
            f"- _ or . (for example {slug(str(fields['id'])) or 'new-record'!r})"
        )
    project = Project.find(root)
    file = _file_for(project, kind, fields, file)
    data = validate_project(project.root).dataset
    if fields.get("source"):
        published, tag = _of_source(data, fields["source"])
        fields = {**fields, "published": published, "language": tag}
        if kind.plural == "statements" and fields.get("quote") and not fields.get("verb"):
            fields["paragraph"] = _paragraph_of(data, fields["source"], fields["quote"])
    if kind.plural == "claims" and fields.get("property"):
        prop = next((e.record for e in data.valid("properties") if e.record.id == fields["property"]), None)
        if prop is not None:
            fields = {
                **fields,
                "value_type": str(prop.value_type),
                "unit": fields.get("unit") or prop.unit,
                "nouns": tuple(prop.nouns),
            }
    base = fields.get("id") or slug(_id_words(kind.plural, fields))
    record = skeleton(kind.plural, unused_id(used_ids(data), base), fields)
    return NewRecord(append_records(project, file, kind.plural, [record]), kind, record)


def _file_for(project: Project, kind: Kind, fields: dict[str, Any], file: Path | None) -> Path:
    """The file named, or the kind's own (`facts/{source}.yaml` for evidenced kinds); under seeds/."""
    where = kind.default_file
    if file is None:
        if "{source}" not in where:
            file = project.seeds / where
        elif fields.get("source"):
            file = project.seeds / where.format(source=fields["source"])
        else:
            raise UsageError(f"say where the new {kind.singular} goes: --source SOURCE or --file FILE")
    elif not file.is_absolute():
        file = Path.cwd() / file
    try:
        file.resolve().relative_to(project.seeds.resolve())
    except ValueError:
        raise UsageError(f"{file}: record files live under {project.seeds}") from None
    return file


def _id_words(kind: str, fields: dict[str, Any]) -> str:
    """Readable words for a new id: a claim's subject and property, a position's person and
    title, otherwise the name (`vo-van-thuong`, not `person-vo-van-thuong`)."""
    if kind == "claims" and fields.get("subject") and fields.get("property"):
        return f"{fields['subject']} {fields['property']}"
    if kind == "positions" and fields.get("person") and fields.get("title"):
        return f"{fields['person']} {fields['title']}"
    if kind == "statements" and fields.get("person"):
        return f"{fields['person']} {fields.get('verb') or 'said'}"
    return str(fields.get("name_en") or fields.get("name") or f"new {singular(kind)}")


def _of_source(data: Dataset, source_id: str) -> tuple[str, str]:
    """The source's publication date (without time), for `as_of` and `point_in_time`, and its
    language tag, for reading the quote."""
    for e in data.valid("sources"):
        if e.record.id == source_id:
            tag = e.record.language or data.project.settings.dataset.language
            return str(e.record.published).split("T", 1)[0], str(tag)
    raise UsageError(f"no valid source {source_id!r}: add it with `toolkit add-source` first")


def _paragraph_of(data: Dataset, source_id: str, quote: str) -> str:
    """The paragraph (line) of the source a quote lies in, or "" where it is not found."""
    text = data.texts.get(source_id)
    found = (text.find_all(quote) or text.find_all(quote, loose=True)) if text is not None else []
    return text.line(found[0].line)[1] if text is not None and found else ""


# ------------------------------------------------------------------ skeletons


def _speech_verb(lang: Language, quote: str, paragraph: str) -> re.Match[str] | None:
    """The verb of saying in the quote, else the one nearest it in its paragraph (`…”, ông
    nói` leaves the verb outside the words said)."""
    said = lang.speech_verbs.search(quote)
    if said or not paragraph:
        return said
    at = max(paragraph.find(quote), 0)
    verbs = list(lang.speech_verbs.finditer(paragraph))
    return min(verbs, key=lambda m: min(abs(m.start() - at), abs(m.start() - at - len(quote))), default=None)


def _lang(fields: dict[str, Any]) -> Language:
    """The pack of the quote's source (`fields["language"]`, set by whoever knows the source)."""
    return language(fields.get("language") or DatasetSettings().language)


def skeleton(kind: str, record_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    """A schema-valid record to edit; `fields` fill in what is known (source, quote, subject …)."""
    if kind in ACTOR_KINDS:
        return _actor(kind, record_id, fields)
    if kind == "properties":
        return _property(record_id, fields)
    if not fields.get("quote"):
        raise UsageError(f"a new {singular(kind)} needs --source and --quote (its evidence)")
    evidence = [{"source": fields["source"], "quote": fields["quote"]}]
    if kind == "events":
        return _event(record_id, fields, evidence)
    if kind == "positions":
        return _position(record_id, fields, evidence)
    if kind == "statements":
        said = _speech_verb(_lang(fields), fields["quote"], fields.get("paragraph") or "")
        return {
            "id": record_id,
            "speaker": fields.get("person") or TODO.lower(),
            "verb": fields.get("verb") or (said.group(0) if said else TODO),
            "text_en": fields.get("statement_en") or "TODO: a faithful English rendering of the quote.",
            "evidence": evidence,
        }
    return _claim(record_id, fields, evidence)


def _actor(kind: str, record_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    """A person, organization or place: its names (and an organization's or place's parent)."""
    out: dict[str, Any] = {
        "id": record_id,
        "name": fields.get("name") or TODO,
        "name_en": fields.get("name_en") or TODO,
    }
    if kind != "persons" and fields.get("parent"):
        out["parent"] = fields["parent"]
    return out


def _property(record_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    """A term of the vocabulary: its labels, value type and unit."""
    prop: dict[str, Any] = {
        "id": record_id,
        "label": fields.get("name") or TODO,
        "label_en": fields.get("name_en") or TODO,
        "value_type": fields.get("value_type") or "quantity",
    }
    if fields.get("unit"):
        prop["unit"] = fields["unit"]
    return prop


def _event(record_id: str, fields: dict[str, Any], evidence: list[dict[str, str]]) -> dict[str, Any]:
    """An event, dated where the quote states a date, of the kind its words name (`thăm`: a
    visit; else other)."""
    lang, quote = _lang(fields), fold_text(fields["quote"])
    named = next((kind for pattern, kind in lang.event_words if pattern.search(quote)), None)
    out: dict[str, Any] = {
        "id": record_id,
        "type": fields.get("type") or named or "other",
        "name": fields.get("name") or TODO,
    }
    out["name_en"] = fields.get("name_en") or TODO
    stated = _stated_span(lang.read_dates(quote), fields.get("published"))
    if stated:
        out["date"] = stated
    out["evidence"] = evidence
    return out


def _position(record_id: str, fields: dict[str, Any], evidence: list[dict[str, str]]) -> dict[str, Any]:
    """A post as of a day; a term the quote states (`nhiệm kỳ 2015-2018`) fills since and
    until, and a term over before the page appeared makes the post former."""
    out: dict[str, Any] = {
        "id": record_id,
        "person": fields.get("person") or TODO.lower(),
        "title": fields.get("title") or TODO,
        "title_en": fields.get("title_en") or TODO,
        "as_of": _as_of(fields),
    }
    term = _lang(fields).terms.search(fold_text(fields["quote"]))
    if term:
        published = str(fields.get("published") or "")
        if published[:4].isdigit() and int(term["until"]) < int(published[:4]):
            out["status"] = "former"
        out["since"], out["until"] = term["since"], term["until"]
    out["evidence"] = evidence
    return out


def _as_of(fields: dict[str, Any]) -> str:
    """A post's `as_of`: a day, never a window — the one the quote states, else the day its
    page was published; a page dated only by a window leaves it for the contributor."""
    lang, published = _lang(fields), fields.get("published")
    stated = _stated_span(lang.read_dates(fold_text(fields["quote"])), published)
    for day in (stated, published):
        if day and "/" not in day and len(day) == 10:
            return day
    return TODO


def _claim(record_id: str, fields: dict[str, Any], evidence: list[dict[str, str]]) -> dict[str, Any]:
    """A claim: the value the quote states, when it holds, and whether the source hedges it."""
    quote, lang = fold_text(fields["quote"]), _lang(fields)
    dates = lang.read_dates(quote)
    published = fields.get("published")
    out: dict[str, Any] = {
        "id": record_id,
        "subject": fields.get("subject") or "todo",
        "property": fields.get("property") or "todo",
    }
    out["value"] = _claim_value(lang, quote, dates, fields)
    stated = _stated_span(dates, published)
    if "date" not in out["value"]:
        # Only a date the quote states: the day the page appeared is no time of the fact (an
        # incidental point_in_time read as when a figure held).
        when = stated
        if when and "/" in when:
            start, end = when.split("/", 1)
            out["period"] = {"start": start, "end": end}
        elif when:
            out["point_in_time"] = when
    if hedged(lang, quote, None):  # dự kiến, có thể, sẽ …: not a plain fact
        out["modality"] = "expected"
    out["statement_en"] = fields.get("statement_en") or "TODO: the claim as one English sentence."
    out["evidence"] = evidence
    return out


def _claim_value(
    lang: Language, quote: str, dates: list[DateMention], fields: dict[str, Any]
) -> dict[str, Any]:
    """The value, of the type the property takes: the figure with its unit, the date stated,
    or the words to write; TODO where the quote does not say it."""
    wanted = fields.get("value_type")
    published = fields.get("published")
    value = None
    if wanted in (None, "quantity"):
        nouns = (*fields.get("nouns", ()), *lang.unit_nouns.get(fields.get("unit") or "", ()))
        value = _figure(lang, quote, fields.get("unit"), nouns)
    stated = _stated_span(dates, published)
    if value is not None:
        return value
    if stated is not None and dates and wanted in (None, "date"):
        return {"date": stated, "original": dates[0].text}
    if wanted == "entity":
        return {"entity": "todo"}
    return {"text": "TODO: the value in the source's words"}


_ISO_CURRENCY = re.compile(r"^[A-Z]{3}$")


def _figure(lang: Language, quote: str, unit: str | None, nouns: tuple[str, ...]) -> dict[str, Any] | None:
    """The quote's figure with its unit, only where the unit is known: a percentage, a
    currency the quote names, or `--unit` (never a currency the quote does not name, so
    `10 tháng` never becomes 10 USD), the number its noun follows first (`4 ngày` for days,
    not the `40` of `40 hoạt động`); a rank is the ordinal of its noun. None: nothing that
    would validate."""
    if unit == "rank":
        return _rank(lang, quote, nouns)
    numbers = lang.read_numbers(quote)
    if nouns:  # the number that counts the unit's noun, before any other
        numbers.sort(key=lambda n: counted_noun(quote, n.end, nouns) is not True)
    for n in numbers:
        if n.percent:
            found = "percent"
        elif n.currency:
            found = n.currency
        elif unit and not _ISO_CURRENCY.match(unit):
            found = unit
        else:
            continue
        value: dict[str, Any] = {"amount": n.value, "unit": found}
        if n.comparator != "exact":
            value["comparator"] = n.comparator
        if n.comparator == "range":
            value["lower"], value["upper"] = n.lower, n.upper
        value["original"] = _original(lang, quote, n)
        return value
    return None


def _rank(lang: Language, quote: str, nouns: tuple[str, ...]) -> dict[str, Any] | None:
    """The rank the quote states for the property's noun (the first, with no nouns known)."""
    for r in lang.read_ranks(quote):
        if not nouns or noun_named(quote[r.noun_start : r.noun_end], nouns):
            return {"amount": r.value, "unit": "rank", "original": r.text}
    return None


def _original(lang: Language, quote: str, mention: NumberMention) -> str:
    """The number's wording with the comparator word before it and the currency after it
    (`khoảng 9,8 triệu đô la`). Never the word after it: a counted noun's first syllable cut
    a word (`3 lĩnh` of `3 lĩnh vực`), and after a percentage it is no part of the figure."""
    before = quote[max(0, mention.start - 30) : mention.start]
    m = lang.comparator_before.search(before)
    start = mention.start - (len(before) - m.start()) if m else mention.start
    currency = next((m for pattern, _ in lang.currencies if (m := pattern.match(quote[mention.end :]))), None)
    end = mention.end + (currency.end() if currency else 0)
    return quote[start:end].strip()


def _stated_span(dates: list[DateMention], published: str | None) -> str | None:
    """The first date the quote states, as a record writes it; a year it leaves out is the
    publication's (the validator reads it the same way)."""
    for mention in dates:
        year = mention.year or (int(published[:4]) if published else None)
        if year is None:
            continue
        try:
            return format_span(mention.span(year))
        except (InvalidDate, ValueError):
            continue
    return None
