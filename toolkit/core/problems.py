"""Problems are data: every check returns them, reporters render them, nothing prints.

The exceptions here are the failures the library raises where a caller must stop (an
unreadable file, a project that is not one); validation turns most of them into problems."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    error = "error"
    warning = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One finding: where (file, 1-based line and column, JSON path), a stable code, a message
    and the code's hint on how to fix it."""

    path: str
    line: int
    column: int
    code: str
    message: str
    severity: Severity = Severity.error
    json_path: str = "$"
    hint: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.error

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "json_path": self.json_path,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }


class ToolkitError(Exception):
    """Base of every failure the toolkit raises; `code` is the stable slug."""

    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(ToolkitError):
    """The call itself is wrong (a path outside the project, an unknown option value)."""

    code = "usage"


class ProjectNotFound(UsageError):
    """No `seeds/` folder where a project was expected."""

    code = "project-not-found"


class CannotWrite(ToolkitError):
    """A file or folder a command writes cannot be written (no permission, a read-only file
    system, a full disk); nothing half-written is left behind."""

    code = "cannot-write"

    def __init__(self, path: object, reason: object, advice: str = "") -> None:
        advice = advice or "check that the folder is writable and the disk has room, then run it again"
        super().__init__(f"{path}: cannot write it ({reason}): {advice}")
        self.path = path


def counted(n: int, noun: str) -> str:
    """`1 error`, `2 errors`: a count with its noun."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


LISTED = 10  # items a message names before it says how many more


def listed(items: Iterable[str], limit: int = LISTED, sep: str = ", ") -> str:
    """Items joined, the first `limit` and how many more: a message stays a line, whatever
    the input (a quote of 200 000 dates once put every one of them in its message)."""
    shown: list[str] = []
    more = 0
    for item in items:
        if len(shown) < limit:
            shown.append(item)
        else:
            more += 1
    return sep.join(shown) + (f"{sep}… ({more:,} more)" if more else "")


class InvalidRecords(ToolkitError):
    """The records do not validate, so the command that needs them (build, coverage, export)
    did nothing; `problems` says why."""

    code = "invalid-records"

    def __init__(self, problems: list[Problem], what: str = "nothing was built") -> None:
        errors = [p for p in problems if p.is_error]
        super().__init__(f"{counted(len(errors), 'error')} in the records: {what}")
        self.problems = problems


class LoadError(ToolkitError):
    """A record file that cannot be read into data; carries the position of the fault."""

    code = "load-error"

    def __init__(self, message: str, line: int = 1, column: int = 1, json_path: str = "$") -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.json_path = json_path


class UnreadableFile(LoadError):
    """The file cannot be opened or read at all (missing, a directory, no permission)."""

    code = "file-unreadable"


class FileTooLarge(LoadError):
    code = "file-too-large"


class NotUtf8(LoadError):
    code = "not-utf8"


class MalformedYaml(LoadError):
    code = "yaml-syntax"


class MalformedJson(LoadError):
    code = "json-syntax"


class DuplicateKey(LoadError):
    code = "duplicate-key"


class NestingTooDeep(LoadError):
    code = "nesting-too-deep"


class AliasLimitExceeded(LoadError):
    code = "alias-limit"


class NumberTooLarge(LoadError):
    """A number beyond what the toolkit holds exactly (`1e999999999`, 5 000 digits)."""

    code = "number-out-of-range"


class LineEndings(LoadError):
    """Lines ending in a lone CR (classic Mac OS): every tool would count the lines differently."""

    code = "line-endings"


class SymlinkedFile(LoadError):
    """A record file that is a symbolic link: it could point anywhere, outside seeds/ too."""

    code = "file-symlink"


class UnsupportedYaml(LoadError):
    """A YAML feature records never need (custom tags, several documents, complex keys)."""

    code = "yaml-unsupported"


class QuoteNotInSource(ToolkitError):
    """The quote is not in the source; `closest` is a suggestion, never a pass."""

    code = "quote-not-found"

    def __init__(self, message: str, closest: tuple[int, str, float] | None = None) -> None:
        super().__init__(message)
        self.closest = closest
