"""The loader: positions, duplicate keys, YAML 1.1 surprises, limits, and never a crash."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.core.problems import (
    AliasLimitExceeded,
    DuplicateKey,
    FileTooLarge,
    LineEndings,
    LoadError,
    MalformedJson,
    MalformedYaml,
    NestingTooDeep,
    NotUtf8,
    NumberTooLarge,
    SymlinkedFile,
    UnreadableFile,
    UnsupportedYaml,
)
from toolkit.records.load import MAX_DEPTH, load_file


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_yaml_positions_of_values_and_keys(tmp_path: Path) -> None:
    doc = load_file(write(tmp_path, "a.yaml", "claims:\n  - id: a\n    value: {amount: 9.80}\n"))
    assert doc.data == {"claims": [{"id": "a", "value": {"amount": Decimal("9.80")}}]}
    assert doc.locate(("claims", 0, "value", "amount")) == (3, 21)
    assert doc.locate(("claims", 0, "value"), at_key=True) == (3, 5)
    assert doc.locate(("claims", 0, "missing")) == (2, 5)  # nearest parent


def test_json_positions_are_found_lazily(tmp_path: Path) -> None:
    doc = load_file(write(tmp_path, "a.json", '{\n  "claims": [\n    {"id": "a", "n": 2.5}\n  ]\n}\n'))
    assert doc.data["claims"][0]["n"] == Decimal("2.5")
    assert doc.locate(("claims", 0, "n")) == (3, 22)
    assert doc.locate(("claims", 0, "id"), at_key=True) == (3, 6)


def test_bom_is_accepted(tmp_path: Path) -> None:
    assert load_file(write(tmp_path, "a.yaml", b"\xef\xbb\xbfa: 1\n")).data == {"a": 1}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("no", "no"),
        ("on", "on"),
        ("2023-01-06", "2023-01-06"),
        ("1:20", "1:20"),
        ("010", "010"),
        ("0x1F", "0x1F"),
        ("1_000", "1_000"),
        ("true", True),
        ("null", None),
        ("12", 12),
        ("-3.50", Decimal("-3.50")),
        ("'no'", "no"),
    ],
)
def test_yaml_11_coercions_never_change_a_value(tmp_path: Path, text: str, value: object) -> None:
    doc = load_file(write(tmp_path, "a.yaml", f"v: {text}\n"))
    assert doc.data == {"v": value}


def test_ambiguous_scalars_are_warned(tmp_path: Path) -> None:
    doc = load_file(write(tmp_path, "a.yaml", "a: no\nb: 2023-01-06\nc: 1:20\nd: 'on'\n"))
    assert [(w.line, w.code) for w in doc.warnings] == [
        (1, "yaml-ambiguous-scalar"),
        (3, "yaml-ambiguous-scalar"),
    ]


@pytest.mark.parametrize(
    ("name", "content", "error", "line"),
    [
        ("dup.yaml", "a: 1\nb:\n  c: 1\n  c: 2\n", DuplicateKey, 4),
        ("dup.json", '{"a": {"c": 1,\n "c": 2}}', DuplicateKey, 2),
        ("bad.json", '{"a": [1, 2}', MalformedJson, 1),
        ("nan.json", '{"a": NaN}', MalformedJson, 1),
        ("trunc.yaml", "a:\n  - b: 'open\n", MalformedYaml, 3),
        ("tab.yaml", "a:\n\t- 1\n", MalformedYaml, 2),
        ("latin.yaml", b"a: 1\nb: caf\xe9\n", NotUtf8, 2),
        ("nul.yaml", "a: 1\nb: \x00\n", NotUtf8, 2),
        ("deep.yaml", "a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5), NestingTooDeep, 1),
        ("deep.json", "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5), NestingTooDeep, 1),
    ],
)
def test_bad_files_raise_with_a_position(
    tmp_path: Path, name: str, content: str | bytes, error: type[LoadError], line: int
) -> None:
    with pytest.raises(error) as info:
        load_file(write(tmp_path, name, content))
    assert info.value.line == line


def test_alias_bomb_stops_early(tmp_path: Path) -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        levels.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    with pytest.raises(AliasLimitExceeded):
        load_file(write(tmp_path, "bomb.yaml", "\n".join(levels) + "\n"))


def test_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import toolkit.records.reading as reading

    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 10)
    with pytest.raises(FileTooLarge):
        load_file(write(tmp_path, "big.yaml", "a: 12345678901\n"))


def test_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile):
        load_file(tmp_path / "missing.yaml")
    with pytest.raises(UnreadableFile):
        load_file(tmp_path)


def _load_or_refuse(data: bytes, suffix: str) -> None:
    """Loading either succeeds or raises a LoadError; nothing else may escape."""
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        handle.write(data)
        handle.flush()
        try:
            load_file(Path(handle.name))
        except LoadError:
            pass


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_loader_never_crashes_on_bytes(data: bytes) -> None:
    _load_or_refuse(data, ".yaml")
    _load_or_refuse(data, ".json")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#,? \n\t\u00a0đ0.1%")), max_size=120))
def test_loader_never_crashes_on_yaml_like_text(text: str) -> None:
    _load_or_refuse(text.encode("utf-8"), ".yaml")


@settings(max_examples=400, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("ab đĐ\u00a0\u2009\n\t\u200b\u2013\u201c\u2026e\u0301ê\u0323")),
        max_size=60,
    ),
    st.booleans(),
)
def test_fast_and_chunked_folds_agree(text: str, loose: bool) -> None:
    from toolkit.core.text import _fold_chunks, fold, fold_text

    fast, slow = fold(text, loose), _fold_chunks(text, loose)
    assert fast.text == slow.text == fold_text(text, loose)
    for i in range(len(fast.text)):
        # every folded character maps back to original characters whose fold holds it
        start, end = fast.to_original(i, i + 1)
        assert fast.text[i] == " " or fast.text[i] in fold_text(text[start:end], loose)


SCALARS = st.one_of(
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.none(),
    st.sampled_from(
        ["no", "Yes", "on", "1:20", "010", "0x1F", "1_000", "2023-01-06", ".inf", "9.80", "~", ""]
    ),
    st.text(alphabet=st.sampled_from(list("ab đ:-#&*!'\"[]{},0123456789.")), max_size=12),
    st.decimals(allow_nan=False, allow_infinity=False, places=2),
)
DOCS = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(min_size=1, max_size=6), inner, max_size=4)
    ),
)


@settings(max_examples=400, deadline=None)
@given(DOCS, st.booleans())
def test_positions_pass_builds_what_the_plain_pass_builds(doc: object, plain: bool) -> None:
    """A file is parsed without positions, and again with them when a problem needs one: both
    passes build the same data (one parser, one builder: there is no second YAML path)."""
    import yaml as pyyaml

    from toolkit.records.yaml import parse_yaml, yaml_positions

    def render(value: object) -> object:
        if isinstance(value, Decimal):
            return str(value) if not plain else float(value)
        if isinstance(value, dict):
            return {k: render(v) for k, v in value.items()}
        if isinstance(value, list):
            return [render(v) for v in value]
        return value

    text = pyyaml.safe_dump(render(doc), allow_unicode=True)
    if plain:  # strings unquoted where YAML allows: the risky spellings appear plain
        text = text.replace("'", "")
    try:
        parsed = parse_yaml(text, "x")
    except LoadError:
        return
    positions, _ = yaml_positions(text, "x")
    assert parsed.positions is None or parsed.positions == positions


def test_hashes_that_look_like_numbers_are_not_warned(tmp_path: Path) -> None:
    doc = load_file(write(tmp_path, "a.yaml", "sha256: 0b277e5c550625d41cc4757cadf69a9ad5\nb: 0b101\n"))
    assert doc.data == {"sha256": "0b277e5c550625d41cc4757cadf69a9ad5", "b": "0b101"}
    assert [w.line for w in doc.warnings] == [2]


# ------------------------------------------------------------------ hardening (issue 12)


def test_15000_nested_dashes_are_refused_not_a_segfault(tmp_path: Path) -> None:
    """The compiled fast path segfaulted here; libyaml's events stop at the depth limit."""
    with pytest.raises(NestingTooDeep) as info:
        load_file(write(tmp_path, "deep.yaml", "- " * 15_000 + "x\n"))
    assert info.value.line == 1


@pytest.mark.parametrize("depth", [1_000, 30_000, 100_000])
def test_deep_json_is_refused_at_once(tmp_path: Path, depth: int) -> None:
    """30 000 levels took 4 GB in a quadratic position pass; 100 000 ended in MemoryError."""
    text = '{"a":\n' + "[" * depth + "]" * depth + "}"
    with pytest.raises(NestingTooDeep) as info:
        load_file(write(tmp_path, "deep.json", text))
    assert (info.value.line, info.value.column) == (2, MAX_DEPTH)  # the 65th level


@pytest.mark.parametrize(
    ("name", "content", "line"),
    [
        ("exp.json", '{"a":\n 0.4e0066999999999999999999999}', 2),
        ("exp.yaml", "a: 1\nb: 0.4e0066999999999999999999999\n", 2),
        ("overflow.yaml", "value:\n  amount: 1e999999999\n", 2),
        ("overflow.json", '{"value": {"amount": 1e999999999}}', 1),
        ("digits.yaml", "a: " + "9" * 5001 + "\n", 1),
        ("digits.json", '[1,\n"x",\n' + "9" * 5001 + "]", 3),
        ("rounded.yaml", "a: 1234567890123456789012345678.9\n", 1),
        ("tagged.yaml", "a: !!int " + "9" * 5001 + "\n", 1),
    ],
)
def test_numbers_out_of_range_are_refused_where_written(
    tmp_path: Path, name: str, content: str, line: int
) -> None:
    """`decimal.InvalidOperation`, `decimal.Overflow` and Python's digit limit were crashes."""
    with pytest.raises(NumberTooLarge) as info:
        load_file(write(tmp_path, name, content))
    assert info.value.code == "number-out-of-range"
    assert info.value.line == line
    assert "out of range" in info.value.message


@pytest.mark.parametrize("text", ["9800000", "-3.50", "1e10", "0.000001", "9" * 28, "1" + "0" * 40])
def test_ordinary_numbers_still_load(tmp_path: Path, text: str) -> None:
    assert load_file(write(tmp_path, "a.yaml", f"a: {text}\n")).data["a"] == Decimal(text)
    assert load_file(write(tmp_path, "a.json", f'{{"a": {text}}}')).data["a"] == Decimal(text)


@pytest.mark.parametrize(
    ("content", "line", "column"),
    [
        ('{"k\\ud800": 1}', 1, 4),
        ('{"a": "ok",\n "b": "x\\udc00y"}', 2, 9),
        ('["\\ud83d\\ude00", "\\ud83d"]', 1, 19),
    ],
)
def test_lone_surrogates_in_json_are_refused(tmp_path: Path, content: str, line: int, column: int) -> None:
    """A lone surrogate raised UnicodeEncodeError, or passed validate and broke build."""
    with pytest.raises(NotUtf8) as info:
        load_file(write(tmp_path, "s.json", content))
    assert (info.value.line, info.value.column) == (line, column)


def test_a_surrogate_pair_is_one_character(tmp_path: Path) -> None:
    assert load_file(write(tmp_path, "s.json", '["\\ud83d\\ude00"]')).data == ["\U0001f600"]


def test_a_tab_only_line_is_a_syntax_error_that_says_what_to_do(tmp_path: Path) -> None:
    """The fast path accepted it and the position pass then crashed; now one parser says where."""
    with pytest.raises(MalformedYaml) as info:
        load_file(write(tmp_path, "t.yaml", "claims:\n  - id: a\n\t\n  - id: b\n"))
    assert info.value.line == 3
    assert "tabs" in info.value.message


@pytest.mark.parametrize("name", ["cr.yaml", "cr.json"])
def test_cr_only_line_endings_are_named(tmp_path: Path, name: str) -> None:
    """They were reported as `schema-ref-missing` at 1:1."""
    content = "# c\rclaims: []\r" if name.endswith("yaml") else '{\r"claims": []\r}'
    with pytest.raises(LineEndings) as info:
        load_file(write(tmp_path, name, content))
    assert info.value.code == "line-endings"
    assert "CR" in info.value.message


def test_crlf_is_fine(tmp_path: Path) -> None:
    assert load_file(write(tmp_path, "a.yaml", "a: 1\r\nb: 2\r\n")).data == {"a": 1, "b": 2}


def test_a_symlinked_record_file_is_refused(tmp_path: Path) -> None:
    outside = write(tmp_path, "outside.yaml", "claims: []\n")
    (tmp_path / "seeds").mkdir()
    link = tmp_path / "seeds" / "linked.yaml"
    link.symlink_to(outside)
    with pytest.raises(SymlinkedFile) as info:
        load_file(link)
    assert info.value.code == "file-symlink"


@pytest.mark.parametrize(
    ("content", "value"),
    [
        ("- ! 12\n", ["12"]),  # S4JQ: the non-specific tag makes a string
        ("a: !!str 12\n", {"a": "12"}),
        ("a: !!int 12\n", {"a": 12}),
    ],
)
def test_tags_never_change_a_value(tmp_path: Path, content: str, value: object) -> None:
    assert load_file(write(tmp_path, "t.yaml", content)).data == value


def test_anchor_names_libyaml_cuts_short_are_refused(tmp_path: Path) -> None:
    """Y2GN: `&an:chor value` was read as the value ':chor value'."""
    with pytest.raises(UnsupportedYaml) as info:
        load_file(write(tmp_path, "a.yaml", "---\nkey: &an:chor value\n"))
    assert info.value.line == 2
    assert load_file(write(tmp_path, "b.yaml", "a: &x-1 v\nb: *x-1\n")).data == {"a": "v", "b": "v"}


def test_an_error_at_the_end_of_a_file_without_a_line_break_is_on_its_last_line(tmp_path: Path) -> None:
    """Found by the fuzz test: libyaml put the end of `[` on line 2 of a one-line file."""
    with pytest.raises(MalformedYaml) as info:
        load_file(write(tmp_path, "a.yaml", "["))
    assert (info.value.line, info.value.column) == (1, 2)


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"])
def test_yaml_11_line_breaks_are_refused(tmp_path: Path, char: str) -> None:
    """Found by the fuzz test: libyaml counts U+2028 as a line break (lines past the file's
    end were reported) and folds it out of quoted values; YAML 1.2 keeps it as a character."""
    with pytest.raises(LineEndings) as info:
        load_file(write(tmp_path, "a.yaml", f"a: 1\nb: 'x{char}y'\n"))
    assert (info.value.line, info.value.column) == (2, 6)
    assert load_file(write(tmp_path, "a.json", f'{{"b": "x{char}y"}}')).data == {"b": f"x{char}y"}


def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(UnreadableFile) as info:
        load_file(fifo)
    assert "regular file" in info.value.message


@pytest.mark.parametrize(
    "text", ["?0: null\n? '\x85  '\n: 0\n", "0: no\n00:\n- ? 0\x85    \n  : 0\n- ?: null\n"]
)
def test_yaml_11_line_breaks_never_crash_the_parser(text: str) -> None:
    """Found by the property test: libyaml's lines (broken at U+0085 too) and ours disagreed,
    and a position past the end of the text raised IndexError."""
    from toolkit.records.yaml import parse_yaml

    try:
        parse_yaml(text, "x")
    except LoadError:
        pass
