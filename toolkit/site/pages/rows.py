"""Small readers every page shares: a query's rows as dicts, a record's row, an aliases list."""

from __future__ import annotations

import json
from typing import Any

Row = dict[str, Any]


async def rows(db: Any, sql: str, params: Any = None) -> list[Row]:
    """Every row a query gives, as dicts (the templates read them by name)."""
    return [dict(r) for r in (await db.execute(sql, params)).rows]


async def one(db: Any, sql: str, params: list[Any]) -> Row | None:
    """The first row a query gives, as a dict (None: no such record)."""
    found = (await db.execute(sql, params)).rows
    return dict(found[0]) if found else None


def aliases(value: object) -> list[str]:
    """The aliases column (a JSON list) as a list, never `[]` on screen."""
    if not isinstance(value, str) or not value:
        return []
    try:
        items = json.loads(value)
    except ValueError:
        return [value]
    return [str(i) for i in items] if isinstance(items, list) else []
