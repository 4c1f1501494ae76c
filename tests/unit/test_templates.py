"""Document templates generated from the schemas: complete, commented, and valid YAML."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from juhtum.cli.editor import edit_path
from juhtum.documents import schemas, yamlio
from juhtum.documents.editing_schemas import editing_ref
from juhtum.documents.templates import HELP, WIDTH, strip_help, template
from juhtum.model.documents import KINDS
from juhtum.workflow.targets import Target, schema_ref

REF = "../.juhtum/schemas/plan.schema.json"


def load(text: str) -> Any:
    return yamlio.loads(text, path="x").data


def is_help(line: str) -> bool:
    return line.lstrip().startswith("#:")


def help_above(lines: list[str], number: int) -> str:
    """The help lines directly above 1-based line ``number``, joined into one text."""
    block: list[str] = []
    i = number - 2
    while i >= 0 and is_help(lines[i]):
        block.append(lines[i].lstrip()[len(HELP) :])
        i -= 1
    return " ".join(reversed(block))


@pytest.mark.parametrize("kind", KINDS)
def test_template_parses_and_explains_every_field(kind: str) -> None:
    text = template(kind)
    loaded = yamlio.loads(text, path="x", lines=True)
    assert isinstance(loaded.data, dict)
    assert loaded.lines is not None
    lines = text.splitlines()
    index = schemas.field_index(kind)
    root = index.get(())
    assert root is not None and root.title and root.title_en
    header = help_above(lines, next(i for i, line in enumerate(lines, 1) if not line))
    assert root.title in header and root.title_en in header
    checked = 0
    for pattern, field in index.fields.items():
        if not pattern or field.title is None:
            continue
        path = tuple(0 if part == "*" else part for part in pattern)
        if pattern[-1] != "*":  # an item of a list of scalars has no line of its own
            assert path in loaded.lines, f"{kind}: {pattern} has no line"
        number = loaded.line_of(path)
        assert number is not None
        above = help_above(lines, number)
        assert f"{field.title}" in above, f"{kind}: {pattern} lacks its Estonian help"
        assert field.title_en is not None and field.title_en in above, pattern
        checked += 1
    assert checked > 0


@pytest.mark.parametrize("kind", KINDS)
def test_template_has_both_languages_and_strips_clean(kind: str) -> None:
    text = template(kind, schema_ref=REF)
    assert "#: Tühjaks jäetud välju ei salvestata." in text
    assert "#: Fields left empty are not saved." in text
    stripped = strip_help(text)
    assert not any(is_help(line) for line in stripped.splitlines())
    assert stripped.splitlines()[0] == f"# yaml-language-server: $schema={REF}"
    assert load(stripped) == load(text)


@pytest.mark.parametrize("kind", KINDS)
def test_help_lines_are_short_and_aligned(kind: str) -> None:
    lines = template(kind).splitlines()
    for number, line in enumerate(lines):
        if is_help(line):
            assert len(line) <= WIDTH, line
            assert line.lstrip().startswith(HELP)
            following = next(x for x in lines[number:] if not is_help(x))
            indent = len(line) - len(line.lstrip())
            key_column = len(following) - len(following.lstrip(" -"))
            # help is at its key's column, or at the "- " of the item it starts
            assert indent in (key_column, key_column - 2), (line, following)


def test_empty_fields_read_as_none() -> None:
    data = load(template("plan"))
    assert data["case"] is None
    assert data["goals"] == [
        {
            "id": None,
            "statement": None,
            "deadline": None,
            "indicator": None,
            "hindering_factors": None,
            "domains": None,
            "withdrawn": {"date": None, "reason": None},
        }
    ]
    assert data["actions"][0]["responsible"] is None


def test_prefill() -> None:
    text = template("plan", values={"case": "x-1", "version": 2, "goals": [{"id": "g1"}]})
    data = load(text)
    assert data["case"] == "x-1"
    assert data["version"] == 2
    assert len(data["goals"]) == 1
    goal = data["goals"][0]
    assert goal["id"] == "g1"
    assert {k: v for k, v in goal.items() if k != "id"} == {
        "statement": None,
        "deadline": None,
        "indicator": None,
        "hindering_factors": None,
        "domains": None,
        "withdrawn": {"date": None, "reason": None},
    }
    assert "  - id: g1\n" in text
    assert load(strip_help(text)) == data


def test_prefilled_items_keep_their_help_and_order() -> None:
    goals = [
        {"id": "g1", "statement": "Leida töö", "deadline": "2026-12-01"},
        {"id": "g2", "domains": ["health", "housing"]},
    ]
    text = template("plan", values={"goals": goals})
    data = load(text)
    assert [g["id"] for g in data["goals"]] == ["g1", "g2"]
    assert data["goals"][0]["deadline"] == "2026-12-01"
    assert data["goals"][1]["domains"] == ["health", "housing"]
    assert data["goals"][1]["statement"] is None
    assert text.count("#: Eesmärgi sõnastus") == 2
    assert list(data) == list(load(template("plan")))


def test_prefill_nested_objects_and_unknown_keys() -> None:
    values = {
        "case": "lepiku-x",
        "info_sufficient": False,
        "initial_info": {"consent": {"given_by": "client", "date": "2026-11-23"}},
        "decision": {"outcome": "case_management", "referrals": []},
        "x-note": "oma märkus",
        "extra": {"a": [1, 2]},
    }
    data = load(template("need", values=values))
    assert data["info_sufficient"] is False
    consent = data["initial_info"]["consent"]
    assert consent["given_by"] == "client" and consent["date"] == "2026-11-23"
    assert consent["form"] is None
    assert data["initial_info"]["informed"]["purpose"] is None
    assert data["decision"]["outcome"] == "case_management"
    assert data["decision"]["referrals"] == []
    assert list(data)[-2:] == ["x-note", "extra"]
    assert data["x-note"] == "oma märkus"
    assert data["extra"] == {"a": [1, 2]}


@pytest.mark.parametrize(
    "value",
    [
        "yes",
        "010",
        "2026-03-01",
        "1:30",
        "",
        "multi\nline\ntext",
        "ends with a break\n",
        "two breaks\n\n",
        " leading space\nx",
        "a\n#: looks like help\nb",
        "#! looks like an error",
        "a " * 80 + "#:b",
        'quote " and \\ backslash',
        "tab\tand\u2028separator\x85next",
        "null",
        "true",
    ],
)
def test_prefilled_text_reads_back(value: str) -> None:
    text = template("plan", values={"problem_summary": value, "goals": [{"statement": value}]})
    for source in (text, strip_help(text)):
        data = load(source)
        assert data["problem_summary"] == value
        assert data["goals"][0]["statement"] == value


def test_hints() -> None:
    text = template("monitoring")
    assert (
        "#: one of / üks neist: contact | linking | service_check | problem | plan_change" in text
    )
    assert "    #: true / false\n    received:" in text
    assert "#: YYYY-MM-DD\ndate:" in text
    assert "#: lühitunnus people/ kaustast / a handle from people/\nby:" in text
    assert "#: lühitunnus people/ kaustast / a handle from people/\n#: [a, b]\ncontacts:\n" in text
    enum_lines = [x for x in template("plan").splitlines() if "social_network" in x]
    assert enum_lines and not any(x.lstrip()[len(HELP) :].startswith("|") for x in enum_lines)


def test_nullable_handle_uses_its_first_branch() -> None:
    text = template("case")
    assert "#: lühitunnus people/ kaustast / a handle from people/\ncoordinator:" in text
    assert "#: alati / always: client\n" in text


def test_schema_ref_line() -> None:
    """A template points at the editing copy beside the schema; a stored document at the
    schema itself."""
    text = template("plan", schema_ref=REF)
    assert text.startswith(f"# yaml-language-server: $schema={editing_ref(REF)}\n#: Juhtumiplaan")
    assert editing_ref(REF) != REF
    assert strip_help(text).startswith(f"# yaml-language-server: $schema={REF}\n")
    assert "# yaml-language-server" not in template("plan")
    with pytest.raises(ValueError, match="single line"):
        template("plan", schema_ref="a\nb: c")


def test_unknown_kind() -> None:
    with pytest.raises(ValueError, match="unknown document kind"):
        template("nonsense")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("#: help\na: 1\n", "a: 1\n"),
        ("  #: indented help\na: 1", "a: 1"),
        ("a: 1\n#: last line without a break", "a: 1\n"),
        ("#! error block\n#!\na: 1\r\n#: x\r\nb: 2\r\n", "a: 1\r\nb: 2\r\n"),
        (
            "# user comment\n#:\n\n# yaml-language-server: x\n",
            "# user comment\n\n# yaml-language-server: x\n",
        ),
        ("a: 1 #: trailing comment stays\n", "a: 1 #: trailing comment stays\n"),
        ("a: x\u2028#: not a line of its own\n", "a: x\u2028#: not a line of its own\n"),
        ("", ""),
    ],
)
def test_strip_help(text: str, expected: str) -> None:
    assert strip_help(text) == expected


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40),
    st.sampled_from(["#: x", "a\n#: b", "x\n\n", "- y", "k: v", "|+", "...", "---", "&a", "*a"]),
)


@settings(max_examples=150, deadline=None)
@given(
    case=scalars,
    summary=scalars,
    goals=st.lists(
        st.fixed_dictionaries({}, optional={"id": scalars, "statement": scalars, "x": scalars}),
        min_size=1,
        max_size=3,
    ),
    extra=st.dictionaries(
        st.text(min_size=1, max_size=8).filter(lambda k: k not in {"case", "goals"}),
        st.recursive(scalars, lambda inner: st.lists(inner, max_size=3), max_leaves=5),
        max_size=3,
    ),
)
def test_any_values_read_back(
    case: Any, summary: Any, goals: list[dict[str, Any]], extra: dict[str, Any]
) -> None:
    values = {**extra, "case": case, "problem_summary": summary, "goals": goals}
    text = template("plan", values=values, schema_ref=REF)
    data = load(text)
    assert load(strip_help(text)) == data
    assert data["case"] == case
    assert data["problem_summary"] == summary
    for got, want in zip(data["goals"], goals, strict=True):
        for key, value in want.items():
            assert got[key] == value
    for key, value in extra.items():
        if key != "problem_summary":
            assert data[key] == value


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("plan", "plan.yaml"),
        ("person", "people/mari.yaml"),
        ("monitoring", "monitoring/2026-11-23-a1b2.yaml"),
        ("followup", "followups/2026-11-23-a1b2.yaml"),
    ],
)
def test_the_schema_line_leads_to_the_copy_from_the_editor_and_from_the_case(
    kind: str, name: str, tmp_path: Path
) -> None:
    """The same relative path resolves from .juhtum/edit/ (where the editor opens the
    template) and from cases/<id>/ (where the document is stored)."""
    target = Target(name, kind, {}, None)
    text = template(kind, schema_ref=schema_ref(target))
    copies = tmp_path / ".juhtum" / "schemas"
    for document in (
        edit_path(tmp_path / ".juhtum", "kaasiku-1", name),
        tmp_path / "cases" / "kaasiku-1" / name,
    ):
        # the template (the editing copy), and the same text once saved (the schema itself)
        for shown, copy in ((text, copies / "draft"), (strip_help(text), copies)):
            line = shown.splitlines()[0]
            ref = line.removeprefix("# yaml-language-server: $schema=")
            assert ref != line and not ref.startswith("/")
            found = Path(os.path.normpath(document.parent / ref))
            assert found == (copy / schemas.schema_name(kind)).resolve(), document
