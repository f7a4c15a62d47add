"""Measure the toolkit against the peer pipeline and the parser-plus-SQLite floor, in one run.

    python -m benchmarks [--n 10000 100000] [--runs 3] [--json FILE]

For each N it generates a synthetic project (YAML list files and the same records as JSON),
then times, each as a separate process (wall time and peak RSS from the kernel):
  - ours: `toolkit validate`, `toolkit build` (which validates too), the JSON project's build,
    and re-validation after one record file of ~100 changed (the incremental cache);
  - peer: check-jsonschema on every file + yaml-to-sqlite for every file;
  - floor: the fastest parser available (PyYAML's C loader; yaml-rs when installed) + SQLite
    executemany of one row per record in one transaction;
  - Datasette on the built database: the flat view's first page and a diacritic-free search.
Every figure is the median of the runs with the spread (min–max), and each of ours is given as
a ratio to the peer and to the floors measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks.generate import generate

PY = sys.executable


@dataclass
class Figure:
    name: str
    n: int
    walls: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def spread(self) -> str:
        return f"{min(self.walls):.2f}–{max(self.walls):.2f}" if len(self.walls) > 1 else "n=1"

    @property
    def rss(self) -> float:
        return max(self.rss_mb)


def measure(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process and the children it waited for."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err[-2000:]}")
    return wall, usage.ru_maxrss / 1024


def repeat(name: str, n: int, runs: int, cmd: list[str], before: list[str] | None = None) -> Figure:
    fig = Figure(name, n)
    for _ in range(runs):
        if before:
            subprocess.run(before, check=True, stdout=subprocess.DEVNULL)
        wall, rss = measure(cmd)
        fig.walls.append(wall)
        fig.rss_mb.append(rss)
    return fig


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def datasette_timings(project: Path, db: Path, requests: int = 20) -> dict[str, float]:
    """Median milliseconds of the flat view's first page and a search without diacritics."""
    port = _port()
    server = subprocess.Popen(
        [PY, "-m", "toolkit", "serve", "-q", "--project", str(project), "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/{db.stem}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("datasette did not start") from None
                time.sleep(0.2)
        out = {}
        for label, url in [
            ("flat view, first page", f"{base}/claims_flat"),
            ("search 'phu son' (no diacritics)", f"{base}/claims?_search=phu+son"),
        ]:
            times = []
            for _ in range(requests):
                start = time.perf_counter()
                urllib.request.urlopen(url, timeout=30).read()
                times.append((time.perf_counter() - start) * 1000)
            out[label] = statistics.median(times[1:])  # the first request warms the page cache
        return out
    finally:
        server.terminate()
        server.wait(timeout=10)


def bench(n: int, runs: int, peer_runs: int, work: Path) -> tuple[list[Figure], dict[str, float]]:
    yaml_dir, json_dir = work / f"yaml-{n}", work / f"json-{n}"
    for path, fmt in ((yaml_dir, "yaml"), (json_dir, "json")):
        if not path.exists():
            generate(n, path, fmt)
    db = work / f"factbase-{n}.db"
    toolkit = [PY, "-m", "toolkit"]
    figures = [
        repeat("toolkit validate", n, runs, [*toolkit, "validate", "-q", "-p", str(yaml_dir), "--no-cache"]),
        repeat("toolkit build (validates too)", n, runs, [*toolkit, "build", "-q", "-p", str(yaml_dir), "-o", str(db)]),
        repeat("toolkit build, JSON records", n, runs, [*toolkit, "build", "-q", "-p", str(json_dir), "-o", str(work / "j.db")]),
    ]  # fmt: skip
    # Incremental: a warm cache, then one of the record files changes (a comment line).
    target = sorted((yaml_dir / "seeds" / "facts").glob("claims-*.yaml"))[0]
    original = target.read_text(encoding="utf-8")
    subprocess.run([*toolkit, "validate", "-q", "-p", str(yaml_dir)], check=True)
    inc = Figure("toolkit validate, 1 file changed", n)
    for i in range(runs):
        target.write_text(original + f"# touched {i}\n", encoding="utf-8")
        wall, rss = measure([*toolkit, "validate", "-q", "-p", str(yaml_dir)])
        inc.walls.append(wall)
        inc.rss_mb.append(rss)
    target.write_text(original, encoding="utf-8")
    figures.append(inc)
    try:
        figures.append(repeat("peer: check-jsonschema + yaml-to-sqlite", n, peer_runs,
                              [PY, "-m", "benchmarks.peer", str(yaml_dir), str(work / "peer.db")]))  # fmt: skip
    except SystemExit as exc:
        print(f"peer skipped: {exc}", file=sys.stderr)
    for parser in ("pyyaml", "yaml-rs"):
        figures.append(repeat(f"floor: {parser} + executemany", n, runs,
                              [PY, "-m", "benchmarks.floor", str(yaml_dir), str(work / "floor.db"), "--parser", parser]))  # fmt: skip
    figures.append(repeat("floor: JSON + executemany", n, runs,
                          [PY, "-m", "benchmarks.floor", str(json_dir), str(work / "floor.db"), "--parser", "json"]))  # fmt: skip
    web = datasette_timings(yaml_dir, db)
    return figures, web


def table(figures: list[Figure], web: dict[int, dict[str, float]]) -> str:
    lines = [
        f"{'pipeline':44} {'N':>7} {'median s':>9} {'spread':>12} {'records/s':>10} {'peak MB':>8} "
        f"{'×peer':>6} {'×floor':>7} {'×floor rs':>9}",
    ]
    by = {(f.name, f.n): f for f in figures}
    for f in figures:
        peer = by.get(("peer: check-jsonschema + yaml-to-sqlite", f.n))
        floor = by.get(
            ("floor: JSON + executemany" if "JSON" in f.name else "floor: pyyaml + executemany", f.n)
        )
        floor_rs = by.get(("floor: yaml-rs + executemany", f.n))

        def ratio(other: Figure | None, ours: bool, f: Figure = f) -> str:
            return f"{f.wall / other.wall:.2f}" if other and ours and other is not f else ""

        ours = f.name.startswith("toolkit")
        lines.append(
            f"{f.name:44} {f.n:>7} {f.wall:>9.2f} {f.spread:>12} {f.n / f.wall:>10.0f} {f.rss:>8.0f} "
            f"{ratio(peer, ours):>6} {ratio(floor, ours):>7} {ratio(floor_rs, ours and 'JSON' not in f.name):>9}"
        )
    for n, timings in web.items():
        for label, ms in timings.items():
            lines.append(f"datasette {label} at N={n}: {ms:.1f} ms (median)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--peer-runs", type=int, default=None, help="default: --runs, but 1 at N ≥ 100 000")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--work", type=Path, help="keep generated projects here (default: a temporary dir)")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="factbase-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    figures: list[Figure] = []
    web: dict[int, dict[str, float]] = {}
    try:
        for n in args.n:
            peer_runs = args.peer_runs or (1 if n >= 100_000 else args.runs)
            figs, web[n] = bench(n, args.runs, peer_runs, work)
            figures.extend(figs)
            print(table(figures, web), flush=True)
            print(flush=True)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(
            json.dumps(
                {"figures": [asdict(f) | {"median": f.wall} for f in figures], "datasette_ms": web}, indent=2
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
