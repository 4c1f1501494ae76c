"""The schemas: valid JSON Schema 2020-12, resolvable offline, annotated as the code needs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import referencing

from juhtum.documents import schema_copies, schemas, yamlio
from juhtum.model.documents import KINDS
from tests.conftest import EXAMPLES, ROOT

ALL = schemas.names()


def test_every_document_kind_has_a_schema() -> None:
    assert {schemas.schema_name(k) for k in KINDS} | {schemas.DEFS} == set(ALL)


@pytest.mark.parametrize("name", ALL)
def test_schema_passes_the_metaschema(name: str) -> None:
    jsonschema.Draft202012Validator.check_schema(schemas.load(name))


def walk(node: Any, path: str = "") -> Any:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, f"{path}/{i}")


@pytest.mark.parametrize("name", ALL)
def test_a_stable_id_and_every_ref_relative_within_the_set(name: str) -> None:
    schema = schemas.load(name)
    assert schema["$id"] == f"https://juhtum.ee/schemas/1/{name}" == schemas.schema_id(name)
    for path, node in walk(schema):
        if isinstance(node, dict):
            assert path == "" or "$id" not in node, f"{name}{path}: only the root has an $id"
            ref = node.get("$ref")
            if isinstance(ref, str):
                target, _, pointer = ref.partition("#")
                assert ":" not in target, f"{name}{path}: {ref} must be relative"
                resolved: Any = schemas.load(target or name)
                for part in filter(None, pointer.split("/")):
                    resolved = resolved[part]


def sites(schema: Any, path: str = "") -> Any:
    """Every place a field's schema sits: a property's value, a list's items."""
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "properties" and isinstance(value, dict):
                for prop, sub in value.items():
                    yield f"{path}/properties/{prop}", sub
            elif key == "items" and isinstance(value, dict):
                yield f"{path}/items", value
            yield from sites(value, f"{path}/{key}")
    elif isinstance(schema, list):
        for i, value in enumerate(schema):
            yield from sites(value, f"{path}/{i}")


@pytest.mark.parametrize("name", ALL)
def test_a_field_that_uses_a_definition_has_its_own_words(name: str) -> None:
    """Editors show the first title met along a $ref: the field's must be the only one."""
    for path, node in sites(schemas.load(name)):
        if any(f"/{k}/" in path for k in ("if", "then", "else", "not")):
            continue
        uses = "$ref" in node or any("$ref" in b for b in node.get("anyOf", node.get("oneOf", [])))
        if uses:
            for key in ("title", "description", "x-title-en", "x-description-en"):
                assert key in node, f"{name}{path} lacks {key} beside its $ref"
    for definition, body in schemas.load(schemas.DEFS)["$defs"].items():
        assert "title" not in body and "description" not in body, definition
        assert "x-type-title" in body, definition


def test_the_schemas_are_as_the_script_writes_them() -> None:
    """schemas/ is what scripts/schemas_for_editors.py makes of it (ids, field words)."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "schemas_for_editors.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr + "run: python scripts/schemas_for_editors.py"


def example_plan() -> Any:
    path = EXAMPLES / "kaasiku" / "cases"
    plan = next(iter(sorted(path.glob("*/plan.yaml"))))
    return yamlio.loads(plan.read_bytes(), path=str(plan)).data


def test_jsonschema_with_the_documented_three_lines(tmp_path: Path) -> None:
    """The README's three lines: a referencing registry of the copies, keyed by their $id."""
    folder = tmp_path / "repo" / ".juhtum" / "schemas"
    schema_copies.copy_to(folder)
    plan = example_plan()
    # -- the README's lines (with folder = .juhtum/schemas of a case repository)
    every = [json.loads(p.read_text()) for p in folder.glob("*.schema.json")]
    registry = referencing.Registry().with_contents((s["$id"], s) for s in every)
    validator = jsonschema.Draft202012Validator(
        registry.contents(schemas.schema_id("plan.schema.json")), registry=registry
    )
    # --
    assert list(validator.iter_errors(plan)) == []
    broken = {**plan, "problem_summary": 5, "goals": [{"id": "g1"}]}
    errors = {tuple(e.absolute_path): e.validator for e in validator.iter_errors(broken)}
    assert errors[("problem_summary",)] == "type"  # through defs.schema.json#/$defs/text
    assert errors[("goals", 0)] == "required"


@pytest.mark.parametrize("name", ALL)
def test_every_property_is_titled_in_estonian_and_english(name: str) -> None:
    schema = schemas.load(name)
    for path, node in walk(schema):
        if path.endswith("/properties") and isinstance(node, dict):
            if any(f"/{k}/" in path for k in ("if", "then", "else")):
                continue  # conditional constraints; the property's texts are where it is defined
            for prop, sub in node.items():
                for key in ("title", "description", "x-title-en", "x-description-en"):
                    assert key in sub, f"{name}{path}/{prop} lacks {key}"


@pytest.mark.parametrize("kind", KINDS)
def test_every_validator_compiles_offline_and_refuses_an_empty_document(kind: str) -> None:
    validator = schemas.validator(kind)
    assert not validator.is_valid({})
    assert not validator.is_valid([])


def test_the_compiled_validator_follows_refs_into_the_definitions() -> None:
    plan = example_plan()
    assert schemas.validator("plan").is_valid(plan)
    assert not schemas.validator("plan").is_valid({**plan, "problem_summary": ""})  # $defs/text
    assert not schemas.validator("plan").is_valid({**plan, "date": "2026-13-45"})  # format date


def test_field_index_reads_the_annotations() -> None:
    plan = schemas.field_index("plan")
    assert ("signatures", "*", "party") in plan.handles
    assert ("actions", "*", "responsible", "*") in plan.handles
    assert plan.fields[("actions", "*", "deadline")].rule == "I4"
    assert plan.fields[("signatures", "*", "date")].past
    assert not plan.fields[("actions", "*", "deadline")].past
    person = schemas.field_index("person")
    assert {("name",), ("personal_code",), ("birth_date",)} <= set(person.sensitive)
    assert person.fields[("personal_code",)].definition == "personal_code"
    case = schemas.field_index("case")
    assert ("coordinator",) in case.handles


def test_the_schemas_are_found_in_the_source_tree() -> None:
    """A checkout or an editable install reads the top-level schemas/ (the wheel: test_wheel)."""
    assert Path(str(schemas.directory())) == ROOT / "schemas"
    assert sorted(p.name for p in (ROOT / "schemas").glob("*.schema.json")) == ALL
    assert (
        schemas.read_bytes("plan.schema.json")
        == (ROOT / "schemas" / "plan.schema.json").read_bytes()
    )


def test_copy_to_writes_every_schema(tmp_path: Any) -> None:
    written = schema_copies.copy_to(tmp_path / "s")
    assert sorted(str(p.relative_to(tmp_path / "s")) for p in written) == sorted(
        [*ALL, *(f"draft/{name}" for name in ALL)]
    )
