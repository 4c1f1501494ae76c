"""Commented YAML templates of juhtum's documents, generated from their JSON Schemas.

Commands that open ``$EDITOR`` on a new document (need.yaml, plan.yaml, a
monitoring entry…) start from :func:`template`: every property of the
document's schema, in schema order and at every depth, with an empty value
(``key:``) or a prefilled one, each preceded by help lines in Estonian and
English taken straight from the schema's ``title``/``description`` and
``x-title-en``/``x-description-en``. Help lines start with :data:`HELP`
(``#:``) and :func:`strip_help` removes them on save, together with the
``#!`` error block an editor session adds; ordinary comments (``# …``), such
as the ``yaml-language-server`` line, stay.

The text always parses with the strict reader (:func:`juhtum.documents.yamlio.loads`),
before and after :func:`strip_help`, to the same data; fields left empty read
as ``None``. The module is pure: it reads the packaged schemas and nothing else.
"""

from __future__ import annotations

import datetime
import math
import re
import textwrap
from collections.abc import Mapping
from typing import Any

from juhtum.documents import editing_schemas, schemas, yamlio
from juhtum.documents.schema_tree import SchemaNode, schema_node

HELP = "#: "
"""The prefix of every help line a template adds; :func:`strip_help` removes those lines."""

ERROR = "#! "
"""The prefix of the lines of the error block an editor session adds above the document."""

WIDTH = 80
"""Help lines are wrapped to end by this column, an 80-column terminal's (a single long word
may pass it)."""

_MIN_TEXT = 30
"""Deeply indented help still gets at least this many characters a line."""

_NOTE_ET = (
    "Tühjaks jäetud välju ei salvestata. Read, mis algavad märkidega #:, "
    "on abitekst ja eemaldatakse salvestamisel."
)
_NOTE_EN = (
    "Fields left empty are not saved. Lines starting with #: are help and are removed on save."
)
_ONE_OF = "one of / üks neist: "
_ALWAYS = "alati / always: "
_BOOLEAN = "true / false"
_DATE = "YYYY-MM-DD"
_HANDLE = "lühitunnus people/ kaustast / a handle from people/"
_ITEMS = "kirjed / items: "

_MISSING: Any = object()
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
_KEEP_OR_END = re.compile(r"(?:^|[ :-])[|>][1-9]?\+\Z|^\.\.\.\Z|^---\Z")
"""Dumped lines that make a value unsafe to embed: keep chomping (``|+``, whose
trailing blank lines would swallow the template's), or a document marker."""


def template(
    kind: str, *, values: Mapping[str, Any] | None = None, schema_ref: str | None = None
) -> str:
    """The commented YAML template of a ``kind`` document, prefilled with ``values``.

    ``values`` may be nested like the document: a mapping under an object
    property fills its fields, a list of mappings under a list-of-objects
    property replaces the example item. Keys the schema lacks are written after
    the schema's keys at the same level. ``schema_ref``, the path to the schema, adds the
    ``yaml-language-server`` line that points editors at its editing copy beside it, which
    lets a field be left empty (:mod:`juhtum.documents.editing_schemas`); :func:`strip_help`
    points it back at the schema.
    """
    if kind not in schemas.all_kinds():
        raise ValueError(f"unknown document kind: {kind!r}")
    if schema_ref is not None and any(c in schema_ref for c in "\r\n\x85\u2028\u2029"):
        raise ValueError("schema_ref must be a single line")
    name = schemas.schema_name(kind)
    root = schema_node(name, schemas.load(name))
    out: list[str] = []
    if schema_ref is not None:
        out.append(f"# yaml-language-server: $schema={editing_schemas.editing_ref(schema_ref)}")
    out.extend(_describe(root, 0))
    out.extend(_help(_NOTE_ET, 0))
    out.extend(_help(_NOTE_EN, 0))
    _properties(root, values, 0, None, out)
    return "\n".join(out) + "\n"


def strip_help(text: str) -> str:
    """``text`` without the lines whose first non-blank characters are ``#:`` or ``#!``, and
    with its ``yaml-language-server`` line pointed at the schema, not its editing copy.

    Every other line is kept byte for byte, line endings included. The rule is
    by line: a line of a user's block scalar (``|``) that starts with ``#:`` is
    removed as well, so templates never write such a line.
    """
    return "".join(
        editing_schemas.stored_line(line)
        for line in re.split(r"(?<=\n)", text)
        if not line.lstrip().startswith((HELP.rstrip(), ERROR.rstrip()))
    )


# -- help lines -------------------------------------------------------------------------


def _help(text: str | list[str], indent: int) -> list[str]:
    """Help lines at ``indent`` saying ``text``; a list of words is wrapped only between them."""
    width = max(WIDTH - indent - len(HELP), _MIN_TEXT)
    if isinstance(text, str):
        wrapped = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    else:
        wrapped = []
        for word in text:
            if wrapped and len(wrapped[-1]) + 1 + len(word) <= width:
                wrapped[-1] += " " + word
            else:
                wrapped.append(word)
    return [" " * indent + HELP + line for line in wrapped]


def _texts(node: SchemaNode, title_key: str, description_key: str) -> str | None:
    """``title — description`` from the outermost layer that has a title."""
    for _, layer in node.layers:
        title = layer.get(title_key)
        if isinstance(title, str):
            description = layer.get(description_key)
            if not isinstance(description, str):
                description = node.get(description_key)
            return f"{title} — {description}" if isinstance(description, str) else title
    description = node.get(description_key)
    return description if isinstance(description, str) else None


def _describe(node: SchemaNode, indent: int) -> list[str]:
    out: list[str] = []
    for title_key, description_key in (
        ("title", "description"),
        ("x-title-en", "x-description-en"),
    ):
        text = _texts(node, title_key, description_key)
        if text:
            out.extend(_help(text, indent))
    return out


def _literal(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _hints(node: SchemaNode) -> list[str | list[str]]:
    """What may be written: the choices, ``true / false``, the date form, a handle."""
    hints: list[str | list[str]] = []
    enum = node.get("enum")
    if isinstance(enum, list) and enum:
        # wrapped after a separator, so that no line starts with "|"
        words = [*_ONE_OF.split(), *(_literal(v) + " |" for v in enum)]
        words[-1] = words[-1].removesuffix(" |")
        hints.append(words)
    elif node.find("const") is not None:
        hints.append(_ALWAYS + _literal(node.get("const")))
    if node.type == "boolean":
        hints.append(_BOOLEAN)
    if "date" in node.definitions or node.get("format") == "date":
        hints.append(_DATE)
    if node.definitions & {"handle", "handles"}:
        hints.append(_HANDLE)
    return hints


def _property_help(node: SchemaNode, indent: int) -> list[str]:
    out = _describe(node, indent)
    hints = _hints(node)
    item = node.items
    if item is not None and not item.is_object:  # a list of scalars: say what one item is
        title, title_en = item.get("title"), item.get("x-title-en")
        if isinstance(title, str):
            named = f"{title} / {title_en}" if isinstance(title_en, str) else title
            out.extend(_help(_ITEMS + named, indent))
        hints.extend(h for h in _hints(item) if h not in hints)
    for hint in hints:
        out.extend(_help(hint, indent))
    return out


# -- the document -----------------------------------------------------------------------


def _properties(
    node: SchemaNode, values: Any, indent: int, lead: str | None, out: list[str]
) -> None:
    """The properties of an object at column ``indent``; ``lead`` starts a list item."""
    given: Mapping[Any, Any] = values if isinstance(values, Mapping) else {}
    found = node.properties
    props: dict[str, Any] = found[1] if found is not None else {}
    doc = found[0] if found is not None else ""
    first = True

    def prefix() -> str:
        nonlocal first
        start = lead if first and lead is not None else " " * indent
        first = False
        return start

    for name, sub in props.items():
        child = schema_node(doc, sub)
        if indent == 0:
            out.append("")
        out.extend(_property_help(child, indent))
        _value(name, child, given.get(name, _MISSING), prefix(), indent=indent, out=out)
    extra = [key for key in given if key not in props]
    if extra and indent == 0:
        out.append("")
    for key in extra:
        out.extend(_dump(key, given[key], prefix(), indent))
    if first and lead is not None:  # an item with nothing in it
        out.append(lead + "{}")


def _value(
    name: str, node: SchemaNode, value: Any, prefix: str, *, indent: int, out: list[str]
) -> None:
    empty = value is _MISSING or value is None
    key = _key(name)
    item = node.items
    if node.is_object and (empty or isinstance(value, Mapping)):
        out.append(f"{prefix}{key}:")
        _properties(node, None if empty else value, indent + 2, None, out)
    elif (
        item is not None
        and item.is_object
        and (
            empty
            or (isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value))
        )
    ):
        out.append(f"{prefix}{key}:")
        for entry in [None] if empty else value:
            out.extend(_describe(item, indent + 2))
            _properties(item, entry, indent + 4, " " * (indent + 2) + "- ", out)
    elif empty and node.is_array:
        # an empty value, not [], so that a list left untouched is dropped on save
        out.append(" " * indent + HELP + "[a, b]")
        out.append(f"{prefix}{key}:")
    elif empty:
        out.append(f"{prefix}{key}:")
    else:
        out.extend(_dump(name, value, prefix, indent))


# -- values -----------------------------------------------------------------------------


def _key(name: str) -> str:
    if _PLAIN_KEY.match(name) and isinstance(yamlio.resolve_plain(name), str):
        return name
    return _quoted(name)


def _dump(key: Any, value: Any, prefix: str, indent: int) -> list[str]:
    """``key: value`` as YAML lines, the first after ``prefix``, the rest at ``indent``.

    :func:`juhtum.documents.yamlio.dumps` writes the value (quoting, block text); when a
    line of its output would be taken for help by :func:`strip_help`, or would
    not survive being embedded in the template, the value is written in flow
    style on one line instead.
    """
    lines = yamlio.dumps({key: value}).rstrip("\n").split("\n")
    if any(_KEEP_OR_END.search(line) for line in lines) or any(
        line.lstrip().startswith((HELP.rstrip(), ERROR.rstrip())) for line in lines[1:]
    ):
        name = _key(key) if isinstance(key, str) else _flow(key)
        lines = [f"{name}: {_flow(value)}"]
    return [prefix + lines[0]] + [" " * indent + line if line else line for line in lines[1:]]


def _flow(value: Any) -> str:
    """``value`` as one line of flow-style YAML that the strict reader reads back."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    if isinstance(value, str):
        return _quoted(value)
    if isinstance(value, datetime.date):
        return _quoted(value.isoformat())
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_flow(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    raise TypeError(f"cannot write a {type(value).__name__} in a template")


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _quoted(text: str) -> str:
    """A double-quoted YAML scalar on one line: breaks and unprintables are escaped."""
    out = ['"']
    for char in text:
        code = ord(char)
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif (
            code < 0x20
            or 0x7F <= code <= 0x9F
            or 0xD800 <= code <= 0xDFFF
            or char in "\u2028\u2029\ufeff\ufffe\uffff"
        ):
            out.append(f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)
