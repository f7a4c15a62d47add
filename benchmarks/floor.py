"""The floor: the fastest available parser reads every record file, and SQLite's executemany
writes one row per record in one transaction. Nothing is checked; this is what any pipeline
over the same files must at least spend.

    python -m benchmarks.floor PROJECT_DIR OUT.db --parser pyyaml|yaml-rs|json
"""

from __future__ import annotations

import argparse
import gc
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any


def _parser(name: str) -> Any:
    if name == "yaml-rs":
        import yaml_rs

        return lambda text: yaml_rs.loads(text, parse_datetime=False)
    if name == "json":
        try:
            import orjson

            return orjson.loads
        except ImportError:
            return json.loads
    import yaml

    return lambda text: yaml.load(text, Loader=yaml.CSafeLoader)


def run(project: Path, out: Path, parser: str) -> int:
    """Parse and insert; returns the number of rows written."""
    parse = _parser(parser)
    suffix = ".json" if parser == "json" else ".yaml"
    gc.disable()  # as the toolkit does while records are held
    rows: dict[str, list[tuple[str, str]]] = {}
    for path in sorted((project / "seeds").rglob(f"*{suffix}")):
        data = parse(path.read_text(encoding="utf-8"))
        kind = path.stem.split("-")[0]
        items = data if isinstance(data, list) else [r for k, v in data.items() if k != "$schema" for r in v]
        rows.setdefault(kind, []).extend((str(r.get("id")), json.dumps(r, default=str)) for r in items)
    out.unlink(missing_ok=True)
    conn = sqlite3.connect(out)
    with conn:
        for kind, values in rows.items():
            conn.execute(f"create table [{kind}] (id text primary key, record text)")
            conn.executemany(f"insert into [{kind}] values (?, ?)", values)
    conn.close()
    return sum(len(v) for v in rows.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.floor")
    parser.add_argument("project", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--parser", choices=["pyyaml", "yaml-rs", "json"], default="pyyaml")
    args = parser.parse_args(argv)
    run(args.project, args.out, args.parser)
    return 0


if __name__ == "__main__":
    sys.exit(main())
