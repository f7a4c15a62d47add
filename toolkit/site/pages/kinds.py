"""The built-in page kinds, registered in this order, which is also the order of the search
filter's kinds. A new kind is one module in this package, one line here, one template and
one test."""

from __future__ import annotations

from toolkit.site.pages import (
    all_facts,
    claim,
    download,
    event,
    home,
    indexes,
    organization,
    person,
    place,
    position,
    property,
    search,
    source,
    statement,
    timeline,
)
from toolkit.site.pages.registry import PAGES, PageKind

BUILT_IN: tuple[PageKind, ...] = tuple(
    module.PAGE
    for module in (
        home,
        search,
        timeline,
        person,
        organization,
        place,
        event,
        claim,
        position,
        statement,
        source,
        property,
        download,
        indexes,
        all_facts,
    )
)
for _kind in BUILT_IN:
    PAGES.register(_kind)

__all__ = ["BUILT_IN", "PAGES"]
