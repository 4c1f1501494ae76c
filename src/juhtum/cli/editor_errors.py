"""Errors where the person sees them: the error block at the top of the editor's text, and the
problems of the edited document named as the file the person edited, their lines counted in it
(help lines and all) and each error once.
"""

from __future__ import annotations

import re
from dataclasses import replace

from juhtum.cli.editor_blocks import additions, help_line
from juhtum.errors import DocumentError, JuhtumError
from juhtum.i18n import _
from juhtum.model.problems import Problem
from juhtum.workflow.session import Refused, Session
from juhtum.workflow.snapshot import problem_key
from juhtum.workflow.targets import Target

ERROR_MARK = "#! "


def render_error(exc: JuhtumError) -> str:
    return exc.render()


def compose(s: Session, target: Target, exc: JuhtumError, body: str, notes: list[str]) -> str:
    """The text the editor opens next: the errors, what may fix them, what was typed."""
    path = s.path(target.name)
    added, hint = additions(exc, target, body, path)
    document = "".join(line + "\n" for line in added) + body

    def block(offset: int) -> list[str]:
        lines = [_("juhtum could not save this document:")]
        lines += notes
        lines += _described(exc, s, target, body, added, offset)
        if hint:
            lines.append(hint)
        lines.append(
            _(
                "Correct it and save. To stop, save an empty file or save without changes: "
                "what you typed is kept as a draft."
            )
        )
        return _wrapped_lines(list(dict.fromkeys(lines)))

    size = len(block(0))
    for _round in range(3):  # a line number one digit longer may wrap one line more
        shown = block(size)
        if len(shown) == size:
            break
        size = len(shown)
    return "".join(f"{ERROR_MARK}{line}\n" for line in shown) + document


def _wrapped_lines(lines: list[str]) -> list[str]:
    """The error block's lines wrapped to an 80-column editor, between words (never inside a
    word, a path or a date), each continuation indented."""
    import textwrap

    width = 80 - len(ERROR_MARK)
    out: list[str] = []
    for line in lines:
        for part in line.split("\n"):
            indent = part[: len(part) - len(part.lstrip(" "))]
            out += textwrap.wrap(
                part,
                width,
                subsequent_indent=indent + "  ",
                break_long_words=False,
                break_on_hyphens=False,
            ) or [""]
    return out


# -- errors where the person sees them -----------------------------------------------------------


def _unstripped(text: str, line: int) -> int:
    """The line in ``text`` of line ``line`` of ``text`` with its help lines removed."""
    kept = [n for n, ln in enumerate(re.split(r"(?<=\n)", text), 1) if not help_line(ln)]
    return kept[line - 1] if 0 < line <= len(kept) else line


def _line_of(text: str, field: tuple[str | int, ...]) -> int | None:
    from juhtum.documents import yamlio

    try:
        return yamlio.loads(text, path="-", lines=True).line_of(field)
    except DocumentError:
        return None


def _moved(p: Problem, s: Session, target: Target, text: str, shown: str, offset: int) -> Problem:
    registered = {s.path(f"people/{handle}.yaml"): handle for handle in s.register}
    if p.file in registered:  # a person registered from the register block: point at it
        line = _line_of(text, ("register", registered[p.file], *p.field))
        return replace(p, file=shown, line=None if line is None else line + offset)
    if p.file != s.path(target.name):
        return p
    line = _line_of(text, p.field) if p.field or p.line else None
    return replace(p, file=shown, line=None if line is None else line + offset)


def relocated(
    exc: JuhtumError, s: Session, target: Target, text: str, shown: str, offset: int = 0
) -> JuhtumError:
    """``exc`` with the problems of the edited document named as ``shown`` and their lines
    counted in ``text`` (what the person wrote, help lines and all) from ``offset``."""
    if isinstance(exc, DocumentError) and exc.path == s.path(target.name):
        args = {k: v for k, v in exc.args_.items() if k not in ("path", "line")}
        line = None if exc.line is None else _unstripped(text, exc.line) + offset
        return DocumentError(exc.message, path=shown, line=line, **args)
    if isinstance(exc, Refused):
        problems, seen = [], set()
        for p in exc.problems:
            moved = _moved(p, s, target, text, shown, offset)
            key = (*problem_key(moved), moved.line)
            if key not in seen:  # each error once
                seen.add(key)
                problems.append(moved)
        return Refused(exc.message, problems, **exc.args_)
    return exc


def _described(
    exc: JuhtumError, s: Session, target: Target, body: str, added: list[str], offset: int
) -> list[str]:
    """The error as lines for the editor's error block, lines counted in the file on screen:
    ``added`` lines, then ``body`` (the text that was built), below ``offset`` lines."""
    from juhtum.i18n import render
    from juhtum.output.reporters import message

    here = "\x00"
    document = "".join(line + "\n" for line in added) + body
    if isinstance(exc, DocumentError) and exc.path == s.path(target.name):
        line = None if exc.line is None else _unstripped(body, exc.line) + len(added) + offset
        said = render(exc.message, exc.args_)  # its arguments translated too (a YAML hint)
        return [_("line {line}: {message}").format(line=line, message=said) if line else said]
    if isinstance(exc, Refused):
        moved = relocated(exc, s, target, document, here, offset)
        assert isinstance(moved, Refused)
        lines = [render(exc.message, exc.args_) + ":"]
        for p in moved.problems:
            if p.file == here:
                where = _("line {line}").format(line=p.line) if p.line else _("this document")
            else:
                where = p.file + (f":{p.line}" if p.line else "")
            lines.append(f"  {where}: [{p.rule}] {message(p)}")
        return lines
    return render_error(exc).splitlines()
