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

The text always parses with the strict reader (:func:`juhtum.yamlio.loads`),
before and after :func:`strip_help`, to the same data; fields left empty read
as ``None``. The module is pure: it reads the packaged schemas and nothing else.
"""

from __future__ import annotations

import datetime
import math
import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from juhtum import schemas, yamlio

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
    the schema's keys at the same level. ``schema_ref`` adds the
    ``yaml-language-server`` line that points editors at the schema.
    """
    if kind not in schemas.all_kinds():
        raise ValueError(f"unknown document kind: {kind!r}")
    if schema_ref is not None and any(c in schema_ref for c in "\r\n\x85\u2028\u2029"):
        raise ValueError("schema_ref must be a single line")
    name = schemas.schema_name(kind)
    root = _node(name, schemas.load(name))
    out: list[str] = []
    if schema_ref is not None:
        out.append(f"# yaml-language-server: $schema={schema_ref}")
    out.extend(_describe(root, 0))
    out.extend(_help(_NOTE_ET, 0))
    out.extend(_help(_NOTE_EN, 0))
    _properties(root, values, 0, None, out)
    return "\n".join(out) + "\n"


def strip_help(text: str) -> str:
    """``text`` without the lines whose first non-blank characters are ``#:`` or ``#!``.

    Every other line is kept byte for byte, line endings included. The rule is
    by line: a line of a user's block scalar (``|``) that starts with ``#:`` is
    removed as well, so templates never write such a line.
    """
    return "".join(
        line
        for line in re.split(r"(?<=\n)", text)
        if not line.lstrip().startswith((HELP.rstrip(), ERROR.rstrip()))
    )


# -- the schema, resolved ---------------------------------------------------------------


@dataclass(frozen=True)
class _Node:
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
    def items(self) -> _Node | None:
        found = self.find("items")
        if found is None or not isinstance(found[1], dict):
            return None
        return _node(found[0], found[1])

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
    """The file, schema and definition name a ``$ref`` points to (as :mod:`juhtum.schemas`)."""
    target, _, pointer = ref.partition("#")
    doc = target or current
    node: Any = schemas.load(doc)
    definition = None
    for part in (p for p in pointer.split("/") if p):
        node = node[part.replace("~1", "/").replace("~0", "~")]
        definition = part
    return doc, node, definition


def _node(doc: str, schema: dict[str, Any]) -> _Node:
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
    return _Node(tuple(layers), frozenset(definitions))


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


def _texts(node: _Node, title_key: str, description_key: str) -> str | None:
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


def _describe(node: _Node, indent: int) -> list[str]:
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


def _hints(node: _Node) -> list[str | list[str]]:
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


def _property_help(node: _Node, indent: int) -> list[str]:
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


def _properties(node: _Node, values: Any, indent: int, lead: str | None, out: list[str]) -> None:
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
        child = _node(doc, sub)
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


def _value(name: str, node: _Node, value: Any, prefix: str, *, indent: int, out: list[str]) -> None:
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

    :func:`juhtum.yamlio.dumps` writes the value (quoting, block text); when a
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


# -- an existing document, reopened ---------------------------------------------------------

_TRAILING_COMMENT = re.compile(r"^(\s*[^\s#'\"][^#'\"]*?)\s+(#.*)$")


def restored(kind: str, text: str, *, schema_ref: str | None = None) -> str:
    """An existing document as a template: its values, with the help lines and the fields it
    left empty restored, so that editing it is like writing it.

    The person's own comments are carried over: a trailing comment to the line that says
    the same, a comment line above the line it stood above; one that finds no such line is
    kept at the end. When the template would not read back as the same data (a value it
    cannot write), or ``text`` does not parse, ``text`` is returned as it is.
    """
    try:
        data = yamlio.loads(text, path="-").data
    except Exception:
        return text
    if not isinstance(data, dict) or kind not in schemas.all_kinds():
        return text
    try:
        out = template(kind, values=_dated(data), schema_ref=schema_ref)
        again = yamlio.loads(strip_help(out), path="-").data
    except Exception:
        return text
    if _pruned(again) != _pruned(data):
        return text
    carried = _with_comments(out, text)
    try:
        if yamlio.loads(strip_help(carried), path="-").data != again:
            return out if not _has_comments(text) else text
    except Exception:
        return text
    return carried


def _has_comments(text: str) -> bool:
    return any(
        "#" in line and not line.lstrip().startswith((HELP.rstrip(), "# yaml-language-server:"))
        for line in text.split("\n")
    )


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


def _dated(value: Any) -> Any:
    """``value`` with its dates as dates, so that the template writes them plain, as people
    write them (the strict reader reads a plain date back as the same text)."""
    if isinstance(value, Mapping):
        return {k: _dated(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dated(v) for v in value]
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _pruned(value: Any) -> Any:
    """``value`` without empty fields and the lists and mappings left empty by their removal."""
    if isinstance(value, Mapping):
        out = {k: _pruned(v) for k, v in value.items() if v is not None}
        return {k: v for k, v in out.items() if v not in ({}, [])}
    if isinstance(value, list):
        items = [_pruned(v) for v in value if v is not None]
        return [v for v in items if v not in ({}, [])]
    return value


def _with_comments(out: str, text: str) -> str:
    lines = out.split("\n")
    used: set[int] = set()
    left: list[str] = []
    above: list[str] = []
    ref_line = "# yaml-language-server:"

    def find(content: str) -> int | None:
        for number, line in enumerate(lines):
            if number not in used and line.strip() == content:
                used.add(number)
                return number
        return None

    inserts: dict[int, list[str]] = {}
    trailing: dict[int, str] = {}
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            if not stripped.startswith((HELP.rstrip(), ERROR.rstrip(), ref_line)):
                above.append(line)
            continue
        match = _TRAILING_COMMENT.match(line)
        content = match.group(1).strip() if match else stripped
        number = find(content)
        if number is None:
            left.extend(above)
            if match:
                left.append(match.group(2))
        else:
            if above:
                inserts.setdefault(number, []).extend(above)
            if match:
                trailing[number] = match.group(2)
        above = []
    left.extend(above)
    result: list[str] = []
    for number, line in enumerate(lines):
        result.extend(inserts.get(number, []))
        result.append(f"{line}  {trailing[number]}" if number in trailing else line)
    if left:
        if result and result[-1] == "":
            result.pop()
        result.extend(line.strip() if line.strip().startswith("#") else line for line in left)
        result.append("")
    return "\n".join(result)
