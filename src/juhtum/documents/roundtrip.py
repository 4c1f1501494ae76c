"""Editing a document a person wrote without losing their comments (ruamel.yaml round trip).

Reading for checks is :mod:`juhtum.documents.yamlio`'s strict reader; this module only
*edits* text: it drops the fields a person left empty in a template, sets a
field (case.yaml's stage), or appends an item (a signature), and writes back
the rest as it was, comments, quoting and key order included. The block
sequence style of the document (``- item`` under its key, or indented by two)
is kept. A test proves both readers read every example identically.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable
from typing import Any

_SEQUENCE_ITEM = re.compile(r"^( *)(\S[^:#\n]*):[ \t]*(?:#.*)?\n( *)- ", re.M)


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
    if not re.search(r":[ \t]*(#.*)?$|^\s*-[ \t]*$", text, re.M):
        return text  # no empty value anywhere: keep the bytes as they are
    return _edit(text, _prune)


def set_fields(text: str, values: dict[str, Any], *, first: bool = False) -> str:
    """``text`` with top-level fields set; a missing one is added at the end, or at the top
    when ``first``."""

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

    if not text.strip():
        return _plain(values)
    return _edit(text, change)


def remove_fields(text: str, keys: list[str]) -> str:
    """``text`` without the top-level fields ``keys``."""

    def change(data: Any) -> bool:
        present = [k for k in keys if k in data]
        for key in present:
            del data[key]
        return bool(present)

    return _edit(text, change)


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
