"""Measure the toolkit against the peer pipeline and the parser-plus-SQLite floor, in one run.

    python -m benchmarks [--n 10000 100000] [--runs 3] [--json FILE]

For each N it generates a synthetic project (YAML list files and the same records as JSON),
then times, each as a separate process (wall time and peak RSS from the kernel):
  - ours: `toolkit validate`, `toolkit build` (which validates too), the JSON project's build,
    and re-validation after one record file of ~100 changed (the incremental cache);
  - peer: check-jsonschema on every file + yaml-to-sqlite for every file;
  - floor: the fastest parser available (PyYAML's C loader; yaml-rs when installed) + SQLite
    executemany of one row per record in one transaction;
  - Datasette on the built database: the flat view's first page and a diacritic-free search, in
    Datasette's table and on the reader's pages (home, search, all facts).
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
    """Median milliseconds of the flat view's first page and a search without diacritics, in
    Datasette's table and on the reader's pages (home, search, all facts)."""
    port = _port()
    server = subprocess.Popen(
        [PY, "-m", "toolkit", "serve", "-q", "--project", str(project), "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    root = f"http://127.0.0.1:{port}"
    base = f"{root}/{db.stem}"
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
        out: dict[str, float] = {}
        for label, url in [
            ("flat view, first page", f"{base}/claims_flat"),
            ("search 'phu son' (no diacritics)", f"{base}/claims?_search=phu+son"),
            ("reader's home page", f"{root}/"),
            ("reader's search 'phu son'", f"{root}/search?q=phu+son"),
            ("reader's all facts, first page", f"{root}/facts"),
        ]:
            times = []
            for _ in range(requests):
                start = time.perf_counter()
                urllib.request.urlopen(url, timeout=30).read()
                times.append((time.perf_counter() - start) * 1000)
            out[label] = statistics.median(times[1:])  # the first request warms the page cache
        out["replica MB"] = _rss_mb(server.pid)
        return out
    finally:
        server.terminate()
        server.wait(timeout=10)


def _rss_mb(pid: int) -> float:
    """Resident memory of a running process (Linux), for the sizing of a replica."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def targets(figures: list[Figure], web: dict[int, dict[str, float]]) -> str:
    """Each target of the performance issue beside the figure this run measured."""
    by = {(f.name, f.n): f for f in figures}
    cores = os.cpu_count() or 1
    lines = ["targets (measured in this run):"]
    for n in sorted({f.n for f in figures}):
        build = by.get((f"toolkit build --jobs {cores} (cold)", n))
        json_build = by.get((f"toolkit build, JSON records --jobs {cores} (cold)", n))
        peer = by.get(("peer: check-jsonschema + yaml-to-sqlite", n))
        floor_rs = by.get(("floor: yaml-rs + executemany", n))
        floor_json = by.get(("floor: JSON + executemany", n))
        full = by.get(("toolkit validate --jobs 1", n))
        inc = by.get(("toolkit validate, 1 file changed", n))

        def line(what: str, ok: bool, figure: str, n: int = n) -> None:
            lines.append(f"  N={n:>7}  {'met    ' if ok else 'NOT met'}  {what}: {figure}")

        if build and floor_rs:
            r = build.wall / floor_rs.wall
            line("cold build ≤ 3× the yaml-rs floor", r <= 3, f"{r:.1f}×")
            line("peak RSS ≤ 500 MB", build.rss <= 500, f"{build.rss:.0f} MB")
        if json_build and floor_json:
            r = json_build.wall / floor_json.wall
            line("JSON build ≤ 3× the JSON floor", r <= 3, f"{r:.1f}×")
        if build and peer:
            r = peer.wall / build.wall
            line("≥ 10× faster than check-jsonschema + yaml-to-sqlite (cold)", r >= 10, f"{r:.1f}×")
        if inc and full:
            r = inc.wall / full.wall
            line("re-validation after one file changed < 5 % of a full run", r < 0.05, f"{r:.1%}")
        for label, ms in web.get(n, {}).items():
            if label.endswith("MB"):
                continue
            line(f"Datasette {label} < 100 ms", ms < 100, f"{ms:.1f} ms")
    return "\n".join(lines)


def sizing(figures: list[Figure], web: dict[int, dict[str, float]]) -> str:
    """The README's sizing table from this run: speed per core, database size, replica memory."""
    by = {(f.name, f.n): f for f in figures}
    lines = ["sizing:"]
    for n in sorted({f.n for f in figures}):
        one = by.get(("toolkit build --jobs 1 (cold)", n))
        w = web.get(n, {})
        if one:
            lines.append(f"  N={n}: {n / one.wall:.0f} records/s per core (cold build, one process)")
        if "database MB" in w:
            lines.append(
                f"  N={n}: database {w['database MB']:.0f} MB, {w['database MB'] * 100_000 / n:.0f} MB per 100 000 claims"
            )
        if "replica MB" in w:
            lines.append(f"  N={n}: one Datasette replica {w['replica MB']:.0f} MB resident")
    return "\n".join(lines)


def bench(n: int, runs: int, peer_runs: int, work: Path) -> tuple[list[Figure], dict[str, float]]:
    yaml_dir, json_dir = work / f"yaml-{n}", work / f"json-{n}"
    for path, fmt in ((yaml_dir, "yaml"), (json_dir, "json")):
        if not path.exists():
            generate(n, path, fmt)
    db = work / f"factbase-{n}.db"
    toolkit = [PY, "-m", "toolkit"]
    cold_yaml = [PY, "-c", f"import shutil; shutil.rmtree({str(yaml_dir / '.cache')!r}, ignore_errors=True)"]
    cold_json = [PY, "-c", f"import shutil; shutil.rmtree({str(json_dir / '.cache')!r}, ignore_errors=True)"]
    cores = os.cpu_count() or 1
    figures = [
        repeat("toolkit validate --jobs 1", n, runs, [*toolkit, "validate", "-q", "-p", str(yaml_dir), "--no-cache", "--jobs", "1"]),
        repeat(f"toolkit validate --jobs {cores}", n, runs, [*toolkit, "validate", "-q", "-p", str(yaml_dir), "--no-cache", "--jobs", "0"]),
        repeat("toolkit build --jobs 1 (cold)", n, runs, [*toolkit, "build", "-q", "-p", str(yaml_dir), "-o", str(db), "--jobs", "1"], cold_yaml),
        repeat(f"toolkit build --jobs {cores} (cold)", n, runs, [*toolkit, "build", "-q", "-p", str(yaml_dir), "-o", str(db), "--jobs", "0"], cold_yaml),
        repeat(f"toolkit build, JSON records --jobs {cores} (cold)", n, runs, [*toolkit, "build", "-q", "-p", str(json_dir), "-o", str(work / "j.db"), "--jobs", "0"], cold_json),
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
    web["database MB"] = db.stat().st_size / 1e6
    return figures, web


def toolkit_mode() -> str:
    """Whether the toolkit timed here runs compiled (`make fast`) or pure (FACTBASE_PURE=1)."""
    script = (
        "import tomllib, importlib\n"
        "from toolkit.core.native import compiled_modules\n"
        "listed = tomllib.load(open('pyproject.toml', 'rb'))['tool']['factbase']['compiled']\n"
        "for p in listed: importlib.import_module(p.removesuffix('.py').replace('/', '.'))\n"
        "print(len(compiled_modules()), len(listed))"
    )
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([PY, "-c", script], capture_output=True, text=True, cwd=root, check=False)
    compiled, listed = [*done.stdout.split(), "?", "?"][:2]
    return f"toolkit: {compiled} of its {listed} hot modules compiled" + (
        " (FACTBASE_PURE=1)" if os.environ.get("FACTBASE_PURE", "") not in ("", "0") else ""
    )


def table(figures: list[Figure], web: dict[int, dict[str, float]]) -> str:
    lines = [
        toolkit_mode(),
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
            if not label.endswith("MB"):
                lines.append(f"datasette {label} at N={n}: {ms:.1f} ms (median)")
    return "\n".join([*lines, "", targets(figures, web), "", sizing(figures, web)])


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
