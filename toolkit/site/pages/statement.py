"""The page of a statement: what a person said, in their words and in English, with their
post, the event and the article that reports it."""

from __future__ import annotations

from typing import Any

from toolkit.site.pages import facts, when
from toolkit.site.pages.registry import Context, Page, PageKind, record_route
from toolkit.site.pages.rows import Row, aliases, one


async def read(db: Any, statement_id: str) -> Row | None:
    """What a person said, with their name, post, organization and the event, in words."""
    row = await one(
        db,
        "select st.*, pe.name as speaker_name, pe.name_en as speaker_name_en, "
        "o.name as org_name, o.name_en as org_name_en, po.title as position_title, "
        "po.title_en as position_title_en, ev.name as event_name, ev.name_en as event_name_en "
        "from statements st join persons pe on pe.id = st.speaker "
        "left join organizations o on o.id = st.speaker_organization "
        "left join positions po on po.id = st.position left join events ev on ev.id = st.event "
        "where st.id = ?",
        [statement_id],
    )
    if row is None:
        return None
    # Said at a dated event: its date (a statement's record rarely repeats it).
    row["inferred"] = await when.one(db, "statement", statement_id)
    row["when"] = when.said_words(row["date"], row["inferred"])
    row["topics"] = aliases(row.get("topics"))
    return row


async def load(page: Page) -> Context | None:
    record = await read(page.db, page.id)
    if record is None:
        return None
    text = f"{record['speaker_name_en'] or record['speaker_name']}: {record['text_en']}"
    return await facts.context(page, record, text)


# No search_body: a statement's result shows its speaker and words, with no snippet.
PAGE = PageKind(
    name="statement",
    route=record_route("statement"),
    template="statement.html",
    load=load,
    table="statements",
    label="What was said",
    plural="What was said",
)
