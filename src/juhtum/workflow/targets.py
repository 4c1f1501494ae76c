"""Where a command writes, and what it writes there: the :class:`Target` a document command
opens (its name, kind, and the values its template starts from), the text a person wrote as it
is stored, and the refusal of a command the case's state does not allow (naming the command
that takes the case on).

The steps of the workflow (juhis §1-§8), one module per stage of the guideline, take the text a
person wrote (from ``--file``, stdin or the editor), turn it into the document as stored (help
lines and empty fields dropped, ``case`` filled in), propose the resulting case, and let the
session check and commit it. Refusals say what is missing and which § asks for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from juhtum.documents import roundtrip, templates, yamlio
from juhtum.errors import UserError
from juhtum.i18n import N_, _
from juhtum.model import stages, transitions
from juhtum.workflow.session import Refused, Session


@dataclass(frozen=True)
class Target:
    """Where a document command writes, and the data a template starts from."""

    name: str
    kind: str
    values: dict[str, Any]
    existing: str | None
    step: str | None = None
    """The state saving the document takes the case on to (a stage command from the state
    before): the documents of the stages before that must be complete first."""

    @property
    def defaults(self) -> dict[str, Any]:
        """What a new document gets when the text leaves it out: today's date, and the
        coordinator as its author (the editor's template shows the same)."""
        if self.existing is not None:
            return {}
        return {k: v for k, v in self.values.items() if k in DEFAULTED and v is not None}


DEFAULTED = ("date", "by", "from", "convened_by", "kind")


@dataclass
class Typed:
    """A document a person typed, on its way to disk: read once by the strict reader (whose
    errors name file and line) and once by the round-trip reader (which keeps the comments),
    pruned of the fields left empty and completed in that one round-trip document, then
    written once (:meth:`raw`)."""

    document: roundtrip.Document
    data: Any
    """What the strict reader read, pruned and completed alike: what :meth:`raw` holds."""

    def raw(self) -> bytes:
        text = self.document.dump()
        if not text.endswith("\n"):
            text += "\n"
        return text.encode("utf-8")


def typed(s: Session, name: str, text: str, *, fill: dict[str, Any] | None = None) -> Typed:
    """The text a person wrote, as it will be stored: help lines and empty fields dropped,
    ``case`` added when missing. Raises :class:`DocumentError` (with file and line) when it
    does not parse."""
    text = templates.strip_help(text)
    data = yamlio.loads(text, path=s.path(name)).data  # the strict reader: file and line
    document = roundtrip.Document(text.lstrip("\n"))  # where the editor's register block stood
    if document.prune_empty():
        roundtrip.prune_value(data)
    if isinstance(data, dict):
        missing = {k: v for k, v in {"case": s.case_id, **(fill or {})}.items() if k not in data}
        if missing and document.set_fields(missing, first=True):
            data = {**missing, **data}
    return Typed(document, data)


def stored(s: Session, name: str, text: str, *, fill: dict[str, Any] | None = None) -> bytes:
    """The text a person wrote, as stored (see :func:`typed`)."""
    return typed(s, name, text, fill=fill).raw()


def schema_ref(target: Target) -> str:
    """The path from a document to its schema in ``.juhtum/schemas/`` (for editors)."""
    depth = target.name.count("/") + 2  # cases/<id>/[folder/]name
    return "../" * depth + f".juhtum/schemas/{target.kind}.schema.json"


NEXT_COMMAND = {
    stages.NEED: "juhtum assess {id}",
    stages.ASSESSMENT: "juhtum measures {id}",
    stages.PLANNING: "juhtum plan {id}",
    stages.PLAN: "juhtum sign {id} --party HANDLE",
    stages.IMPLEMENTATION: "juhtum evaluate {id}",
    stages.EVALUATION: "juhtum status {id}",
}
"""The command that takes a case on from each state (for a message, ready to copy)."""


def refuse_state(s: Session, command: str, target: str) -> UserError:
    stage = s.stage or "?"
    following = ", ".join(transitions.NEXT.get(stage, ())) or _("nothing: the case has ended")
    step = NEXT_COMMAND.get(stage)
    if step is None:
        return UserError(
            N_(
                "the case is in {stage}; juhtum {command} belongs to {target} ({clause}), which "
                "does not follow from {stage}. From {stage} the case can go to: {following}"
            ),
            stage=stage,
            command=command,
            target=target,
            clause="juhis " + stages.CLAUSE[target],
            following=following,
        )
    return UserError(
        N_(
            "the case is in {stage}; juhtum {command} belongs to {target} ({clause}), which "
            "does not follow from {stage}. From {stage} the case can go to: {following}. "
            "The next step: {next}"
        ),
        stage=stage,
        command=command,
        target=target,
        clause="juhis " + stages.CLAUSE[target],
        following=following,
        next=step.format(id=s.case_id),
    )


def unready(s: Session, target: Target, command: str) -> Refused | None:
    """The refusal of a step on to ``target.step`` that nothing typed into the target's
    document could make possible, because a document of a stage before it is not complete;
    asked before an editor opens, so that nobody types a document the case cannot take yet.
    The refusal names the command that completes that document."""
    if target.step is None:
        return None
    earlier = [n for n in stages.stage_documents_before(target.step) if n != target.name]
    missing = [p for p in s.missing_for(target.step) if p.file in {s.path(n) for n in earlier}]
    if not missing:
        return None
    document = next(n for n in earlier if any(p.file == s.path(n) for p in missing))
    writes = next(stage for stage, name in stages.STAGE_DOCUMENT.items() if name == document)
    if writes == s.stage or document not in s.files.files:
        fix = f"juhtum {transitions.COMMAND[writes]} {s.case_id}"
    else:
        fix = f"juhtum edit {s.case_id} {document.removesuffix('.yaml')}"
    return Refused(
        N_(
            "case {id} cannot move to {stage} until {document} is complete: write it with "
            "{command} first, then juhtum {again} {id}. What is missing"
        ),
        missing,
        id=s.case_id,
        stage=target.step,
        document=document,
        command=fix,
        again=command,
    )
