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


def stale_compiled(package: str | None = None) -> list[str]:
    """Compiled modules older than their Python source (edited, or checked out, since `make
    fast`): running them beside the edited sources mixes two versions of the code, so the
    package then runs pure. Reads only file times: a few dozen stats at start-up."""
    root = package or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    found: list[tuple[str, str]] = []  # (folder, file) of each compiled module
    for folder, _, files in os.walk(root):
        found += [(folder, name) for name in files if name.endswith(tuple(EXTENSION_SUFFIXES))]
    # mypyc keeps the code in one shared library (`…__mypyc`) and a module's own file is a
    # stub that a rebuild leaves alone when unchanged: the code is as new as the newer of both.
    shared = max((_mtime(os.path.join(f, n)) for f, n in found if "__mypyc" in n), default=0.0)
    stale = []
    for folder, name in found:
        suffix = next(s for s in EXTENSION_SUFFIXES if name.endswith(s))
        source = os.path.join(folder, name[: -len(suffix)] + ".py")
        built = max(shared, _mtime(os.path.join(folder, name)))
        if "__mypyc" not in name and _mtime(source) > built + _SAME_INSTALL:
            stale.append(source)
    return stale


# An installer writes a package's files in any order within moments: only a source newer than
# its compiled module by more than this was edited after the build.
_SAME_INSTALL = 2.0


def _mtime(path: str) -> float:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0


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
