"""The editing schemas: a draft in .juhtum/edit/ may leave fields empty, nothing else is let
through, and a saved document points at (and is checked against) the strict schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest
import referencing

from juhtum.documents import editing_schemas, schema_copies, schemas, templates, yamlio
from juhtum.model.documents import KINDS, kind_in_case
from tests.conftest import EXAMPLES

ALL = schemas.names()


def editing_validator(kind: str) -> Any:
    """The editing copy of ``kind``'s schema as an editor reads it: the copies by their $id."""
    every = [editing_schemas.editing_schema(name) for name in ALL]
    registry: Any = referencing.Registry().with_contents((s["$id"], s) for s in every)
    uri = schemas.ID_BASE + "draft/" + schemas.schema_name(kind)
    return jsonschema.Draft202012Validator(
        registry.contents(uri),
        registry=registry,
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


def fresh(kind: str) -> Any:
    return yamlio.loads(templates.template(kind), path="-").data


@pytest.mark.parametrize("name", ALL)
def test_an_editing_schema_passes_the_metaschema_and_names_its_own_place(name: str) -> None:
    schema = editing_schemas.editing_schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == schemas.ID_BASE + "draft/" + name
    assert schemas.load(name)["$id"] == schemas.ID_BASE + name  # the schema is untouched


@pytest.mark.parametrize("kind", KINDS)
def test_a_fresh_template_passes_its_editing_schema(kind: str) -> None:
    data = fresh(kind)
    assert list(editing_validator(kind).iter_errors(data)) == []


def test_the_strict_schema_and_juhtum_still_refuse_an_empty_field() -> None:
    for kind in ("plan", "monitoring"):
        assert list(schemas.validator(kind).iter_errors(fresh(kind))) != [], kind


def test_every_example_document_passes_both() -> None:
    """The editing schemas take at least what the schemas take."""
    checked = 0
    for case in sorted((EXAMPLES / "kaasiku" / "cases").iterdir()):
        for path in sorted(case.rglob("*.yaml")):
            kind = kind_in_case(path.relative_to(case).parts)
            if kind is None:
                continue
            data = yamlio.loads(path.read_bytes(), path=str(path)).data
            if list(schemas.validator(kind).iter_errors(data)):
                continue  # encrypted with sops: checked once decrypted
            assert list(editing_validator(kind).iter_errors(data)) == [], path
            checked += 1
    assert checked > 10


@pytest.mark.parametrize(
    ("kind", "field", "wrong"),
    [
        ("plan", "problem_summary", 5),  # a type, through the shared definitions
        ("plan", "version", "two"),
        ("monitoring", "kind", "chat"),  # not among the choices
        ("monitoring", "date", "2026-13-45"),
        ("monitoring", "no_such_field", "x"),  # a field the schema lacks
    ],
)
def test_what_is_typed_is_checked_as_strictly_as_ever(kind: str, field: str, wrong: Any) -> None:
    data = {**fresh(kind), field: wrong}
    errors = list(editing_validator(kind).iter_errors(data))
    assert errors, (kind, field)
    # and only for what was typed: the fields left empty are not among them
    assert all(tuple(e.absolute_path)[:1] in ((field,), ()) for e in errors), errors


def test_a_list_item_left_empty_passes_a_typed_one_is_checked() -> None:
    data = fresh("plan")
    assert isinstance(data["actions"], list) and data["actions"][0]["deadline"] is None
    data["actions"][0]["deadline"] = "someday"
    errors = list(editing_validator("plan").iter_errors(data))
    assert len(errors) == 1
    best = jsonschema.exceptions.best_match(errors)
    assert best is not None and tuple(best.absolute_path) == ("actions", 0, "deadline")


def test_the_schema_line_turns_back_on_save_and_nothing_else_changes() -> None:
    ref = "../../../.juhtum/schemas/plan.schema.json"
    editing = editing_schemas.editing_ref(ref)
    assert editing == "../../../.juhtum/schemas/draft/plan.schema.json"
    text = (
        f"# yaml-language-server: $schema={editing}\r\n#: help\nnote: see draft/plan.schema.json\n"
    )
    assert templates.strip_help(text) == (
        f"# yaml-language-server: $schema={ref}\r\nnote: see draft/plan.schema.json\n"
    )
    other = "# yaml-language-server: $schema=../mydraft/x.json\n"
    assert editing_schemas.stored_line(other) == other


def test_copies_hold_the_editing_schemas_and_a_stale_one_is_named(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    schema_copies.copy_to(root / schema_copies.COPIES)
    assert schema_copies.stale_copies(root) == []
    copy = root / schema_copies.COPIES / "draft" / "plan.schema.json"
    assert copy.read_bytes() == editing_schemas.editing_bytes("plan.schema.json")
    copy.write_text("{}")
    assert schema_copies.stale_copies(root) == ["draft/plan.schema.json"]
    copy.unlink()
    assert schema_copies.stale_copies(root) == ["draft/plan.schema.json"]
