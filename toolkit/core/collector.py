"""The cyclic garbage collector paused while a run builds what lives until its end."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block (nested pauses resume only at the outermost).

    A validation or build allocates millions of objects that live until it returns (records,
    summaries, the readers' memos): the collector would scan them again and again and find
    nothing to free. Reference counting still frees everything that dies; what is left when
    the block ends is scanned once, at the next collection."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
