"""Any record file under the size limit validates in under 10 s and 1 GiB of memory (issue 12),
whatever its shape: the deepest nesting, the widest list, the longest line, the most aliases,
the most records. Each shape is written just under the limit and validated by `toolkit validate`
in a subprocess under RLIMIT_AS = 1 GiB and a 10 s timeout: the promise itself as the bound."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from toolkit.core.limits import MAX_FILE_BYTES

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
