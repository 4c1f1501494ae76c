"""Getting a document's text from a person: ``--file``, stdin, or their editor.

Without ``--file``, on a terminal, the editor opens on a commented template
(or the document as it is, its help lines and empty fields restored). When the
saved text does not pass, the editor opens again with the errors as comments at
the top, as ``git commit`` and ``kubectl edit`` do; their line numbers are the
lines of the file on the screen, their fields named by the document's own ids.

Nothing typed is lost. The editor works on a draft (:mod:`juhtum.drafts`) that
stays when the edit is interrupted or given up, and the next run of the same
command offers to resume it. The repository lock is not held while the editor
is open: other commands (in another window, by a colleague) may write
meanwhile, and the text is then checked against the case as it has become.

What only another command could fix can be fixed here: a ``register:`` block at
the top of the text registers people the document names (the error adds one,
to be filled in), and an announced plan change names the providers who agreed
in an ``agreed_by:`` line. Neither is stored in the document itself
(:mod:`juhtum.cli.editor_blocks`); the errors are shown as :mod:`juhtum.cli.editor_errors`
writes them.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from juhtum import drafts, storage
from juhtum.cli.editor_blocks import Build, build_from
from juhtum.cli.editor_errors import compose, relocated, render_error
from juhtum.documents import reopen, templates
from juhtum.errors import DocumentError, JuhtumError, UsageError, UserError
from juhtum.i18n import N_, _
from juhtum.workflow.session import Outcome, Refused, Session
from juhtum.workflow.targets import Target, schema_ref, unready


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
    s: Session,
    target_of: Callable[[Session], Target],
    file: str | None,
    build: Build,
    *,
    command: str,
    draft: str | None = None,
) -> Outcome:
    """Get the text and hand it to ``build`` (which checks, writes and commits it).

    ``command`` names the draft (with the document for ``edit``); ``draft`` is ``resume``,
    ``discard`` or None (ask, on a terminal)."""
    target = target_of(s)
    key = drafts.key_of(command, target.name if command == "edit" else None)
    workfile = drafts.path_of(s.repo, s.case_id, key, nested="/" in target.name)
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
        if not text.strip():
            raise UserError(N_("{path} is empty: nothing to save"), path=file)
        if draft == "discard":
            _set_aside(s, workfile)
        # the person's own file stays as it is when refused; errors name it and its lines
        try:
            return build_from(s, target, text, build)
        except (DocumentError, Refused) as exc:
            raise relocated(exc, s, target, text, file) from None
    refused = unready(s, target, command)
    if refused is not None:
        raise refused  # before any editor opens: nothing typed there could make the step
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError(
            N_(
                "give the document with --file PATH (- reads it from stdin); without it juhtum "
                "opens an editor, which needs a terminal"
            )
        )
    with drafts.claimed(workfile):
        return _loop(s, target_of, target, build, workfile, key, draft)


def _keep_on_failure(s: Session, target: Target, text: str, build: Build) -> Outcome:
    try:
        return build_from(s, target, text, build)
    except JuhtumError as exc:
        kept = keep(s, target, text)
        shown = (
            relocated(exc, s, target, text, "stdin")
            if isinstance(exc, DocumentError | Refused)
            else exc
        )
        raise UserError(
            N_("{error}\nNothing was saved in the case; your text is kept in {path}"),
            error=render_error(shown),
            path=kept,
        ) from None


def keep(s: Session, target: Target, text: str) -> str:
    """Save text a person typed that was not accepted; returns where (relative to the repo)."""
    import datetime as dt

    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    safe = target.name.replace("/", "-")
    path = s.repo.state_dir / "rejected" / s.case_id / f"{stamp}-{safe}"
    storage.make_dirs(path.parent)
    storage.write_text(path, text)
    return s.repo.relative(path)


# -- the editor loop ------------------------------------------------------------------------


def _without_errors(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#!"))


def _blank(text: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def edit_path(state_dir: Path, case_id: str, name: str) -> Path:
    """Where the editor opens a new draft of the document ``name`` of a case: as deep below
    the repository as ``cases/<id>/<name>`` (see :func:`juhtum.drafts.path_of`), so that the
    template's relative ``$schema`` line (:func:`juhtum.workflow.targets.schema_ref`) finds
    ``.juhtum/schemas/`` from both."""
    key = name.replace("/", drafts.SEPARATOR)
    return drafts.place(state_dir, case_id, key, nested="/" in name)


def _fresh(target: Target) -> str:
    ref = schema_ref(target)
    if target.existing is not None:
        return reopen.restored(target.kind, target.existing, schema_ref=ref)
    return templates.template(target.kind, values=target.values, schema_ref=ref)


def _set_aside(s: Session, workfile: Path) -> None:
    held = drafts.newest(workfile)
    if held is None:
        drafts.clear(workfile)
        return
    kept = drafts.set_aside(
        s.repo, s.case_id, workfile, _without_errors(held.read_text(encoding="utf-8"))
    )
    sys.stderr.write(_("juhtum: the earlier draft is kept in {path}").format(path=kept) + "\n")


def _ask_resume(s: Session, held: Path) -> bool:
    draft = drafts.Draft(s.case_id, held.stem, held)
    from juhtum.cli.shared import wrapped
    from juhtum.i18n import date

    day, _space, hour = draft.saved.partition(" ")
    said = _("A draft of this document, saved {when}, is waiting: {path}").format(
        when=f"{date(day)} {hour}", path=s.repo.relative(held)
    )
    sys.stdout.write(wrapped(said, "", "  ") + "\n" + _("Resume it? [Y/n] "))
    sys.stdout.flush()
    answer = sys.stdin.readline().strip().casefold()
    return not answer.startswith(("n", "e"))  # no / ei: anything else resumes


def _loop(
    s: Session,
    target_of: Callable[[Session], Target],
    target: Target,
    build: Build,
    workfile: Path,
    key: str,
    choice: str | None,
) -> Outcome:
    command = drafts.Draft(s.case_id, key, workfile).command
    fresh = _fresh(target)
    text = fresh
    typed: str | None = None
    """The last text that held something the person typed: what giving up keeps."""
    held = drafts.newest(workfile)
    if held is not None:
        old = _without_errors(held.read_text(encoding="utf-8", errors="replace"))
        if old.strip() == fresh.strip():
            drafts.clear(workfile)  # an untouched template: nothing to offer
        elif choice == "resume" or (choice is None and _ask_resume(s, held)):
            text = typed = old
        else:
            _set_aside(s, workfile)
    elif choice == "resume":
        raise UserError(N_("there is no draft to resume for {command}"), command=command)
    failed = False
    while True:
        drafts.settle(workfile, text)
        try:
            with s.unlocked():
                result = subprocess.run([*editor_command(), str(workfile)], check=False)
        except JuhtumError as exc:
            raise _kept_as_draft(s, workfile, command, exc) from None
        edited = workfile.read_text(encoding="utf-8", errors="replace")
        body = _without_errors(edited)
        if not _blank(body) and body != fresh:
            typed = body
        gave_up = result.returncode != 0 or _blank(body) or (failed and edited == text)
        if gave_up:
            if typed is None:
                drafts.clear(workfile)
                raise UserError(N_("nothing was saved: the document was left empty"))
            drafts.settle(workfile, typed)
            raise _kept_as_draft(s, workfile, command, None)
        if not failed and typed is None:
            drafts.clear(workfile)
            if target.existing is not None:
                raise UserError(N_("nothing was saved: the document was not changed"))
            raise UserError(N_("nothing was saved: the template was not changed"))
        notes: list[str] = []
        try:
            if s.changed_meanwhile:
                before = target.existing
                target = target_of(s)
                notes.append(
                    _(
                        "case {id} was changed by another command while you were editing; "
                        "your text was checked against the case as it is now"
                    ).format(id=s.case_id)
                )
                if target.existing is not None and target.existing != before:
                    notes.append(
                        _(
                            "{document} itself had changed: yours replaces it (the other "
                            "version stays in the history: juhtum history {id})"
                        ).format(document=target.name, id=s.case_id)
                    )
            built = _compact(body, target.existing) if target.existing is not None else body
            outcome = build_from(s, target, built, build)
        except (DocumentError, Refused, UserError) as exc:
            failed = True
            text = compose(s, target, exc, body, notes)
            continue
        drafts.clear(workfile)
        outcome.notes[:0] = notes
        return outcome


def _compact(text: str, original: str) -> str:
    """An existing document as edited, without the blank lines (and the schema line) that the
    template around it added, when that reads the same: a change stays a change of what
    changed, not of the whole file's layout (colleagues merge these files)."""
    from juhtum.documents import yamlio

    modeline = "# yaml-language-server:"
    kept = [line for line in re.split(r"(?<=\n)", text) if line.strip()]
    if not original.startswith(modeline):
        kept = [line for line in kept if not line.startswith(modeline)]
    compact = "".join(kept)
    if compact == text:
        return text  # nothing to take out: nothing to parse
    try:
        same = (
            yamlio.loads(templates.strip_help(compact), path="-").data
            == yamlio.loads(templates.strip_help(text), path="-").data
        )
    except DocumentError:
        return text
    return compact if same else text


def _kept_as_draft(s: Session, workfile: Path, command: str, exc: JuhtumError | None) -> UserError:
    kept = drafts.newest(workfile)
    if kept is None:
        return exc if isinstance(exc, UserError) else UserError(N_("nothing was saved"))
    if exc is not None:
        return UserError(
            N_(
                "{error}\nNothing was saved in the case; what you typed is kept as a draft in "
                "{path}: {command} offers to resume it (--discard sets it aside)"
            ),
            error=render_error(exc),
            path=s.repo.relative(kept),
            command=command,
        )
    return UserError(
        N_(
            "nothing was saved in the case; what you typed is kept as a draft in {path}: "
            "{command} offers to resume it (--discard sets it aside)"
        ),
        path=s.repo.relative(kept),
        command=command,
    )
