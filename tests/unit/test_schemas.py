"""The schemas: valid JSON Schema 2020-12, resolvable offline, annotated as the code needs."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from juhtum import schemas
from juhtum.model.documents import KINDS

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
def test_no_id_and_every_ref_is_a_local_file(name: str) -> None:
    schema = schemas.load(name)
    for path, node in walk(schema):
        if isinstance(node, dict):
            assert "$id" not in node, f"{name}{path}: an $id makes other tools fetch it"
            ref = node.get("$ref")
            if isinstance(ref, str):
                target, _, pointer = ref.partition("#")
                assert not target.startswith(("http:", "https:")), ref
                resolved: Any = schemas.load(target or name)
                for part in filter(None, pointer.split("/")):
                    resolved = resolved[part]


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
def test_every_validator_compiles_offline(kind: str) -> None:
    assert schemas.validator(kind).is_valid({}) in (True, False)


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


def test_schemas_ship_as_json_files_that_parse() -> None:
    for name in ALL:
        assert json.loads(json.dumps(schemas.load(name))) == schemas.load(name)


def test_copy_to_writes_every_schema(tmp_path: Any) -> None:
    written = schemas.copy_to(tmp_path / "s")
    assert sorted(p.name for p in written) == ALL
