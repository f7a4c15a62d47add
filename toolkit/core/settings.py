"""A project's identity and defaults, in `factbase.toml` at its root: the dataset's name, title,
description, creator, licence, default language, database name and repository. The metadata,
the exports and data package, the site's pages and JSON-LD all read it, so nothing in the
toolkit names a dataset; a project without the file gets neutral defaults.

    [dataset]
    title = "Flood relief fact base, 2024"
    description = "Facts hand-checked against local news pages, each with its quote."
    creator = "The newsroom's data desk"
    license = "CC-BY-4.0"
    license_url = "https://creativecommons.org/licenses/by/4.0/"
    language = "en"
    database = "factbase"
    repository = "https://github.com/example/flood-facts"
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from toolkit.core.problems import UsageError

SETTINGS_FILE = "factbase.toml"
_SLUG = r"^[a-z0-9][a-z0-9._-]*$"


class DatasetSettings(BaseModel):
    """The `[dataset]` table: who publishes what, under which licence, in which language."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(default="Fact base", min_length=1, description="The dataset's full title.")
    name: str | None = Field(
        default=None, description="A short name for page titles and the header (default: the title)."
    )
    description: str = Field(
        default="Facts hand-checked against their sources, each with the exact quote it comes from.",
        description="One or two sentences: what the facts are and where they come from (plain text).",
    )
    creator: str = Field(default="The fact base's contributors", description="Who makes the dataset.")
    license: str = Field(default="CC-BY-4.0", description="SPDX id of the records' licence.")
    license_title: str | None = Field(default=None, description="The licence's name as readers see it.")
    license_url: str = Field(default="https://creativecommons.org/licenses/by/4.0/")
    rights_note: str = Field(
        default="source texts remain their publishers'",
        description="What the licence does not cover, said after it.",
    )
    language: str = Field(
        default="en",
        pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$",
        description="BCP 47 tag of the sources' language, for a source that names none.",
    )
    database: str = Field(
        default="factbase", pattern=_SLUG, description="The database file's name, without .db."
    )
    package: str | None = Field(
        default=None, pattern=_SLUG, description="The data package's name (default: from the title)."
    )
    repository: str | None = Field(default=None, description="Where the records live, for error reports.")
    sources_note: str | None = Field(default=None, description="Which publishers the sources come from.")
    places: list[str] = Field(default_factory=list, description="The places the dataset covers.")
    search_example: str | None = Field(default=None, description="What the search box suggests typing.")

    @property
    def short_name(self) -> str:
        return self.name or self.title

    @property
    def package_name(self) -> str:
        return self.package or re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-") or "fact-base"

    @property
    def license_name(self) -> str:
        return self.license_title or self.license


class Settings(BaseModel):
    """The whole file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dataset: DatasetSettings = Field(default_factory=DatasetSettings)


class InvalidSettings(UsageError):
    """factbase.toml is not valid TOML, or holds a key or value the toolkit does not take."""


def load_settings(root: Path) -> Settings:
    """The settings of the project at `root` (defaults when it has no factbase.toml)."""
    path = root / SETTINGS_FILE
    try:
        stat = path.stat()
    except OSError:
        return Settings()
    return _load(path.resolve(), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _load(path: Path, mtime: int, size: int) -> Settings:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidSettings(f"{path.name}: cannot be read ({exc}): save it as UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidSettings(f"{path.name}: {exc}: fix the TOML syntax there") from None
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidSettings(
            f"{path.name}: [{where}] {first['msg']}: "
            "see the keys the README's 'Start your own fact base' lists"
        ) from None
