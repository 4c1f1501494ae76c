"""A document's JSON Schema resolved for writing its template: each property's schema with
its ``$ref`` and ``anyOf``/``oneOf`` chain followed (:func:`schema_node`), so that the
template (:mod:`juhtum.documents.templates`) finds a field's title, type, items and
properties wherever the schema keeps them. Pure: reads the packaged schemas only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from juhtum.documents import schemas


@dataclass(frozen=True)
class SchemaNode:
    """A schema with its ``$ref`` and ``anyOf``/``oneOf`` chain followed, outermost first.

    Each layer keeps the schema file it belongs to, so that the ``$ref``\\ s of
    the properties found in it resolve against the right file.
    """

    layers: tuple[tuple[str, dict[str, Any]], ...]
    definitions: frozenset[str]

    def get(self, key: str) -> Any:
        for _, layer in self.layers:
            if key in layer:
                return layer[key]
        return None

    def find(self, key: str) -> tuple[str, Any] | None:
        for doc, layer in self.layers:
            if key in layer:
                return doc, layer[key]
        return None

    @property
    def type(self) -> str | None:
        declared = self.get("type")
        if isinstance(declared, list):
            declared = next((t for t in declared if t != "null"), None)
        return declared if isinstance(declared, str) else None

    @property
    def properties(self) -> tuple[str, dict[str, Any]] | None:
        found = self.find("properties")
        if found is None or not isinstance(found[1], dict):
            return None
        return found

    @property
    def is_object(self) -> bool:
        return self.properties is not None or self.type == "object"

    @property
    def items(self) -> SchemaNode | None:
        found = self.find("items")
        if found is None or not isinstance(found[1], dict):
            return None
        return schema_node(found[0], found[1])

    @property
    def is_array(self) -> bool:
        return self.find("items") is not None or self.type == "array"


def _is_null(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    declared = schema.get("type")
    if declared in ("null", ["null"]):
        return True
    return "const" in schema and schema["const"] is None


def _resolve(current: str, ref: str) -> tuple[str, Any, str | None]:
    """The file, schema and definition name a ``$ref`` points to (as :mod:`juhtum.documents.schemas`)."""
    target, _, pointer = ref.partition("#")
    doc = target or current
    node: Any = schemas.load(doc)
    definition = None
    for part in (p for p in pointer.split("/") if p):
        node = node[part.replace("~1", "/").replace("~0", "~")]
        definition = part
    return doc, node, definition


def schema_node(doc: str, schema: dict[str, Any]) -> SchemaNode:
    layers: list[tuple[str, dict[str, Any]]] = []
    definitions: set[str] = set()

    def visit(doc: str, schema: Any, depth: int) -> None:
        if not isinstance(schema, dict) or depth > 40:
            return
        layers.append((doc, schema))
        ref = schema.get("$ref")
        if isinstance(ref, str):
            target_doc, target, definition = _resolve(doc, ref)
            if definition is not None:
                definitions.add(definition)
            visit(target_doc, target, depth + 1)
        for key in ("anyOf", "oneOf"):
            branches = schema.get(key)
            if isinstance(branches, list):
                branch = next((b for b in branches if not _is_null(b)), None)
                visit(doc, branch, depth + 1)

    visit(doc, schema, 0)
    return SchemaNode(tuple(layers), frozenset(definitions))
