"""Property-based fuzzing of loader and validator (issue 12): random damage to a valid
project's record files never crashes `toolkit validate` (exit 0, 1 or 2; no traceback), every
problem it reports points at a line inside its file, and whatever validates also builds.

Bounded by its number of examples (FUZZ_EXAMPLES, default 800: about 30 s on two cores, well
under the minute CI allows); raise it for a longer local run. A time budget that skipped late
examples would make hypothesis's replay of a failure flaky, so the count is the bound.

In CI (CI=true) hypothesis runs derandomized (tests/conftest.py's `ci` profile): the same
examples every run, so a submission fails only on what it changed. Elsewhere each run is
random and explores new damage: `FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz.py` is
the longer run. Every failure such a run finds becomes an @example below (issue 23), so CI
checks it from then on."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from toolkit.cli.app import app

from .conftest import writable_example

EXAMPLES_MAX = int(os.environ.get("FUZZ_EXAMPLES", "800"))
runner = CliRunner()

# Fragments that reach the loader's and the validator's corners: YAML and JSON syntax, tags,
# anchors, limits, numbers out of range, odd characters and line ends, Vietnamese text.
TOKENS = [
    "- ",
    "-",
    ": ",
    ":",
    "? ",
    "?",
    "[",
    "]",
    "{",
    "}",
    ",",
    "#",
    "&a ",
    "*a",
    "!!int ",
    "!x ",
    "! ",
    "|\n",
    ">-\n",
    "'",
    '"',
    "\\",
    "\\ud800",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "\x00",
    "\ufeff",
    "\u2028",
    "---\n",
    "...\n",
    "%YAML 1.2\n",
    "~",
    "null",
    "no",
    "010",
    "0x1F",
    "1:20",
    "1e999999999",
    "9" * 40,
    "-0",
    ".inf",
    "2023-02-30",
    "2023-13",
    "2023-Q5",
    "2023-11-12/2023-11-10",
    "khoảng",
    "9,8 triệu",
    "Việt Nam",
    "Đ",
    "e\u0301",
    "\u00a0",
    "id: ",
    "source: ",
    "quote: ",
    "amount: ",
    "unit: ",
    "comparator: about",
    "parent: ",
    "evidence: []",
    "claims:",
    "../",
    "/etc/passwd",
]


def _project(tmp: Path) -> Path:
    target = writable_example(tmp / "project")
    # The same facts as JSON too, so the JSON loader is fuzzed as well.
    facts = yaml.safe_load((target / "seeds" / "facts.yaml").read_text(encoding="utf-8"))
    claims = {"$schema": "../schema/records.schema.json", "claims": facts.pop("claims")}
    (target / "seeds" / "claims.json").write_text(json.dumps(claims, ensure_ascii=False, indent=1))
    header = "# yaml-language-server: $schema=../schema/records.schema.json\n"
    body = yaml.safe_dump(facts, allow_unicode=True)
    (target / "seeds" / "facts.yaml").write_text(header + body, encoding="utf-8")
    return target


EDIT = st.tuples(
    st.sampled_from(["insert", "delete", "replace", "duplicate-line", "truncate"]),
    st.floats(min_value=0, max_value=1),
    st.one_of(st.sampled_from(TOKENS), st.text(max_size=6)),
    st.integers(min_value=1, max_value=40),
)


def _mutate(data: bytes, edits: list[tuple[str, float, str, int]]) -> bytes:
    for kind, where, token, length in edits:
        at = int(where * len(data))
        piece = token.encode("utf-8", "surrogatepass")
        if kind == "insert":
            data = data[:at] + piece + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + length :]
        elif kind == "replace":
            data = data[:at] + piece + data[at + max(1, len(piece)) :]
        elif kind == "duplicate-line":
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            end = len(data) if end < 0 else end + 1
            data = data[:end] + data[start:end] + data[end:]
        else:
            data = data[:at]
    return data


@settings(
    max_examples=EXAMPLES_MAX,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.sampled_from(["facts.yaml", "claims.json", "entities.yaml", "sources.yaml", "vocabulary.yaml"]),
    st.lists(EDIT, min_size=1, max_size=4),
)
# Found by randomized runs. A file holding only `---`, no newline: empty-file at line 2 of a
# one-line file (issue 23).
@example("facts.yaml", [("truncate", 0.0, "", 1), *[("insert", 0.0, "-", 1)] * 3])
# The organizer line twice: it validated, then build exited 3 on the primary key (issue 12).
@example("facts.yaml", [("duplicate-line", 0.363, "", 1)])
# A lone surrogate escaped in a JSON text: it validated, then build failed (issue 12).
@example("claims.json", [("insert", 0.124, "\\ud800", 1)])
def test_damaged_records_never_crash_validate(name: str, edits: list[tuple[str, float, str, int]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = _project(Path(tmp))
        target = project / "seeds" / name
        target.write_bytes(_mutate(target.read_bytes(), edits))
        result = runner.invoke(app, ["validate", "--no-cache", "--format", "json", "-p", str(project)])
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert result.exit_code in (0, 1, 2), result.output
        assert "Traceback" not in result.output
        if result.exit_code == 0:  # what validates must build (a lone surrogate once did not)
            built = runner.invoke(app, ["build", "-q", "-p", str(project), "-o", str(Path(tmp) / "f.db")])
            assert built.exit_code == 0 and built.exception is None, built.output
        if result.exit_code in (0, 1):
            report = json.loads(result.stdout)
            for problem in report["problems"]:
                path = project / problem["path"]
                lines = path.read_bytes().count(b"\n") + 1 if path.is_file() else 1
                assert 1 <= problem["line"] <= lines, problem
                assert problem["column"] >= 1, problem
