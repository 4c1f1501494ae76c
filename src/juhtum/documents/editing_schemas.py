"""The editing schemas: what an editor checks a draft against while it lies in ``.juhtum/edit/``.

A template leaves every field it cannot fill empty (``key:``), and an empty field reads as
null, which the schemas refuse: a language server (VS Code, Neovim, any editor that reads
the ``# yaml-language-server: $schema=`` line) would flag every empty field of a fresh
template before the person typed anything. So a template's schema line points at the
*editing* copy of its schema (:func:`editing_ref`: ``…/schemas/draft/plan.schema.json``),
which is the schema itself with one difference: every field may also be left empty (null).
What is typed is checked as strictly as ever (a wrong type, a date that is no date, an
unknown field, a choice not among the choices). On save the schema line is turned back to
the schema itself (:func:`stored_line`, through :func:`juhtum.documents.templates.strip_help`),
and juhtum checks the document against the strict schema as before: the editing schemas are
for editors only, never for juhtum's own checks.

The editing copies are made from the schemas, never kept by hand: ``juhtum init`` and
``juhtum schemas --update`` write them beside the copies (``.juhtum/schemas/draft/``), and
``validate`` warns when they are stale like the others.
"""

from __future__ import annotations

import json
import posixpath
import re
from typing import Any

from juhtum.documents import schemas

FOLDER = "draft"
"""The editing copies' folder, beside the schemas (``.juhtum/schemas/draft/``)."""

_ANNOTATIONS = ("title", "description", "$comment", "default", "examples", "markdownDescription")
"""Words about a field, kept on the field itself so that hover shows them, not its type's."""
_SUBSCHEMAS = ("items", "additionalProperties", "then", "else")
"""Where the fields of objects lie; a condition (``if``, ``not``, ``contains``) is kept as it
is, so that a field left empty meets no condition it would not meet when absent."""
_COMPOSED = ("$ref", "anyOf", "oneOf", "allOf", "const", "not", "if")
_SUBSCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")
_SUBSCHEMA_MAPS = ("$defs", "patternProperties", "dependentSchemas")
_LINE = re.compile(
    r"^(\s*#\s*yaml-language-server\s*:\s*\$schema=(?:\S*/)?)" + FOLDER + r"/([^/\s]+)(?=\s|$)"
)


def editing_ref(ref: str) -> str:
    """The editing copy's path for a schema's path ``ref`` (``…/draft/<name>``)."""
    return posixpath.join(posixpath.dirname(ref), FOLDER, posixpath.basename(ref))


def stored_line(line: str) -> str:
    """A ``yaml-language-server`` line that points at an editing copy, pointed at the schema
    itself (as a stored document's is); any other line as it is."""
    return _LINE.sub(r"\g<1>\g<2>", line, count=1) if "yaml-language-server" in line else line


def editing_schema(name: str) -> dict[str, Any]:
    """The editing copy of the schema file ``name``: its ``$id`` in the editing folder (so
    that its references find the other editing copies) and every field nullable."""
    schema: dict[str, Any] = _walk(schemas.load(name))
    schema["$id"] = schemas.ID_BASE + FOLDER + "/" + name
    return schema


def editing_bytes(name: str) -> bytes:
    """The editing copy of ``name`` as it is written to a case repository."""
    return (json.dumps(editing_schema(name), indent=2, ensure_ascii=False) + "\n").encode()


def _nullable(schema: Any) -> bool:
    if not isinstance(schema, dict) or not schema:
        return True  # {} or true takes anything already
    declared = schema.get("type")
    if declared == "null" or (isinstance(declared, list) and "null" in declared):
        return True
    if None in (schema.get("enum") or ()) or ("const" in schema and schema["const"] is None):
        return True
    return any(
        isinstance(branch, dict) and branch.get("type") == "null"
        for key in ("anyOf", "oneOf")
        for branch in schema.get(key) or ()
    )


def _field(schema: Any) -> Any:
    """A field's schema that also takes null, its words kept on the field: null added to its
    type and choices where it says them itself, else a choice of it or null."""
    walked = _walk(schema)
    if _nullable(walked):
        return walked
    if not any(key in walked for key in _COMPOSED):
        out = dict(walked)
        if "type" in out:
            declared = out["type"]
            out["type"] = [*declared, "null"] if isinstance(declared, list) else [declared, "null"]
        if isinstance(out.get("enum"), list):
            out["enum"] = [*out["enum"], None]
        return out
    words = {k: v for k, v in walked.items() if k in _ANNOTATIONS or k.startswith("x-")}
    rest = {k: v for k, v in walked.items() if k not in words}
    return {**words, "anyOf": [rest, {"type": "null"}]}


def _walk(schema: Any) -> Any:
    """``schema`` with the fields of every object in it (at any depth) nullable."""
    if not isinstance(schema, dict):
        return schema
    out = dict(schema)
    if isinstance(out.get("properties"), dict):
        out["properties"] = {k: _field(v) for k, v in out["properties"].items()}
    for key in _SUBSCHEMAS:
        if key in out:
            out[key] = _walk(out[key])
    for key in _SUBSCHEMA_LISTS:
        if isinstance(out.get(key), list):
            out[key] = [_walk(v) for v in out[key]]
    for key in _SUBSCHEMA_MAPS:
        if isinstance(out.get(key), dict):
            out[key] = {k: _walk(v) for k, v in out[key].items()}
    return out
