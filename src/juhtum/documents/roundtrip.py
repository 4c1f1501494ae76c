"""Editing a document a person wrote without losing their comments (ruamel.yaml round trip).

Reading for checks is :mod:`juhtum.documents.yamlio`'s strict reader; this module only
*edits* text: it drops the fields a person left empty in a template, sets a
field (case.yaml's stage), or appends an item (a signature), and writes back
the rest as it was, comments, quoting and key order included. The block
sequence style of the document (``- item`` under its key, or indented by two)
is kept. A :class:`Document` makes several edits on one parse and writes once
(a document a person typed is pruned and completed so). A test proves both
readers read every example identically.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable
from typing import Any

_SEQUENCE_ITEM = re.compile(r"^( *)(\S[^:#\n]*):[ \t]*(?:#.*)?\n( *)- ", re.M)
_MAYBE_EMPTY = re.compile(r":[ \t]*(#.*)?$|^\s*-[ \t]*$", re.M)


@functools.cache
def _constructor() -> Any:
    """ruamel's round-trip constructor, except that a date that does not exist (2026-02-30)
    stays the text it is: the checks report it with its line, the edit must not crash on it."""
    from ruamel.yaml.constructor import RoundTripConstructor
    from ruamel.yaml.scalarstring import PlainScalarString

    class Constructor(RoundTripConstructor):
        def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
            try:
                return super().construct_yaml_timestamp(node, values)
            except ValueError:
                return PlainScalarString(self.construct_scalar(node))

    Constructor.add_constructor("tag:yaml.org,2002:timestamp", Constructor.construct_yaml_timestamp)
    return Constructor


def _yaml(text: str) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.Constructor = _constructor()
    yaml.preserve_quotes = True
    yaml.width = 4096
    match = _SEQUENCE_ITEM.search(text)
    offset = len(match.group(3)) - len(match.group(1)) if match else 2
    if offset >= 2:
        yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
    else:
        yaml.indent(mapping=2, sequence=2, offset=0)
    return yaml


def _edit(text: str, change: Callable[[Any], bool]) -> str:
    """Apply ``change``; call it on text the strict reader has accepted (its errors name the
    line). Should ruamel still refuse the text, the text stays as it is."""
    from ruamel.yaml.error import YAMLError

    yaml = _yaml(text)
    try:
        data = yaml.load(text)
    except YAMLError:
        return text
    if not change(data):
        return text
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _prune(node: Any) -> bool:
    """Remove empty fields below ``node``; True if anything was removed."""
    changed = False
    if isinstance(node, dict):
        for key in list(node):
            value = node[key]
            if value is None:
                del node[key]
                changed = True
                continue
            if isinstance(value, dict | list) and value:
                changed |= _prune(value)
                if len(value) == 0:  # emptied by pruning: a part of the template left untouched
                    del node[key]
    elif isinstance(node, list):
        for i in reversed(range(len(node))):
            item = node[i]
            if item is None:
                del node[i]
                changed = True
            elif isinstance(item, dict | list) and item:
                changed |= _prune(item)
                if len(item) == 0:
                    del node[i]
    return changed


def prune_empty(text: str) -> str:
    """``text`` without the fields left empty (``key:`` with no value), and without list items
    and sections that held nothing else; the text unchanged when nothing is empty."""
    document = Document(text)
    document.prune_empty()
    return document.dump()


def set_fields(text: str, values: dict[str, Any], *, first: bool = False) -> str:
    """``text`` with top-level fields set; a missing one is added at the end, or at the top
    when ``first``."""

    if not text.strip():
        return _plain(values)
    document = Document(text)
    document.set_fields(values, first=first)
    return document.dump()


def remove_fields(text: str, keys: list[str]) -> str:
    """``text`` without the top-level fields ``keys``."""
    document = Document(text)
    document.remove_fields(keys)
    return document.dump()


def _plain(values: dict[str, Any]) -> str:
    from juhtum.documents.yamlio import dumps

    return dumps(values)


def append_item(text: str, key: str, item: dict[str, Any]) -> str:
    """``text`` with ``item`` appended to the top-level list ``key`` (made when missing)."""

    def change(data: Any) -> bool:
        if not isinstance(data.get(key), list):
            data[key] = []
        data[key].append(item)
        return True

    return _edit(text, change)


def load(text: str) -> Any:
    """What the round-trip reader sees (for the test that it agrees with yamlio)."""
    return _yaml(text).load(text)


def prune_value(node: Any) -> bool:
    """Remove empty fields below ``node`` as :func:`prune_empty` removes them from a text (for
    the plain values the strict reader read from the same text); True if anything was removed."""
    return _prune(node)


class Document:
    """A text read once by the round-trip reader, edited in place, and written once.

    The text is parsed when the first edit needs it (a text with nothing to change is never
    parsed, and comes back byte for byte). Edits on a text ruamel refuses (the strict reader
    has accepted it: its errors name the line) change nothing, as :func:`_edit` does."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.changed = False
        self._yaml: Any = None
        self._data: Any = None
        self._loaded = False
        self._broken = False

    def edit(self, change: Callable[[Any], bool]) -> bool:
        """Apply ``change`` to the parsed document; True if it changed anything."""
        if not self._loaded:
            from ruamel.yaml.error import YAMLError

            self._loaded = True
            self._yaml = _yaml(self.text)
            try:
                self._data = self._yaml.load(self.text)
            except YAMLError:
                self._broken = True
        if self._broken or not change(self._data):
            return False
        self.changed = True
        return True

    def prune_empty(self) -> bool:
        """As :func:`prune_empty`. True when the empty fields were pruned, whether or not there
        were any: the text has a place where one may be and could be read (the plain values
        the strict reader read from it are then pruned alike, :func:`prune_value`)."""
        if not _MAYBE_EMPTY.search(self.text):
            return False  # no empty value anywhere: nothing is parsed, the bytes stay
        self.edit(_prune)
        return not self._broken

    def set_fields(self, values: dict[str, Any], *, first: bool = False) -> bool:
        """As :func:`set_fields`, on a document that holds a mapping."""

        def change(data: Any) -> bool:
            changed = False
            for position, (key, value) in enumerate(values.items()):
                if key in data and data[key] == value:
                    continue
                if key not in data and first:
                    data.insert(position, key, value)
                else:
                    data[key] = value
                changed = True
            return changed

        return self.edit(change)

    def remove_fields(self, keys: list[str]) -> bool:
        """As :func:`remove_fields`."""

        def change(data: Any) -> bool:
            present = [k for k in keys if k in data]
            for key in present:
                del data[key]
            return bool(present)

        return self.edit(change)

    def dump(self) -> str:
        """The text as edited: the text itself when nothing changed, else written once."""
        if not self.changed:
            return self.text
        out = io.StringIO()
        self._yaml.dump(self._data, out)
        return out.getvalue()
