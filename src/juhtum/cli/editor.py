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
in an ``agreed_by:`` line. Neither is stored in the document itself.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from juhtum import drafts, storage
from juhtum.documents import reopen, templates
from juhtum.errors import DocumentError, JuhtumError, UsageError, UserError
from juhtum.i18n import N_, _
from juhtum.model.invariants import references
from juhtum.model.problems import Problem
from juhtum.steps import Target, schema_ref
from juhtum.workflow import Outcome, Refused, Session, problem_key

ERROR_MARK = "#! "

"""The message id of invariant 17 for a handle nobody holds (see juhtum.model.invariants)."""
UNAGREED = (
    "the change touches the actions of {providers}: name the providers who agreed "
    "to it with --agreed-by (juhis §4.2)"
)
"""The message id of steps.plan's refusal of a change without the providers' agreement."""

Build = Callable[[Target, str], Outcome]


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
            return _build(s, target, text, build)
        except (DocumentError, Refused) as exc:
            raise _relocated(exc, s, target, text, file) from None
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
        return _build(s, target, text, build)
    except JuhtumError as exc:
        kept = keep(s, target, text)
        shown = (
            _relocated(exc, s, target, text, "stdin")
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


def render_error(exc: JuhtumError) -> str:
    return exc.render()


# -- the editor loop ------------------------------------------------------------------------


def _without_errors(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#!"))


def _blank(text: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def edit_path(state_dir: Path, case_id: str, name: str) -> Path:
    """Where the editor opens a new draft of the document ``name`` of a case: as deep below
    the repository as ``cases/<id>/<name>`` (see :func:`juhtum.drafts.path_of`), so that the
    template's relative ``$schema`` line (:func:`juhtum.steps.schema_ref`) finds
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
    from juhtum.cli.app import wrapped
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
            outcome = _build(s, target, built, build)
        except (DocumentError, Refused, UserError) as exc:
            failed = True
            text = _compose(s, target, exc, body, notes)
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


# -- what the editor may add: people to register, the providers who agreed ----------------------

_TOP_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*):(?:[ \t]|$)")


def _blocks(text: str) -> dict[str, tuple[int, int]]:
    """Top-level keys -> (first line, end line) of their block, 0-based."""
    lines = text.split("\n")
    found: dict[str, tuple[int, int]] = {}
    current: str | None = None
    start = last = 0
    for number, line in enumerate(lines):
        match = _TOP_KEY.match(line)
        if match or line[:1] not in ("", " ", "\t", "#", "-"):
            if current is not None:
                found.setdefault(current, (start, last + 1))
            current = match.group(1) if match else None
            start = last = number
        elif line.strip() and not line.lstrip().startswith("#"):
            last = number  # comments and blank lines after a block belong to what follows
    if current is not None:
        found.setdefault(current, (start, last + 1))
    return found


def _directives(s: Session, target: Target, text: str) -> str:
    """``text`` with the ``register:`` block (and for a plan ``agreed_by:``) blanked out, line
    for line so that line numbers stay; what they say is set on the session."""
    from juhtum import steps
    from juhtum.documents import yamlio
    from juhtum.model import ids
    from juhtum.model.case import as_dict, as_list, as_str

    s.register = {}
    s.agreed_by = []
    blocks = _blocks(text)
    names = ["register"] + (["agreed_by"] if target.kind == "plan" else [])
    lines = text.split("\n")
    for name in names:
        if name not in blocks:
            continue
        first, end = blocks[name]
        # parsed where it stands (blank lines above it), so that an error names its line
        block = "\n" * first + "\n".join(lines[first:end]) + "\n"
        try:
            data = as_dict(yamlio.loads(block, path=s.path(target.name)).data)
        except DocumentError as exc:
            if exc.line is not None:  # as the strict reader of the whole text would count it
                exc.line = sum(1 for ln in lines[: exc.line] if not _help_line(ln))
                exc.args_["line"] = exc.line
            raise
        value = data.get(name)
        if name == "agreed_by":
            items = value if isinstance(value, list) else [value] if value else []
            s.agreed_by = [str(v).strip() for v in items if str(v).strip()]
        else:
            for handle, person in as_dict(value).items():
                fields = as_dict(person)
                if not as_str(fields.get("name")):
                    continue  # not filled in: nobody to register
                ids.check_handle(str(handle))
                roles = fields.get("roles") or ["specialist"]
                s.register[str(handle)] = steps.person_document(
                    s.case_id,
                    name=str(fields["name"]),
                    roles=[
                        str(r) for r in (as_list(roles) if isinstance(roles, list) else [roles])
                    ],
                    organisation=as_str(fields.get("organisation")) or None,
                    email=as_str(fields.get("email")) or None,
                    phone=as_str(fields.get("phone")) or None,
                )
        for number in range(first, end):
            lines[number] = ""
    return "\n".join(lines)


def _build(s: Session, target: Target, text: str, build: Build) -> Outcome:
    return build(target, _directives(s, target, text))


def _role_for(field: tuple[str | int, ...]) -> str:
    words = " ".join(str(part) for part in field)
    if "coordinator" in words:
        return "coordinator"
    if "responsible" in words or "provider" in words:
        return "provider"
    return "specialist"


def _additions(exc: JuhtumError, target: Target, body: str, path: str) -> tuple[list[str], str]:
    """Lines to put above the document so that the person can fix the error here, and the hint
    that says so."""
    present = _blocks(body)
    if isinstance(exc, Refused):
        unknown: dict[str, str] = {}
        for p in exc.problems:
            if p.rule == "I17" and p.message == references.UNREGISTERED and p.file == path:
                unknown.setdefault(str(p.args.get("handle")), _role_for(p.field))
        if unknown and "register" not in present:
            lines = [templates.HELP + _("People to register with this save: fill in the name.")]
            lines.append("register:")
            for handle, role in unknown.items():
                lines += [f"  {handle}:", "    name:", f"    roles: [{role}]", "    organisation:"]
            hint = _(
                "Someone this document names is not registered in the case: fill in the "
                "register block below (or correct the handle), and save."
            )
            return lines, hint
    if exc.message == UNAGREED and target.kind == "plan" and "agreed_by" not in present:
        lines = [
            templates.HELP
            + _("The providers who agreed to this change (juhis §4.2): {providers}").format(
                providers=exc.args_.get("providers", "")
            ),
            "agreed_by: []",
        ]
        hint = _("Name the providers who agreed in agreed_by below, and save.")
        return lines, hint
    return [], ""


def _compose(s: Session, target: Target, exc: JuhtumError, body: str, notes: list[str]) -> str:
    """The text the editor opens next: the errors, what may fix them, what was typed."""
    path = s.path(target.name)
    added, hint = _additions(exc, target, body, path)
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


def _help_line(line: str) -> bool:
    return line.lstrip().startswith((templates.HELP.rstrip(), templates.ERROR.rstrip()))


def _unstripped(text: str, line: int) -> int:
    """The line in ``text`` of line ``line`` of ``text`` with its help lines removed."""
    kept = [n for n, ln in enumerate(re.split(r"(?<=\n)", text), 1) if not _help_line(ln)]
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


def _relocated(
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
    from juhtum.render import message

    here = "\x00"
    document = "".join(line + "\n" for line in added) + body
    if isinstance(exc, DocumentError) and exc.path == s.path(target.name):
        line = None if exc.line is None else _unstripped(body, exc.line) + len(added) + offset
        said = render(exc.message, exc.args_)  # its arguments translated too (a YAML hint)
        return [_("line {line}: {message}").format(line=line, message=said) if line else said]
    if isinstance(exc, Refused):
        moved = _relocated(exc, s, target, document, here, offset)
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
