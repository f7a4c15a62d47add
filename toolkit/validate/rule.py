"""What every rule module is made of: codes declared as data, where a record is, the
record as loaded, and the per-file summary the cache keeps.

A rule module declares `CODES` with `declare(...)` and implements any of these hooks, which
`toolkit.validate.engine` calls in the registry's order (see `toolkit.validate.rules`):
- `summarise(entries) -> part`: what its cross-file check needs of one file (cached);
- `check_record(ctx, entry)`: needs nothing outside one valid record (cached with the file);
- `check_quoted(ctx, entry, quoted)`: runs once the record's quotes are found (cached);
- `check(ctx)`: runs on the whole project, every run, over the summaries.
Every hook returns problems; none appends to shared state."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from toolkit.core.problems import Severity
from toolkit.records.load import Document, PathKey

ERROR = Severity.error
WARNING = Severity.warning


@dataclass(frozen=True)
class Code:
    """A stable problem code, frictionless-style: slug, severity, what it means, how to fix."""

    slug: str
    severity: Severity
    description: str
    hint: str
    family: str = ""


ALL_CODES: dict[str, Code] = {}


def declare(family: str, *codes: Code) -> tuple[Code, ...]:
    """Register a module's codes; a slug declared twice is a programming error."""
    out = []
    for code in codes:
        if code.slug in ALL_CODES:
            raise ValueError(f"problem code {code.slug!r} is declared twice")
        named = Code(code.slug, code.severity, code.description, code.hint, family)
        ALL_CODES[code.slug] = named
        out.append(named)
    return tuple(out)


@dataclass(frozen=True)
class Where:
    """Where a record is: its file (as displayed), kind, index in that kind's list, and
    whether the file is a plain list of one kind (then the index is the whole path)."""

    display: str
    kind: str
    index: int
    in_list: bool = False

    @property
    def key(self) -> PathKey:
        """JSON path of the record: `claims[3]` in a record file, `[3]` in a list file."""
        return (self.index,) if self.in_list else (self.kind, self.index)


@dataclass
class Entry:
    """One record as found in a file: raw data, where it is, and its model once it is valid."""

    where: Where
    doc: Document
    raw: Any
    record: Any = None
    id: str | None = None

    def __post_init__(self) -> None:
        value = self.raw.get("id") if isinstance(self.raw, dict) else None
        self.id = value if isinstance(value, str) else None

    @property
    def kind(self) -> str:
        return self.where.kind

    @property
    def index(self) -> int:
        return self.where.index

    @property
    def key(self) -> PathKey:
        return self.where.key

    def at(self) -> str:
        """`file:line` of the record, for messages that point at another record."""
        line, _ = self.doc.locate(self.key)
        return f"{self.doc.display}:{line}"


T = TypeVar("T")


@dataclass
class Summary:
    """What the cross-file rules need of one record file, without its records: the ids it
    defines, the sources its evidence cites, and each rule module's own typed part."""

    in_list: bool = False
    ids: dict[str, list[str | None]] = field(default_factory=dict)  # kind -> id of each record
    cited: list[str] | None = None  # sources the file's evidence cites (None: no evidence)
    parts: dict[str, Any] = field(default_factory=dict)  # part type name -> the part

    def of(self, part: type[T]) -> T:
        found = self.parts[part.__name__]
        assert isinstance(found, part)
        return found
