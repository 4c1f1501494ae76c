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
from juhtum.model.problems import ERROR, TODO, WARNING, Problem, field_text, shown_field
from juhtum.output.safe_text import escape

if TYPE_CHECKING:
    from juhtum.check.result import Result

FORMATS = ("text", "json", "github", "gitlab")
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
    """The report for people. Every part read from the repository is escaped here (before
    juhtum's own colours are added), so the result is printed as it is."""

    def paint(code: str, value: str) -> str:
        return f"\x1b[{code}m{value}\x1b[0m" if colour else value

    lines = []
    for p in result.problems:
        if p.severity == TODO and not todos:
            continue
        where = escape(shown_path(root, p.file) + (f":{p.line}" if p.line else ""), inline=True)
        said = escape(message(p))
        name = escape(shown_field(p), inline=True)
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


def as_json(result: Result, root: Path | None = None) -> str:
    """The stable JSON report (its paths are from the repository root, whatever ``root``)."""
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
        title = p.rule + (f" {shown_field(p)}" if p.field else "")
        props.append(f"title={_escape_property(title)}")
        lines.append(f"::{command} {','.join(props)}::{_escape_data(message(p))}")
    lines.append(summary(result, todos_listed=False))
    return "\n".join(lines)


_GITLAB_SEVERITY = {ERROR: "major", WARNING: "minor"}


def gitlab(result: Result, root: Path) -> str:
    """A GitLab code quality report: a JSON list of issues (to-dos are not issues).

    The fingerprint names the problem, not where it sits: moving a line does not make it a
    new issue in the merge request's widget. Problems alike in all but line get a counter."""
    import hashlib

    issues = []
    seen: dict[str, int] = {}
    for p in result.problems:
        if p.severity == TODO:
            continue
        key = json.dumps([p.rule, p.file, p.field, p.message, p.args], sort_keys=True, default=str)
        seen[key] = seen.get(key, 0) + 1
        fingerprint = hashlib.sha256(f"{key}#{seen[key]}".encode()).hexdigest()
        name = shown_field(p)
        said = message(p)
        issues.append(
            {
                "type": "issue",
                "check_name": p.rule,
                "description": f"{p.rule}: {name}: {said}"
                if name and not said.startswith(name)
                else f"{p.rule}: {said}",
                "categories": ["Bug Risk"] if p.severity == ERROR else ["Style"],
                "severity": _GITLAB_SEVERITY[p.severity],
                "fingerprint": fingerprint,
                "location": {
                    "path": shown_path(root, p.file),
                    "lines": {"begin": p.line or 1},
                },
            }
        )
    return json.dumps(issues, ensure_ascii=False, indent=2)


RENDERERS: dict[str, Callable[..., str]] = {
    "text": text,
    "json": as_json,
    "github": github,
    "gitlab": gitlab,
}
