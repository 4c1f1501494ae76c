"""The JSON Schemas of juhtum's documents: loading, compiling, and what their annotations say.

The one source of the schemas is the top-level ``schemas/`` folder of the
source tree; the wheel carries it as ``juhtum/schemas/`` (package data), and
:func:`directory` finds either: the package's folder when installed, the
source tree's in an editable install or a checkout. Each schema has a stable
``$id`` (:data:`ID_BASE` + its file name) and refers to the others by relative
file names (``defs.schema.json#/…``), which resolve against the ``$id`` within
the set, or against the file's own location, without a network; ``juhtum init``
copies them into a case repository's ``.juhtum/schemas/`` for editors and other
validators (:mod:`juhtum.documents.schema_copies`).

Besides validating, the schemas are the one place that says which fields hold
a person's handle, which hold personal data (``x-sensitive``), which dates
record something that happened (``x-past``) and which invariant a missing field
breaks (``x-rule``). :class:`FieldIndex` collects that per document kind by
walking the schema once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib.abc import Traversable
from importlib.resources import files
from pathlib import Path
from typing import Any

from juhtum.model.documents import KINDS

DEFS = "defs.schema.json"
ID_BASE = "https://juhtum.ee/schemas/1/"
"""The start of every schema's ``$id``; the number changes only when documents written for
the old schemas would no longer be read. Nothing is ever fetched from it."""
BASE_URI = ID_BASE
"""Where the compiled validators believe the schemas live: their ``$id``."""

Pattern = tuple[str, ...]
"""A field's place in a document, ``*`` standing for any list item: ``("goals", "*", "deadline")``."""


def schema_name(kind: str) -> str:
    return f"{kind}.schema.json"


def schema_id(name: str) -> str:
    return ID_BASE + name


@cache
def directory() -> Traversable:
    """The folder of the installed schemas: the package's own (a wheel), else the source
    tree's top-level ``schemas/`` (an editable install or a checkout)."""
    packaged = files("juhtum").joinpath("schemas")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "schemas"


def names() -> list[str]:
    """Every schema file shipped, the shared definitions included."""
    return sorted(p.name for p in directory().iterdir() if p.name.endswith(".schema.json"))


def read_bytes(name: str) -> bytes:
    return directory().joinpath(name).read_bytes()


@cache
def load(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(read_bytes(name).decode("utf-8"))
    return schema


@cache
def validator(kind: str) -> Any:
    """The compiled validator for ``kind``, made once and reused."""
    import jsonschema_rs

    registry = jsonschema_rs.Registry([(BASE_URI + name, load(name)) for name in names()])
    name = schema_name(kind)
    return jsonschema_rs.Draft202012Validator(
        load(name), registry=registry, base_uri=BASE_URI + name, validate_formats=True
    )


# -- what the annotations say -----------------------------------------------------------


@dataclass
class Field:
    """What the schema says about one field of a document kind."""

    pattern: Pattern
    title: str | None = None
    title_en: str | None = None
    sensitive: bool = False
    past: bool = False
    handle: bool = False
    rule: str | None = None
    definition: str | None = None
    """The name of the shared definition the field uses (``date``, ``handle``…), if any."""
    enum: list[Any] | None = None
    clause: str | None = None
    """The guideline's or the regulation's clause the description cites (``juhis §2.2``)."""
    confidential: bool = False
    """``x-confidential``: never in an export or a report (a notification's reporter, LasteKS)."""


@dataclass
class FieldIndex:
    kind: str
    fields: dict[Pattern, Field] = field(default_factory=dict)

    def get(self, pattern: Pattern) -> Field | None:
        return self.fields.get(pattern)

    def of(self, path: tuple[str | int, ...]) -> Field | None:
        return self.fields.get(to_pattern(path))

    @property
    def handles(self) -> list[Pattern]:
        return [p for p, f in self.fields.items() if f.handle]

    @property
    def sensitive(self) -> list[Pattern]:
        return [p for p, f in self.fields.items() if f.sensitive]

    @property
    def confidential(self) -> list[Pattern]:
        return [p for p, f in self.fields.items() if f.confidential]

    @property
    def past_dates(self) -> list[Pattern]:
        return [p for p, f in self.fields.items() if f.past]


def to_pattern(path: tuple[str | int, ...]) -> Pattern:
    return tuple("*" if isinstance(p, int) else p for p in path)


@cache
def field_index(kind: str) -> FieldIndex:
    index = FieldIndex(kind)
    _walk(index, schema_name(kind), load(schema_name(kind)), (), 0)
    return index


_CLAUSE = re.compile(r"\(((?:juhis §|määrus)(?:[^()]|\([^()]*\))*)\)")


def _resolve(current: str, ref: str) -> tuple[str, dict[str, Any], str | None]:
    """The document name, schema and definition name a ``$ref`` points to."""
    target, _, pointer = ref.partition("#")
    name = target or current
    node: Any = load(name)
    definition = None
    for part in (p for p in pointer.split("/") if p):
        node = node[part.replace("~1", "/").replace("~0", "~")]
        definition = part
    return name, node, definition


def _walk(index: FieldIndex, doc: str, schema: Any, pattern: Pattern, depth: int) -> None:
    if not isinstance(schema, dict) or depth > 40:
        return
    record = index.fields.setdefault(pattern, Field(pattern))
    if record.title is None and isinstance(schema.get("title"), str):
        record.title = schema["title"]
        record.title_en = schema.get("x-title-en")
        cited = _CLAUSE.search(str(schema.get("x-description-en", "")))
        record.clause = cited.group(1) if cited else None
    ref = schema.get("$ref")
    if isinstance(ref, str):
        target_doc, target, definition = _resolve(doc, ref)
        if definition == "handle":
            record.handle = True
        if definition is not None and record.definition is None:
            record.definition = definition
        _walk(index, target_doc, target, pattern, depth + 1)
    record.sensitive |= schema.get("x-sensitive") is True
    record.past |= schema.get("x-past") is True
    record.confidential |= schema.get("x-confidential") is True
    if isinstance(schema.get("x-rule"), str) and record.rule is None:
        record.rule = schema["x-rule"]
    if isinstance(schema.get("enum"), list) and record.enum is None:
        record.enum = schema["enum"]
    for name, sub in (schema.get("properties") or {}).items():
        _walk(index, doc, sub, (*pattern, name), depth + 1)
    if "items" in schema:
        _walk(index, doc, schema["items"], (*pattern, "*"), depth + 1)
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(key) or ():
            _walk(index, doc, sub, pattern, depth + 1)
    for key in ("then", "else"):
        if key in schema:
            _walk(index, doc, schema[key], pattern, depth + 1)


def values_at(data: Any, pattern: Pattern) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Every ``(path, value)`` in ``data`` whose place matches ``pattern``."""

    def walk(node: Any, rest: Pattern, path: tuple[str | int, ...]) -> Iterator[Any]:
        if not rest:
            yield path, node
            return
        head, tail = rest[0], rest[1:]
        if head == "*":
            if isinstance(node, list):
                for i, item in enumerate(node):
                    yield from walk(item, tail, (*path, i))
        elif isinstance(node, dict) and head in node:
            yield from walk(node[head], tail, (*path, head))

    yield from walk(data, pattern, ())


def all_kinds() -> tuple[str, ...]:
    return KINDS
