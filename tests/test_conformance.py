"""The loader on every case of the YAML test suite and of JSONTestSuite (copied under
tests/conformance/ with their MIT licenses): no case crashes or hangs; every refusal is a load
error with a line inside the file and a documented code; no valid case silently gets a value
other than the suite's."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from toolkit.core.problems import LoadError
from toolkit.records.load import load_file, load_yaml_text

HERE = Path(__file__).resolve().parent / "conformance"
YAML_CASES: dict[str, dict[str, Any]] = json.loads(
    (HERE / "yaml-test-suite.json").read_text(encoding="utf-8")
)["cases"]
JSON_CASES = sorted((HERE / "JSONTestSuite" / "test_parsing").iterdir())
README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")

# Refused on purpose, as `yaml-unsupported`: tags, complex or empty keys, several documents,
# anchors on keys, and the spellings libyaml reads differently from YAML 1.2 (`&an:chor`,
# `?foo`). Duplicate keys are `duplicate-key`.
ON_PURPOSE = {"yaml-unsupported", "duplicate-key"}
# Refused on purpose as `yaml-syntax`: a last line of only white space, before which libyaml
# misreads a block scalar (JEF9/02, L24T/01).
TRAILING_WHITE_SPACE = {"4RWC", "JEF9/02", "L24T/01"}
# Valid YAML 1.2 that libyaml cannot read (flow keys on several lines, tabs as separators,
# `%YAML 1.2`-era directives...): refused as `yaml-syntax` with libyaml's message and line.
# A README known limit; a newer libyaml may read some of them.
LIBYAML_CANNOT_READ = set(
    "2JQS 2LFX 4ABK 4MUZ/00 4MUZ/01 4MUZ/02 58MP 5MUD 5T43 6BCT 6CA3 6LVF 6M2F 7Z25 8XYN 96NN/00 "
    "96NN/01 9SA2 A2M4 BEC7 CFD4 DBG4 DK3J DK95/00 DK95/03 DK95/04 FP8R FRK4 HM87/00 HWV9 K3WX M7A3 "
    "MUS6/05 MUS6/06 NHX8 NJ66 NKF9 Q5MG QT73 R4YG S3PD SM9W/01 UKK6/00 UT92 VJP3/01 W4TN W5VH "
    "Y79Y/001 Y79Y/010".split()
)
# Invalid YAML that libyaml accepts and that cannot be caught at a reasonable cost (a comment
# glued to a token, under-indented flow or quoted lines, tabs in flow indentation): a README
# known limit. Each still builds the value a reader would expect.
LIBYAML_ACCEPTS = set("9C9N 9JBA CVW2 DK95/01 MUS6/00 QB6E S98Z SU5Z X4QW Y79Y/003".split())


def _plain(value: Any) -> Any:
    """Our data as the suite's JSON spells it (exact Decimals compared as JSON numbers)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _documents(text: str | None) -> list[Any]:
    decoder, out, i = json.JSONDecoder(), [], 0
    text = (text or "").strip()
    while i < len(text):
        value, i = decoder.raw_decode(text, i)
        out.append(value)
        while i < len(text) and text[i].isspace():
            i += 1
    return out


def _check_refusal(exc: LoadError, text: str) -> None:
    assert 1 <= exc.line <= text.count("\n") + 1
    assert exc.column >= 1
    assert f"`{exc.code}`" in README, f"{exc.code} is not documented"


@pytest.mark.parametrize("case", sorted(YAML_CASES))
def test_yaml_test_suite(case: str) -> None:
    spec = YAML_CASES[case]
    text: str = spec["yaml"]
    try:
        data = load_yaml_text(text, Path("case.yaml"), "case.yaml").data
    except LoadError as exc:
        _check_refusal(exc, text)
        if spec["error"]:
            return
        if exc.code == "yaml-syntax":
            assert case in LIBYAML_CANNOT_READ | TRAILING_WHITE_SPACE, f"{case}: {exc.message}"
        else:
            assert exc.code in ON_PURPOSE, f"{case}: {exc.code} {exc.message}"
        return
    if spec["error"]:
        assert case in LIBYAML_ACCEPTS, f"{case} is invalid YAML but was accepted"
        return
    assert case not in LIBYAML_CANNOT_READ, f"{case} is read now: take it off the list"
    expected = _documents(spec["json"])
    if spec["json"] is None:  # a value JSON cannot spell: only the empty string or tag cases
        assert data in ("", None), f"{case}: {data!r}"
    elif not expected:  # a stream of no documents
        assert data is None
    else:
        assert _plain(data) == expected[0], f"{case}: {data!r} is not the suite's value"


def test_the_known_limits_are_still_limits() -> None:
    """If libyaml starts to refuse or read a listed case, the lists (and README) shrink."""
    accepted, refused = set(), set()
    for case in LIBYAML_ACCEPTS | LIBYAML_CANNOT_READ:
        try:
            load_yaml_text(YAML_CASES[case]["yaml"], Path("c.yaml"), "c.yaml")
            accepted.add(case)
        except LoadError:
            refused.add(case)
    assert accepted == LIBYAML_ACCEPTS
    assert refused == LIBYAML_CANNOT_READ
    for case in LIBYAML_ACCEPTS:
        assert case in README


@pytest.mark.parametrize("path", JSON_CASES, ids=[p.name for p in JSON_CASES])
def test_json_test_suite(path: Path) -> None:
    """`y_` accepted (duplicate keys refused on purpose), `n_` refused, `i_` either, cleanly."""
    raw = path.read_bytes()
    try:
        load_file(path)
    except LoadError as exc:
        _check_refusal(exc, raw.decode("utf-8", "replace"))
        if path.name.startswith("y_"):
            assert "duplicated_key" in path.name and exc.code == "duplicate-key", exc.message
        return
    assert not path.name.startswith("n_"), "invalid JSON accepted"
