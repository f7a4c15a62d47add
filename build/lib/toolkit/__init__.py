"""Fact base toolkit: prove hand-checked facts against their sources, build and publish them."""

from __future__ import annotations

__version__ = "0.1.0"
