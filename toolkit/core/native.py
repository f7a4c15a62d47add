"""The compiled hot path (setup.py, `make fast`): which toolkit modules run compiled here, and
the switch that sets them aside.

With FACTBASE_PURE=1 in the environment every toolkit module is loaded from its Python source,
even where a compiled module sits beside it (an editable install built with `make fast`); the
toolkit's `__init__` installs the finder before any other toolkit module is imported, and
processes forked or started from this one keep it. Results are the same either way
(tests/test_compiled.py); only the speed differs."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from importlib.machinery import EXTENSION_SUFFIXES, SOURCE_SUFFIXES, FileFinder, ModuleSpec, SourceFileLoader
from types import ModuleType

PURE_ENV = "FACTBASE_PURE"


def pure_requested() -> bool:
    return os.environ.get(PURE_ENV, "") not in {"", "0"}


class SourcesOnly:
    """A meta path finder that finds the toolkit's modules among Python sources only."""

    @classmethod
    def find_spec(
        cls, name: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if not name.startswith("toolkit.") or not path:
            return None
        for entry in path:
            spec = FileFinder(entry, (SourceFileLoader, SOURCE_SUFFIXES)).find_spec(name, target)
            if spec is not None:
                return spec
        return None


def keep_pure() -> None:
    """Load every toolkit module imported from now on from its Python source."""
    if SourcesOnly not in sys.meta_path:
        sys.meta_path.insert(0, SourcesOnly)


def compiled_modules() -> list[str]:
    """The toolkit modules this process has loaded from compiled extensions (not counting
    the library they share, toolkit.compiled__mypyc)."""
    return sorted(
        name
        for name, module in list(sys.modules.items())
        if name.startswith("toolkit.")
        and not name.endswith("__mypyc")
        and str(getattr(module, "__file__", "")).endswith(tuple(EXTENSION_SUFFIXES))
    )
