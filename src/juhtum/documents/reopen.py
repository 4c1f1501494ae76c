"""An existing document reopened as its template (:func:`restored`): its values, with the
help lines and the fields it left empty restored, and the person's own comments carried
over, so that editing a document is like writing it (``edit``, a second ``assess``).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Any

from juhtum.documents import schemas, yamlio
from juhtum.documents.templates import ERROR, HELP, strip_help, template

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
