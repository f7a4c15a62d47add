"""`toolkit init`: a new, working fact base in an empty folder — its identity (factbase.toml),
the JSON Schema files editors and CI read, an empty vocabulary and records to start from, a
CI workflow, a pre-commit hook, a .gitignore and a README saying the next steps. The result
validates at once, so the first page and records added to it are checked from the start."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import metadata as dist_metadata
from pathlib import Path

from toolkit.core.files import atomic_write
from toolkit.core.problems import UsageError
from toolkit.core.version import __version__
from toolkit.languages import language
from toolkit.records.schema import write_schema

DISTRIBUTION = "factbase-toolkit"


class FolderNotEmpty(UsageError):
    """`toolkit init` never writes over an existing project (or anything else)."""


@dataclass(frozen=True)
class NewProject:
    root: Path
    files: list[Path]


def toolkit_requirement() -> str:
    """How CI installs this very toolkit: the URL it was installed from (pip's direct_url.json),
    or its name and version."""
    try:
        found = dist_metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
    except dist_metadata.PackageNotFoundError:
        found = None
    if found:
        data = json.loads(found)
        url = str(data.get("url", ""))
        vcs = data.get("vcs_info") or {}
        if vcs.get("vcs") == "git" and url:
            commit = vcs.get("commit_id")
            return f"{DISTRIBUTION} @ git+{url}" + (f"@{commit}" if commit else "")
    return f"{DISTRIBUTION}=={__version__}"


def _toml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


def _settings(title: str, code: str) -> str:
    return f"""# This fact base's identity: read by `toolkit metadata`, the exports and data package, and
# the site's pages and JSON-LD. Change it here, then run `toolkit metadata`.
[dataset]
title = {_toml(title)}
description = "Facts hand-checked against news pages, each with the exact quote it comes from."
creator = {_toml(title + " contributors")}
license = "CC-BY-4.0"
license_title = "CC BY 4.0"
license_url = "https://creativecommons.org/licenses/by/4.0/"
rights_note = "source texts remain their publishers'"
language = {_toml(code)}
database = "factbase"
# repository = "https://github.com/OWNER/REPOSITORY"  (enables "report an error" links)
"""


def _files(title: str, code: str) -> dict[str, str]:
    records = "# yaml-language-server: $schema=../schema/records.schema.json\n"
    return {
        "factbase.toml": _settings(title, code),
        "seeds/sources.yaml": records + "sources: []\n",
        "seeds/vocabulary.yaml": records + "properties: []\n",
        "seeds/entities.yaml": records + "persons: []\norganizations: []\nplaces: []\n",
        "seeds/facts/.gitkeep": "",
        "requirements.txt": toolkit_requirement() + "\n",
        ".gitignore": "dist/\n.cache/\n.venv/\n__pycache__/\n",
        ".github/workflows/validate.yml": _WORKFLOW,
        ".pre-commit-config.yaml": _PRE_COMMIT,
        "README.md": _README.format(title=title, language=language(code).name),
    }


def init_project(root: Path, code: str, title: str) -> NewProject:
    """Write a new project into `root` (created if missing; refused unless empty)."""
    language(code)  # a language with no pack is refused before anything is written
    if not title.strip():
        raise UsageError("give the fact base a title: --title 'Flood relief facts, 2024'")
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise FolderNotEmpty(f"{root}: not an empty folder; give `toolkit init` a new or empty one")
    written = []
    for name, text in _files(title.strip(), code).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, text)
        written.append(path)
    written += write_schema(root / "schema")
    return NewProject(root, written)


_WORKFLOW = """# Validate every pull request; problems are annotated on the exact lines.
name: validate
on: [push, pull_request]
jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - run: python -m pip install -r requirements.txt
      - run: toolkit validate --format github
      - run: toolkit schema --check
"""

_PRE_COMMIT = """# Validate the records before each commit: `pip install pre-commit && pre-commit install`.
repos:
  - repo: local
    hooks:
      - id: toolkit-validate
        name: validate fact-base records
        entry: toolkit validate
        language: system
        files: ^(seeds/|factbase.toml)
        pass_filenames: false
"""

_README = """# {title}

Facts hand-checked against news pages ({language}), each with the exact quote it comes from,
proved by the fact base toolkit: `toolkit validate` checks every record against its page.

## Next steps

1. Add a page: `toolkit add-source page.txt --url URL` archives it byte for byte in `seeds/`
   and proposes its title, date and article body.
2. Write records in `seeds/facts/` (or start one with `toolkit new claim --source ID --quote "…"`).
3. `toolkit validate`, then `toolkit serve` and open http://127.0.0.1:8001.
4. `toolkit metadata` after changing `factbase.toml`; `toolkit export` for CSV and JSON.
"""
