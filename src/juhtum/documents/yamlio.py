"""Strict, safe YAML reading and plain YAML writing.

Reading follows the YAML 1.2 core schema, whatever PyYAML's 1.1 habits:
only ``true``/``false`` are booleans (``yes``, ``no``, ``on`` are text), ``010``
is ten and ``1:30`` is text, and dates stay strings (JSON Schema checks them).
Duplicate keys, anchors and aliases, unknown tags and more than one document
are errors that name the line. A size limit is checked before the parser runs;
the nesting-depth limit is checked on the parser's event stream, before
anything is composed: PyYAML's composer recurses and segfaults on 30,000 nested
brackets, while libyaml's event parser does not, and stopping at the first
event beyond the limit also keeps a hostile file from costing seconds.

We build the Python values from parser events ourselves instead of using a
PyYAML ``Loader``: it is how the limits above are enforced, and it is twice as
fast as ``yaml.load(..., CSafeLoader)`` on our documents (1.2 ms against
2.6 ms for a 4.5 KB plan, measured), because no node graph is built.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from juhtum.errors import DocumentError
from juhtum.i18n import N_, Msg

try:  # libyaml's C parser when PyYAML was built with it, else the pure-Python one
    from yaml import CSafeLoader as _ParserLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was installed
    from yaml import SafeLoader as _ParserLoader  # type: ignore[assignment]

from juhtum.limits import MAX_BYTES, MAX_DEPTH

__all__ = ["MAX_BYTES", "MAX_DEPTH", "Loaded", "dumps", "load_file", "loads", "resolve_plain"]

Path = tuple[str | int, ...]

_CORE = "tag:yaml.org,2002:"
_STR_TAGS = {None, "!", _CORE + "str"}
_MAP_TAGS = {None, "!", _CORE + "map"}
_SEQ_TAGS = {None, "!", _CORE + "seq"}

_INT = re.compile(r"[-+]?[0-9]+\Z")
_INT_OCT = re.compile(r"0o[0-7]+\Z")
_INT_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)\Z")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_NUMBER_START = frozenset("0123456789+-.")


def resolve_plain(value: str) -> Any:
    """The value of a plain (unquoted, untagged) scalar under the YAML 1.2 core schema."""
    if value in _NULLS:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if value[0] in _NUMBER_START:
        if _INT.match(value):
            return int(value)
        if _FLOAT.match(value):
            return float(value)
        if _INF.match(value):
            return float("-inf") if value[0] == "-" else float("inf")
        if _NAN.match(value):
            return float("nan")
        if _INT_OCT.match(value):
            return int(value[2:], 8)
        if _INT_HEX.match(value):
            return int(value[2:], 16)
    return value


@dataclass(frozen=True)
class Loaded:
    """A parsed document and, when asked for, the 1-based line of every key and item."""

    data: Any
    lines: dict[Path, int] | None = None

    def line_of(self, path: Path) -> int | None:
        """The line of ``path`` or of its nearest ancestor that has one."""
        if self.lines is None:
            return None
        while True:
            line = self.lines.get(path)
            if line is not None or not path:
                return line
            path = path[:-1]


def decode(raw: bytes, *, path: str) -> str:
    """Check size and encoding, before any parser sees the bytes."""
    if len(raw) > MAX_BYTES:
        raise DocumentError(
            N_("the file is {size} KiB, more than the {limit} KiB a document may have"),
            path=path,
            size=len(raw) // 1024,
            limit=MAX_BYTES // 1024,
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DocumentError(
            N_("this is not UTF-8 text: save the file as UTF-8"), path=path, line=line
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise DocumentError(
            N_("the file contains a NUL character: it is not a text document"),
            path=path,
            line=text.count("\n", 0, nul) + 1,
        )
    return text


def loads(source: str | bytes, *, path: str, lines: bool = False) -> Loaded:
    """Parse one YAML document strictly; see the module's docstring for the rules.

    Raises :class:`DocumentError` naming ``path`` and the line for anything
    that is not a plain YAML 1.2 document within the limits.
    """
    if isinstance(source, str):
        # the same checks as for bytes: size, and no NUL character
        source = source.encode("utf-8", errors="surrogatepass")
    text = decode(source, path=path)
    try:
        return _build(text, path=path, lines={} if lines else None)
    except yaml.MarkedYAMLError as exc:
        mark: Any = exc.problem_mark or exc.context_mark
        if (exc.problem or "").startswith("exceeded maximum nesting depth"):
            # libyaml's own limit (0.2.5+), met before ours: the same refusal
            raise DocumentError(
                N_("the document is nested deeper than {limit} levels"),
                path=path,
                line=mark.line + 1 if mark is not None else None,
                limit=MAX_DEPTH,
            ) from None
        raise DocumentError(
            N_("YAML syntax error: {problem}"),
            path=path,
            line=mark.line + 1 if mark is not None else None,
            problem=syntax_problem(exc.problem or exc.context or ""),
        ) from None
    except yaml.reader.ReaderError as exc:
        # a character YAML does not allow, such as a control character
        raise DocumentError(
            N_("the file contains a character YAML does not allow (code {code})"),
            path=path,
            line=text.count("\n", 0, exc.position) + 1,
            code=f"U+{exc.character:04X}" if isinstance(exc.character, int) else "?",
        ) from None
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml's errors are the two above
        raise DocumentError(
            N_("YAML syntax error: {problem}"), path=path, problem=str(exc)
        ) from None


# libyaml's problems (English, and in its terms) as a person who writes the document can act
# on them: what usually causes each, and what to do.
_SYNTAX_PROBLEMS = (
    (
        "mapping values are not allowed",
        N_(
            "a colon and a space inside a text. Put the text in quotes "
            '(note: "at 10: a call") or write >- after the key and the text indented on '
            "the next lines"
        ),
    ),
    (
        "could not find expected ':'",
        N_(
            "a line without a colon after its key, or a text that goes on to the next line "
            "without being indented. Indent the continuation, or put the text in quotes"
        ),
    ),
    (
        "did not find expected key",
        N_(
            "the indentation does not match the lines above: the keys of one mapping stand "
            "exactly below each other"
        ),
    ),
    (
        "did not find expected '-' indicator",
        N_("the items of a list do not stand exactly below each other"),
    ),
    (
        "found character that cannot start any token",
        N_(
            "a character that cannot begin a value here (a tab, or @ or ` at the start): "
            "indent with spaces, and put such a text in quotes"
        ),
    ),
    (
        "found unexpected end of stream",
        N_("a quotation mark or a bracket is not closed"),
    ),
    (
        "found unknown escape character",
        N_("a backslash inside double quotes: use single quotes ('...') for such a text"),
    ),
    (
        "found a tab character",
        N_("a tab character: indent with spaces"),
    ),
)


def syntax_problem(problem: str) -> str:
    """libyaml's ``problem`` as the message's argument: a known one explained (translated
    when shown), any other as libyaml says it."""
    for start, explained in _SYNTAX_PROBLEMS:
        if problem.startswith(start):
            return Msg(explained)
    return problem


def load_file(file: Any, *, path: str, lines: bool = False) -> Loaded:
    """Read ``file`` (a :class:`pathlib.Path`) and parse it; ``path`` is how messages name it.
    Never through a symlink (OSError), never past the size limit."""
    from juhtum import storage

    try:
        data = storage.read_document(file)
    except storage.TooLarge as exc:
        raise DocumentError(
            N_("the file is {size} KiB, more than the {limit} KiB a document may have"),
            path=path,
            size=exc.size // 1024,
            limit=MAX_BYTES // 1024,
        ) from None
    return loads(data, path=path, lines=lines)


_NO_KEY = object()


def _build(text: str, *, path: str, lines: dict[Path, int] | None) -> Loaded:
    # One pass over the parser's events. ``stack`` holds the open containers,
    # ``keys`` the pending key of each open mapping (_NO_KEY while a key is
    # expected), ``where`` the path of each open container (only with lines).
    stack: list[Any] = []
    keys: list[Any] = []
    key_lines: list[dict[str, int]] = []
    where: list[Path] = []
    result: Any = None
    documents = 0

    def fail(message: str, event: Any, **args: Any) -> DocumentError:
        return DocumentError(message, path=path, line=event.start_mark.line + 1, **args)

    event: Any  # PyYAML's stubs type events as the base class, without their attributes
    for event in yaml.parse(text, Loader=_ParserLoader):
        cls = event.__class__
        if cls is ScalarEvent:
            if event.anchor is not None:
                raise fail(N_("anchors and aliases (& and *) are not allowed"), event)
            tag = event.tag
            if tag is None and event.implicit[0]:  # plain and untagged
                value: Any = resolve_plain(event.value)
            elif tag in _STR_TAGS:
                value = event.value
            else:
                raise fail(N_("the tag {tag} is not allowed: write plain values"), event, tag=tag)
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            if event.anchor is not None:
                raise fail(N_("anchors and aliases (& and *) are not allowed"), event)
            if event.tag not in (_MAP_TAGS if cls is MappingStartEvent else _SEQ_TAGS):
                raise fail(
                    N_("the tag {tag} is not allowed: write plain values"), event, tag=event.tag
                )
            if len(stack) >= MAX_DEPTH:
                raise fail(
                    N_("the document is nested deeper than {limit} levels"), event, limit=MAX_DEPTH
                )
            if stack and keys[-1] is _NO_KEY and stack[-1].__class__ is dict:
                raise fail(N_("a key must be plain text, not a list or a mapping"), event)
            container: Any = {} if cls is MappingStartEvent else []
            if lines is not None:
                here = _attach_path(stack, keys, where)
                lines.setdefault(here, event.start_mark.line + 1)  # a key's line wins
                where.append(here)
            stack.append(container)
            keys.append(_NO_KEY)
            key_lines.append({})
            continue
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            value = stack.pop()
            keys.pop()
            key_lines.pop()
            if lines is not None:
                where.pop()
            if not stack:
                result = value
                continue
            _attach(stack[-1], keys, value)
            continue
        elif cls is AliasEvent:
            raise fail(N_("anchors and aliases (& and *) are not allowed"), event)
        elif cls is DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise fail(N_("the file holds more than one YAML document (---)"), event)
            continue
        else:
            continue

        # a scalar: a document of its own, a key, a mapping value or a sequence item
        if not stack:
            result = value
            continue
        parent = stack[-1]
        if parent.__class__ is list:
            if lines is not None:
                lines[(*where[-1], len(parent))] = event.start_mark.line + 1
            parent.append(value)
        elif keys[-1] is _NO_KEY:
            key = value if value.__class__ is str else event.value
            seen = key_lines[-1]
            line = event.start_mark.line + 1
            if key in seen:
                raise fail(
                    N_("the key {key} appears twice (first on line {first}): keep one"),
                    event,
                    key=key[:60],
                    first=seen[key],
                )
            seen[key] = line
            keys[-1] = key
            if lines is not None:
                lines[(*where[-1], key)] = line
        else:
            parent[keys[-1]] = value
            keys[-1] = _NO_KEY
    return Loaded(result, lines)


def _attach(parent: Any, keys: list[Any], value: Any) -> None:
    if parent.__class__ is list:
        parent.append(value)
    else:
        parent[keys[-1]] = value
        keys[-1] = _NO_KEY


def _attach_path(stack: list[Any], keys: list[Any], where: list[Path]) -> Path:
    """The path a container about to open will have (only used when recording lines)."""
    if not stack:
        return ()
    parent = stack[-1]
    if parent.__class__ is list:
        return (*where[-1], len(parent))
    key = keys[-1]
    if key is _NO_KEY:  # a mapping or sequence used as a key
        return where[-1]
    return (*where[-1], key)


# -- writing ---------------------------------------------------------------------------


# Line breaks YAML knows besides \n and \r: only a double-quoted scalar keeps them intact.
_BREAKS_NEEDING_QUOTES = ("\x85", "\u2028", "\u2029", "\r")


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style: str | None = None
    if any(c in data for c in _BREAKS_NEEDING_QUOTES):
        style = '"'
    elif "\n" in data:
        style = "|"
    elif data and resolve_plain(data) is not data:
        # Quote what YAML 1.2 would read as something other than this text
        # (PyYAML only knows 1.1's rules and would leave "0o17" plain).
        style = "'"
    return dumper.represent_scalar(_CORE + "str", data, style=style)


_Dumper.add_representer(str, _represent_str)


def dumps(data: Any) -> str:
    """YAML text for ``data``, in key order, readable; reads back identically."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
