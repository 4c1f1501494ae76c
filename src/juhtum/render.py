"""Turning validation results into text, JSON and CI annotations.

Every format is built from the problems' message ids and arguments, which
never hold a sensitive value, so no format can show one.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from juhtum.i18n import _, ngettext, render
from juhtum.model.problems import ERROR, TODO, WARNING, Problem, field_text

if TYPE_CHECKING:
    from juhtum.validation import Result

FORMATS = ("text", "json", "github")
JSON_VERSION = 1

_COLOURS = {ERROR: "31", WARNING: "33", TODO: "36"}


def message(problem: Problem) -> str:
    return render(problem.message, problem.args)


def severity_word(severity: str) -> str:
    return {ERROR: _("error"), WARNING: _("warning"), TODO: _("to-do")}[severity]


def shown_path(root: Path, file: str) -> str:
    """A problem's file as the user can open it from the current folder."""
    absolute = root / file
    try:
        relative = os.path.relpath(absolute)
    except ValueError:  # another drive on Windows
        return str(absolute)
    return relative if not relative.startswith(".." + os.sep + "..") else str(absolute)


def text(result: Result, root: Path, *, todos: bool = False, colour: bool = False) -> str:
    def paint(code: str, value: str) -> str:
        return f"\x1b[{code}m{value}\x1b[0m" if colour else value

    lines = []
    for p in result.problems:
        if p.severity == TODO and not todos:
            continue
        where = shown_path(root, p.file) + (f":{p.line}" if p.line else "")
        said = message(p)
        name = field_text(p.field)
        field = f" {name}:" if name and not said.startswith(name) else ""
        lines.append(
            f"{where}: {paint(_COLOURS[p.severity], severity_word(p.severity))} "
            f"[{p.rule}]{field} {said}"
        )
    lines.append(summary(result, todos_listed=todos))
    return "\n".join(lines)


def summary(result: Result, *, todos_listed: bool) -> str:
    parts = [
        ngettext("{n} case checked", "{n} cases checked", result.cases).format(n=result.cases),
        ngettext("{n} error", "{n} errors", result.errors).format(n=result.errors),
        ngettext("{n} warning", "{n} warnings", result.warnings).format(n=result.warnings),
        ngettext("{n} to-do", "{n} to-dos", result.todos).format(n=result.todos),
    ]
    line = ", ".join(parts) + "."
    if result.todos and not todos_listed:
        line += " " + _("To-dos are what a stage in progress still needs: --todo lists them.")
    return line


def as_json(result: Result) -> str:
    data: dict[str, Any] = {
        "version": JSON_VERSION,
        "ok": result.ok,
        "summary": {
            "cases": result.cases,
            "errors": result.errors,
            "warnings": result.warnings,
            "todos": result.todos,
        },
        "problems": [
            {
                "rule": p.rule,
                "severity": p.severity,
                "file": p.file,
                "line": p.line,
                "field": field_text(p.field),
                "message": message(p),
            }
            for p in result.problems
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(result: Result, root: Path) -> str:
    """GitHub Actions workflow commands: one annotation per error or warning."""
    lines = []
    for p in result.problems:
        if p.severity == TODO:
            continue
        command = "error" if p.severity == ERROR else "warning"
        props = [f"file={_escape_property(shown_path(root, p.file))}"]
        if p.line:
            props.append(f"line={p.line}")
        title = p.rule + (f" {field_text(p.field)}" if p.field else "")
        props.append(f"title={_escape_property(title)}")
        lines.append(f"::{command} {','.join(props)}::{_escape_data(message(p))}")
    lines.append(summary(result, todos_listed=False))
    return "\n".join(lines)


RENDERERS: dict[str, Callable[..., str]] = {"text": text, "json": as_json, "github": github}
