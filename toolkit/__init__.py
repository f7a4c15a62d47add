"""Fact base toolkit: prove hand-checked facts against their sources, build and publish them.

The public API, for use from Python; each name is imported on first use, so `import toolkit`
(and `toolkit --version`) costs nothing:

    from toolkit import validate_project, build_database
    result = validate_project(Path("."))
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from toolkit.core.native import keep_pure, pure_requested, stale_compiled
from toolkit.core.version import __version__

# FACTBASE_PURE=1, or a source edited since `make fast`: compiled modules set aside.
if pure_requested() or stale_compiled():
    keep_pure()

# name -> module that defines it, by stage (see ARCHITECTURE.md)
_API = {
    "Problem": "toolkit.core.problems",
    "Severity": "toolkit.core.problems",
    "ToolkitError": "toolkit.core.problems",
    "UsageError": "toolkit.core.problems",
    "InvalidRecords": "toolkit.core.problems",
    "load_file": "toolkit.records.load",
    "validate_project": "toolkit.validate.engine",
    "build_database": "toolkit.build.database",
    "metadata": "toolkit.publish.metadata",
    "export": "toolkit.publish.export",
    "diff_databases": "toolkit.publish.diff",
    "coverage_report": "toolkit.contrib.coverage",
}
__all__ = ["__version__", *_API]

if TYPE_CHECKING:
    from toolkit.build.database import build_database as build_database
    from toolkit.contrib.coverage import coverage_report as coverage_report
    from toolkit.core.problems import InvalidRecords as InvalidRecords
    from toolkit.core.problems import Problem as Problem
    from toolkit.core.problems import Severity as Severity
    from toolkit.core.problems import ToolkitError as ToolkitError
    from toolkit.core.problems import UsageError as UsageError
    from toolkit.publish.diff import diff_databases as diff_databases
    from toolkit.publish.export import export as export
    from toolkit.publish.metadata import metadata as metadata
    from toolkit.records.load import load_file as load_file
    from toolkit.validate.engine import validate_project as validate_project


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
