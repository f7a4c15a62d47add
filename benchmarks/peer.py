"""The obvious peer pipeline: check-jsonschema validates the record files against our
published schemas, then yaml-to-sqlite loads each file into a table (one call per file, as
its CLI works). Both are installed with `pip install -e '.[bench]'`.

    python -m benchmarks.peer PROJECT_DIR OUT.db
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path


def tool(name: str) -> str:
    """A console script of this environment (next to the running Python), else on PATH."""
    local = Path(sys.executable).parent / name
    found = str(local) if local.exists() else shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} is not installed: pip install -e '.[bench]'")
    return found


def run(project: Path, out: Path) -> None:
    files = sorted((project / "seeds").rglob("*.yaml"))
    groups: dict[str, list[Path]] = {}
    for path in files:
        groups.setdefault(path.stem.split("-")[0], []).append(path)
    for kind, paths in groups.items():
        schema = project / "schema" / f"{kind}.schema.json"
        subprocess.run([tool("check-jsonschema"), "--schemafile", str(schema), *map(str, paths)], check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
    out.unlink(missing_ok=True)
    for path in files:
        subprocess.run([tool("yaml-to-sqlite"), str(out), path.stem.split("-")[0], str(path)], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.peer")
    parser.add_argument("project", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    run(args.project, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
