"""Any record file under the size limit validates in under 10 s and 1 GiB of memory (issue 12),
whatever its shape: the deepest nesting, the widest list, the longest line, the most aliases,
the most records. Each shape is written just under the limit and validated by `toolkit validate`
in a subprocess under RLIMIT_AS = 1 GiB and a 10 s timeout: the promise itself as the bound.

Issue 23 adds shapes that reach past the loader: claims quoting a source line of dates,
number words or digits repeated to the size limit (the whole line, and as many distinct pieces
of it as fit, each as long as a quote may be), a wrong prefix before a quote found 200 000
times, quotes not found in a text of one repeated word (the closest passage), and 4 000
chained places. Each runs in its own session, so its worker processes stop with it."""

from __future__ import annotations

import hashlib
import itertools
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from toolkit.core.limits import MAX_FILE_BYTES, MAX_QUOTE_CHARS

from .conftest import writable_example

SECONDS = 10
MEMORY = 1 << 30
SIZE = MAX_FILE_BYTES - 1024
HEADER = "# yaml-language-server: $schema=../schema/records.schema.json\n"
CLAIM = (
    "  - id: c{i}\n    subject: ha-giang\n    property: delegates\n"
    '    value: {{amount: 120, unit: delegate, comparator: nearly, original: "gần 120 đại biểu"}}\n'
    "    statement_en: Nearly 120 delegates attended.\n    evidence:\n      - source: bao-ha-giang\n"
    '        quote: "với sự tham gia của gần 120 đại biểu"\n'
)
INLINE_CLAIM = (
    "{id: x, subject: ha-giang, property: delegates, value: {amount: 120, unit: delegate, "
    'comparator: nearly, original: "gần 120 đại biểu"}, statement_en: S., evidence: '
    '[{source: bao-ha-giang, quote: "với sự tham gia của gần 120 đại biểu"}]}'
)


def _fill(head: str, unit: str, tail: str = "") -> str:
    """`head`, then `unit` as many times as fit under the size limit, then `tail`."""
    room = SIZE - len((head + tail).encode())
    return head + unit * (room // len(unit.encode())) + tail


def _shape(name: str) -> str:
    if name == "deep-block.yaml":
        return _fill("", "- ", "x\n")
    if name == "deep-indent.yaml":
        return "".join(" " * i + "a:\n" for i in range(2000))
    if name == "deep.json":
        return _fill("", "[") + "]" * 10
    if name == "wide-flow.yaml":
        return _fill(HEADER + "claims: [", "0,", "0]\n")
    if name == "wide-block.yaml":
        return _fill(HEADER + "claims:\n", "- 0\n")
    if name == "wide.json":
        return _fill('{"claims": [', "0,", "0]}")
    if name == "wide-mapping.yaml":
        return HEADER + "".join(f"k{i}: 0\n" for i in range(SIZE // 12))
    if name == "long-quote.yaml":
        head = HEADER + CLAIM.format(i=0).replace('quote: "với sự tham gia của gần 120 đại biểu"', 'quote: "')
        return _fill(head, "với sự tham gia ", '"\n').replace(HEADER, HEADER + "claims:\n")
    if name == "long-key.yaml":
        return _fill("", "k", ": 1\n")
    if name == "many-claims.yaml":
        return HEADER + "claims:\n" + "".join(CLAIM.format(i=i) for i in range(SIZE // len(CLAIM.encode())))
    if name == "many-aliases.yaml":
        return _fill(HEADER + "claims:\n  - &c " + INLINE_CLAIM + "\n", "  - *c\n")
    if name == "parent-chain.yaml":  # each place's parent the next; the last closes the cycle
        n = 4000
        places = "".join(
            f"  - {{id: p{i}, name: P{i}, name_en: P{i}, type: province, parent: p{(i + 1) % n}}}\n"
            for i in range(n)
        )
        return HEADER + "places:\n" + places
    if name == "alias-bomb.yaml":
        levels = ["a0: &a0 [" + ",".join(["x"] * 100) + "]"]
        levels += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 100) + "]" for i in range(1, 5)]
        return "\n".join(levels) + "\n"
    raise AssertionError(name)


SHAPES = [
    "deep-block.yaml",
    "deep-indent.yaml",
    "deep.json",
    "wide-flow.yaml",
    "wide-block.yaml",
    "wide.json",
    "wide-mapping.yaml",
    "long-quote.yaml",
    "long-key.yaml",
    "many-claims.yaml",
    "many-aliases.yaml",
    "alias-bomb.yaml",
    "parent-chain.yaml",
]


def _limits() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


@pytest.mark.parametrize("name", SHAPES)
def test_worst_shapes_validate_in_10_s_and_1_gib(tmp_path: Path, name: str) -> None:
    project = writable_example(tmp_path / "project")
    text = _shape(name)
    size = len(text.encode())
    assert size <= MAX_FILE_BYTES, f"{name} is {size} bytes: over the limit, it would test nothing"
    (project / "seeds" / name).write_text(text, encoding="utf-8")
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "toolkit", "validate", "--no-cache", "-p", str(project)],
        capture_output=True,
        text=True,
        preexec_fn=_limits,
        timeout=SECONDS,
        env={**os.environ, "NO_COLOR": "1"},
    )
    elapsed = time.perf_counter() - started
    assert result.returncode in (0, 1), result.stderr[-2000:]
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    assert elapsed < SECONDS
    assert f"seeds/{name}" in result.stdout or result.returncode == 0


# ------------------------------------------------------------------ quotes of hostile lines

SOURCE = "bai-bao.txt"
# What each quoted shape repeats on one body line (to the size limit), and the value of the
# claims quoting it: one quotes the whole line, the others as many distinct pieces of it as
# fit in the record file, each as long as a quote may be.
QUOTED: dict[str, tuple[str, str]] = {
    # Every date checked against every earlier one (35 s for 32 000 in issue 23).
    "dates": ("năm 2023 ", 'property: festival_period, value: {date: "2023", original: "năm 2023"}'),
    # A run of number words that is no number: its longest number re-read for each length.
    "number-words": ("năm ", 'property: delegates, value: {amount: 7, unit: delegate, original: "bảy"}'),
    # Numbers in words between numbers in digits: each word checked against every digit.
    "tens": ("mười 1 ", 'property: delegates, value: {amount: 7, unit: delegate, original: "bảy"}'),
    # Day ranges are dates and numbers at once: each number checked against every date.
    "day-ranges": ("10-12/11 ", 'property: delegates, value: {amount: 7, unit: delegate, original: "7"}'),
    # A million numbers in digits.
    "digits": ("1 ", 'property: delegates, value: {amount: 7, unit: delegate, original: "bảy"}'),
}
CLAIM_OF = (
    "  - {{id: q{i}, subject: le-hoi-ha-giang, statement_en: S., {value},\n"
    '     evidence: [{{source: bao-ha-giang, quote: "{quote}"{context}}}]}}\n'
)


def _body_line(project: Path, line: str) -> None:
    """`line` as a new body line of the example's source, its sha256 and bounds updated."""
    text = project / "seeds" / SOURCE
    lines = text.read_text(encoding="utf-8").split("\n")
    lines.insert(7, line)
    raw = "\n".join(lines).encode()
    text.write_bytes(raw)
    sources = project / "seeds" / "sources.yaml"
    records = sources.read_text(encoding="utf-8")
    old = next(w for w in records.split() if len(w) == 64)
    records = records.replace(old, hashlib.sha256(raw).hexdigest()).replace("end_line: 7", "end_line: 8")
    sources.write_text(records, encoding="utf-8")


def _claims(value: str, quotes: Iterator[str], context: str = "") -> str:
    """A record file of claims with this value quoting each of `quotes`, up to the size limit."""
    parts, size = [HEADER, "claims:\n"], len(HEADER) + 10
    for i, quote in enumerate(quotes):
        claim = CLAIM_OF.format(i=i, value=value, quote=quote, context=context)
        if size + len(claim.encode()) > SIZE:
            break
        parts.append(claim)
        size += len(claim.encode())
    return "".join(parts)


def _pieces(line: str) -> Iterator[str]:
    """The line's distinct beginnings, each about as long as a quote may be."""
    for i in itertools.count():
        yield line[: MAX_QUOTE_CHARS - i].strip()


def _limited(args: list[str]) -> subprocess.CompletedProcess[str]:
    """A child under the memory limit, killed with its own children at the time limit."""
    child = subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_limits,
        start_new_session=True,  # its worker processes too are stopped at the time limit
        env={**os.environ, "NO_COLOR": "1"},
    )
    try:
        out, err = child.communicate(timeout=SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        raise
    return subprocess.CompletedProcess(args, child.returncode, out, err)


def _validate(project: Path) -> subprocess.CompletedProcess[str]:
    """`toolkit validate` under the memory limit, killed with its workers at the time limit."""
    started = time.perf_counter()
    done = _limited([sys.executable, "-m", "toolkit", "validate", "--no-cache", "-p", str(project)])
    out, err = done.stdout, done.stderr
    assert time.perf_counter() - started < SECONDS
    assert done.returncode in (0, 1), err[-2000:]
    assert "Traceback" not in err and "MemoryError" not in err
    assert all(len(line) < 5000 for line in out.splitlines()), "a message lists every mention"
    return done


@pytest.mark.parametrize("name", list(QUOTED))
def test_quotes_of_a_hostile_line_validate_in_10_s_and_1_gib(tmp_path: Path, name: str) -> None:
    unit, value = QUOTED[name]
    line = (unit * ((SIZE - 1024) // len(unit.encode()))).strip()
    project = writable_example(tmp_path / "project")
    _body_line(project, line)
    (project / "seeds" / "whole.yaml").write_text(_claims(value, iter([line])), encoding="utf-8")
    (project / "seeds" / "pieces.yaml").write_text(_claims(value, _pieces(line)), encoding="utf-8")
    result = _validate(project)
    assert "seeds/whole.yaml:4:47: error[evidence-too-long]" in result.stdout  # a line is no quote


def test_a_wrong_prefix_before_a_quote_that_occurs_everywhere(tmp_path: Path) -> None:
    """500 claims quote words found 200 000 times, with a prefix they never have (67 s and
    2 GB for one claim in issue 23: the text before each occurrence was folded). Each quote
    is searched in time linear in its source's size."""
    project = writable_example(tmp_path / "project")
    _body_line(project, ("một hai " * (SIZE // 12)).strip())
    value = 'property: delegates, value: {amount: 1, unit: delegate, original: "một"}'
    quotes = (" ".join(["một hai"] * (1 + i)) for i in range(500))
    (project / "seeds" / "quoted.yaml").write_text(_claims(value, quotes, ', prefix: "ba"'), encoding="utf-8")
    result = _validate(project)
    assert "error[quote-context-mismatch]" in result.stdout


def test_closest_passages_to_quotes_not_found_in_10_s(tmp_path: Path) -> None:
    """Quotes of 5 000 characters not in a source of one repeated word: the closest passage
    grew near-cubically (18 KB: 146 s in issue 23). A file's suggestions share a budget."""
    project = writable_example(tmp_path / "project")
    _body_line(project, ("a " * (SIZE // 8)).strip())
    value = 'property: delegates, value: {amount: 1, unit: delegate, original: "1"}'
    quotes = (("a " * (MAX_QUOTE_CHARS // 2 - 2 - i)) + "b" for i in itertools.count())
    (project / "seeds" / "quoted.yaml").write_text(_claims(value, quotes), encoding="utf-8")
    result = _validate(project)
    assert "error[quote-not-found]" in result.stdout
    assert "% alike)" in result.stdout and "no closest passage shown" in result.stdout


# ------------------------------------------------------------------ the site's pages

SERVE = """
import asyncio, sys, time
from pathlib import Path
from toolkit.site.serve import datasette_app

async def main():
    ds = datasette_app(Path(sys.argv[1]))
    started = time.perf_counter()
    params = dict([sys.argv[3:5]]) if sys.argv[3:] else None
    page = asyncio.ensure_future(ds.client.get(sys.argv[2], params=params))
    await asyncio.sleep(0.3)  # the page is being made
    asked = time.perf_counter()
    other = await ds.client.get("/-/versions.json")
    waited = time.perf_counter() - asked
    response = await page
    print(response.status_code, other.status_code, waited, time.perf_counter() - started)

asyncio.run(main())
"""


@pytest.mark.parametrize(
    ("unit", "size"),
    [
        ("năm 2023 ", 300_000),
        ("năm 2023 ", SIZE - 1024),
        ("Năm 2023. ", SIZE - 1024),
        ("mười 1 ", SIZE - 1024),
    ],
)
def test_a_source_page_of_a_hostile_line_answers_in_10_s_and_others_do_not_wait(
    tmp_path: Path, unit: str, size: int
) -> None:
    """The same lines unquoted: the first request to the page took 12.6 s at 290 KB, on the
    event loop, so every other reader waited; a 2 MiB line was a 500 (over the value limit).
    The page reads its body for unquoted facts off the loop, within a budget."""
    from toolkit.build.database import build_database

    project = writable_example(tmp_path / "project")
    _body_line(project, (unit * (size // len(unit.encode()))).strip())
    db = build_database(project, project / "dist" / "factbase.db").path
    _request_in_10_s(db, "/source/bao-ha-giang")


def test_a_search_of_4000_words_answers_in_10_s_and_others_do_not_wait(tmp_path: Path) -> None:
    """4 000 copies of a common word ran the full-text query past the SQL time limit: a 500
    with the SQL echoed, after 6 s. The distinct words count, the first 16."""
    from toolkit.build.database import build_database

    from .conftest import ROOT

    db = build_database(ROOT, tmp_path / "factbase.db").path
    _request_in_10_s(db, "/search", "q", " ".join(["việt"] * 4000))


def _request_in_10_s(db: Path, url: str, *params: str) -> None:
    """GET `url` from a site serving `db` in a child under the memory and time limits, while
    another request must answer in under a second."""
    done = _limited([sys.executable, "-c", SERVE, str(db), url, *params])
    out, err = done.stdout, done.stderr
    assert done.returncode == 0, err[-2000:]
    status, other, waited, took = out.split()
    assert (status, other) == ("200", "200"), err[-2000:]
    assert float(waited) < 1.0, "another reader waited for the page"
    assert float(took) < SECONDS and "Traceback" not in err
