"""The strict YAML reader: YAML 1.2 core values, limits, and errors that name the line."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from juhtum.documents import yamlio
from juhtum.errors import DocumentError


def load(text: str) -> object:
    return yamlio.loads(text, path="doc.yaml").data


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: yes", {"a": "yes"}),
        ("a: no", {"a": "no"}),
        ("a: on", {"a": "on"}),
        ("a: off", {"a": "off"}),
        ("a: y", {"a": "y"}),
        ("a: true", {"a": True}),
        ("a: False", {"a": False}),
        ("a: 010", {"a": 10}),
        ("a: 0o17", {"a": 15}),
        ("a: 0x1F", {"a": 31}),
        ("a: 1:30", {"a": "1:30"}),
        ("a: 12:30:00", {"a": "12:30:00"}),
        ("a: 2026-03-01", {"a": "2026-03-01"}),
        ("a: 2026-03-01T10:00:00", {"a": "2026-03-01T10:00:00"}),
        ("a: '010'", {"a": "010"}),
        ("a: 1.5", {"a": 1.5}),
        ("a: 1e3", {"a": 1000.0}),
        ("a: ~", {"a": None}),
        ("a:", {"a": None}),
        ("a: null", {"a": None}),
        ("a: 1_000", {"a": "1_000"}),
        ("a: +12", {"a": 12}),
        ("a: !!str 12", {"a": "12"}),
        ("<<: 1", {"<<": 1}),
        ("1: x", {"1": "x"}),
        ("a: [1, b, 'c']", {"a": [1, "b", "c"]}),
    ],
)
def test_yaml_1_2_core_schema(text: str, expected: object) -> None:
    assert load(text) == expected


def test_special_floats() -> None:
    data = load("a: .inf\nb: -.Inf\nc: .nan")
    assert isinstance(data, dict)
    assert data["a"] == math.inf
    assert data["b"] == -math.inf
    assert math.isnan(data["c"])


def error_of(text: str | bytes) -> DocumentError:
    with pytest.raises(DocumentError) as info:
        yamlio.loads(text, path="cases/x/plan.yaml")
    return info.value


def test_duplicate_key_names_key_and_both_lines() -> None:
    err = error_of("case: x\ngoals:\n  - id: g1\n    id: g2\n")
    assert err.line == 4
    assert err.args_["key"] == "id"
    assert err.args_["first"] == 3
    assert "cases/x/plan.yaml:4" in err.render()


def test_duplicate_top_level_key_as_a_merge_leaves_it() -> None:
    err = error_of("version: 1\ndate: 2026-01-01\nversion: 2\n")
    assert (err.line, err.args_["key"]) == (3, "version")


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",
        "a: &x [1]\n",
        "a: *x\n",
        "base: &b {k: 1}\nother:\n  <<: *b\n",
    ],
)
def test_anchors_and_aliases_are_refused(text: str) -> None:
    assert "anchors" in error_of(text).message


def test_alias_bomb_is_refused_quickly() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(20)
    )
    assert "anchors" in error_of(bomb).message


@pytest.mark.parametrize(
    "text",
    ["[" * 30000 + "]" * 30000, "a: " + "{b: " * 30000 + "}" * 30000, "- " * 30000 + "x\n"],
)
def test_deep_nesting_is_refused_before_composing(text: str) -> None:
    """Refused as a document error on its line, not a RecursionError: by juhtum's own limit
    or, in flow style, by libyaml's (PyYAML >= 6.0.3 stops there first, in its words)."""
    err = error_of(text)
    assert err.line == 1
    assert err.path == "cases/x/plan.yaml"
    assert "nest" in err.render()


def test_nesting_within_the_limit_is_fine() -> None:
    depth = yamlio.MAX_DEPTH
    assert load("[" * depth + "]" * depth) is not None


def test_size_limit_is_checked_before_parsing() -> None:
    big = b"a: " + b"x" * (20 * 1024 * 1024) + b"\n"
    err = error_of(big)
    assert "KiB" in err.message
    assert err.args_["size"] == len(big) // 1024


def test_syntax_error_names_the_line() -> None:
    err = error_of("a: 1\nb: [1, 2\nc: 3\n")
    assert err.line is not None
    assert err.line >= 2
    assert "YAML syntax error" in err.message


def test_bad_indentation_names_the_line() -> None:
    err = error_of("a:\n  b: 1\n c: 2\n")
    assert err.line == 3


def test_tags_other_than_core_are_refused() -> None:
    assert "tag" in error_of("a: !!timestamp 2026-01-01\n").message
    assert "tag" in error_of("a: !!python/object:os.system x\n").message
    assert "tag" in error_of("a: !!binary aGVsbG8=\n").message
    assert "tag" in error_of("a: !!set {x}\n").message


def test_more_than_one_document_is_refused() -> None:
    assert "more than one" in error_of("a: 1\n---\nb: 2\n").message


def test_complex_keys_are_refused() -> None:
    assert "plain text" in error_of("? [a, b]\n: c\n").message


def test_invalid_utf8_names_the_line() -> None:
    err = error_of(b"a: 1\nb: \xff\xfe\n")
    assert err.line == 2
    assert "UTF-8" in err.message


def test_nul_byte_is_refused() -> None:
    err = error_of("a: 1\nb: x\x00y\n")
    assert err.line == 2
    assert "NUL" in err.message


def test_bom_is_accepted() -> None:
    assert yamlio.loads(b"\xef\xbb\xbfa: 1\n", path="x").data == {"a": 1}


def test_lines_are_recorded_on_request() -> None:
    text = "case: x\ngoals:\n  - id: g1\n    deadline: 2026-01-01\n  - id: g2\nsignatures: []\n"
    loaded = yamlio.loads(text, path="x", lines=True)
    assert loaded.line_of(("case",)) == 1
    assert loaded.line_of(("goals",)) == 2
    assert loaded.line_of(("goals", 0)) == 3
    assert loaded.line_of(("goals", 0, "deadline")) == 4
    assert loaded.line_of(("goals", 1, "id")) == 5
    assert loaded.line_of(("goals", 1, "missing")) == 5
    assert loaded.line_of(("signatures",)) == 6
    assert yamlio.loads(text, path="x").line_of(("case",)) is None


def test_lines_mode_reads_the_same_values() -> None:
    text = "a: [1, {b: [x, y]}, 'z']\nc:\n  d: |\n    two\n    lines\n"
    assert yamlio.loads(text, path="x", lines=True).data == load(text)


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(st.dictionaries(st.text(max_size=12), yaml_values, max_size=6))
def test_dumps_reads_back_identically(data: dict[str, object]) -> None:
    assert load(yamlio.dumps(data)) == data


@pytest.mark.parametrize(
    "value", ["0o17", "yes", "010", "2026-01-01", "1:30", "~", "", "true", "1e3"]
)
def test_dumps_quotes_what_would_not_read_back_as_text(value: str) -> None:
    assert load(yamlio.dumps({"a": value})) == {"a": value}
