"""The reader's pages, one module per kind, each declaring its `PAGE`: route, template,
loader, and what it adds to the link maps and the search filter (toolkit.site.pages.registry
says how). toolkit.site.pages.kinds registers the built-in kinds; the plugin reads them there.

This package's own import stays light (the registry only): the search, which the search page
imports, reads the registry too."""

from __future__ import annotations

from toolkit.site.pages.registry import PAGES, Listing, Page, PageKind, PageKindError, record_route, url_for

__all__ = ["PAGES", "Listing", "Page", "PageKind", "PageKindError", "record_route", "url_for"]
