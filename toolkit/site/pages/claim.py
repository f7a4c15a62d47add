"""The page of a claim (a fact): its statement, its subject and value with their names, the
value and time in words, its evidence and other claims about the same subject."""

from __future__ import annotations

from typing import Any

from toolkit.build.words import value_words
from toolkit.site.pages import facts, when
from toolkit.site.pages.registry import Context, Listing, Page, PageKind, record_route
from toolkit.site.pages.rows import Row, one, rows


async def read(db: Any, claim_id: str) -> Row | None:
    """A claim with its property's labels, its subject's and value's names, value and time in words."""
    row = await one(
        db,
        "select c.*, p.label_en, p.label_vi, s.name as subject_name, s.name_en as subject_name_en, "
        "s.kind as subject_kind, ve.name as value_entity_name, ve.name_en as value_entity_name_en, "
        "ve.kind as value_entity_kind, cf.value_words, cf.time_words, "
        "ac.name as according_to_name, ac.name_en as according_to_name_en, ac.kind as according_to_kind "
        "from claims c join properties p on p.id = c.property join entities s on s.id = c.subject "
        "left join entities ve on ve.id = c.value_entity left join entities ac on ac.id = c.according_to "
        "left join claims_flat cf on cf.claim_id = c.id where c.id = ? limit 1",
        [claim_id],
    )
    if row is None:
        return None
    row["value_words"] = row["value_words"] or value_words(row)
    # Planned, expected, or given no time of its own: so as of its page's date.
    row["as_of"] = when.as_of_words(await when.one(db, "claim", claim_id))
    row["more"] = await rows(
        db,
        "select id, statement_en from claims where subject = ? and id != ? order by id limit 10",
        [row["subject"], claim_id],
    )
    return row


async def load(page: Page) -> Context | None:
    record = await read(page.db, page.id)
    return None if record is None else await facts.context(page, record, record["statement_en"])


PAGE = PageKind(
    name="claim",
    route=record_route("claim"),
    template="claim.html",
    load=load,
    table="claims",
    label="Fact",
    plural="Facts",
    search_body=facts.quoted_body("claim"),
    id_columns=("claim_id", "claim_a", "claim_b"),
    listings=(
        Listing("claims", "statement_en"),
        Listing("claims_flat", "statement_en", id="claim_id", key="rowid"),
    ),
)
