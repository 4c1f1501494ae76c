"""Getting a document's text from a person: ``--file``, stdin, or their editor.

Without ``--file``, on a terminal, the editor opens on a commented template
(or the document as it is). When the saved text does not pass, the editor
opens again with the errors as comments at the top, as ``git commit`` and
``kubectl edit`` do. Saving an empty file, or saving again without changing
anything after errors, gives up: the text is then kept under
``.juhtum/rejected/`` and the message says where. Nothing typed is lost.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from juhtum import storage, templates
from juhtum.errors import DocumentError, JuhtumError, UsageError, UserError
from juhtum.i18n import N_, _
from juhtum.steps import Target, schema_ref
from juhtum.workflow import Outcome, Refused, Session

ERROR_MARK = "#! "


def editor_command() -> list[str]:
    for variable in ("JUHTUM_EDITOR", "VISUAL", "EDITOR"):
        value = os.environ.get(variable)
        if value:
            return shlex.split(value)
    for fallback in ("nano", "vi", "notepad"):
        if shutil.which(fallback):
            return [fallback]
    raise UsageError(N_("no editor found: set EDITOR, or give the document with --file PATH"))


def obtain(
    s: Session, target: Target, file: str | None, build: Callable[[str], Outcome]
) -> Outcome:
    """Get the text and hand it to ``build`` (which checks, writes and commits it)."""
    if file == "-":
        text = sys.stdin.read()
        return _keep_on_failure(s, target, text, build)
    if file is not None:
        try:
            text = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(
                N_("cannot read {path}: {reason}"),
                path=file,
                reason=getattr(exc, "strerror", None) or type(exc).__name__,
            ) from None
        return build(text)  # the person's own file stays as it is when refused
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError(
            N_(
                "give the document with --file PATH (- reads it from stdin); without it juhtum "
                "opens an editor, which needs a terminal"
            )
        )
    return _loop(s, target, build)


def _keep_on_failure(
    s: Session, target: Target, text: str, build: Callable[[str], Outcome]
) -> Outcome:
    try:
        return build(text)
    except JuhtumError as exc:
        kept = keep(s, target, text)
        raise UserError(
            N_("{error}\nNothing was saved in the case; your text is kept in {path}"),
            error=render_error(exc),
            path=kept,
        ) from None


def keep(s: Session, target: Target, text: str) -> str:
    """Save text a person typed that was not accepted; returns where (relative to the repo)."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    safe = target.name.replace("/", "-")
    path = s.repo.state_dir / "rejected" / s.case_id / f"{stamp}-{safe}"
    storage.make_dirs(path.parent)
    storage.write_text(path, text)
    return s.repo.relative(path)


def render_error(exc: JuhtumError) -> str:
    return exc.render()


def _error_block(message: str) -> str:
    lines = [_("juhtum could not save this document:"), *message.splitlines()]
    lines.append(_("Correct it and save; save an empty file, or save without changes, to stop."))
    return "".join(f"{ERROR_MARK}{line}\n" for line in lines)


def _without_errors(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#!"))


def _blank(text: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def edit_path(state_dir: Path, case_id: str, name: str) -> Path:
    """Where the editor opens the document ``name`` of a case: ``.juhtum/edit/<id>-<name>``,
    as deep below the repository as ``cases/<id>/<name>``, so that the template's relative
    ``$schema`` line (:func:`juhtum.steps.schema_ref`) finds ``.juhtum/schemas/`` from both."""
    return state_dir / "edit" / f"{case_id}-{name}"


def _loop(s: Session, target: Target, build: Callable[[str], Outcome]) -> Outcome:
    initial = target.existing or templates.template(
        target.kind, values=target.values, schema_ref=schema_ref(target)
    )
    workfile = edit_path(s.repo.state_dir, s.case_id, target.name)
    storage.make_dirs(workfile.parent)
    text = initial
    failed = False
    while True:
        storage.write_text(workfile, text)
        result = subprocess.run([*editor_command(), str(workfile)], check=False)
        edited = workfile.read_text(encoding="utf-8")
        if result.returncode != 0 or _blank(_without_errors(edited)) or (failed and edited == text):
            if _blank(_without_errors(edited)) and not failed:
                workfile.unlink(missing_ok=True)
                raise UserError(N_("nothing was saved: the document was left empty"))
            kept = keep(s, target, _without_errors(edited))
            workfile.unlink(missing_ok=True)
            raise UserError(
                N_("nothing was saved in the case; your text is kept in {path}"), path=kept
            )
        if not failed and edited == initial and target.existing is None:
            workfile.unlink(missing_ok=True)
            raise UserError(N_("nothing was saved: the template was not changed"))
        try:
            outcome = build(_without_errors(edited))
        except (DocumentError, Refused, UserError) as exc:
            failed = True
            text = _error_block(render_error(exc)) + _without_errors(edited)
            continue
        workfile.unlink(missing_ok=True)
        return outcome
