"""The built-in page kinds, registered in this order, which is also the order of the search
filter's kinds. A new kind is one module in this package, one line here, one template and
one test."""

from __future__ import annotations

from toolkit.site.pages import (
    claim,
    download,
    event,
    home,
    organization,
    person,
    place,
    position,
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
        download,
    )
)
for _kind in BUILT_IN:
    PAGES.register(_kind)

__all__ = ["BUILT_IN", "PAGES"]
