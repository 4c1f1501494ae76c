"""Editing any document of a case, through the same checks and one commit."""

from __future__ import annotations

from juhtum.documents import roundtrip, templates, yamlio
from juhtum.errors import UserError
from juhtum.i18n import N_
from juhtum.model import stages
from juhtum.model.case import as_dict
from juhtum.model.documents import CASE_FILE, kind_in_case
from juhtum.workflow.session import Outcome, Refused, Session
from juhtum.workflow.targets import Target, stored

DOCUMENT_ALIASES = {
    "case": CASE_FILE,
    "need": "need.yaml",
    "assessment": "assessment.yaml",
    "assess": "assessment.yaml",
    "planning": "planning.yaml",
    "measures": "planning.yaml",
    "plan": "plan.yaml",
    "closing": "closing.yaml",
    "close": "closing.yaml",
}


def edit_target(s: Session, document: str | None) -> Target:
    if document is None:
        name = stages.STAGE_DOCUMENT.get(s.stage or "", CASE_FILE)
        if s.stage == stages.EVALUATION and s.case.evaluations:
            name = s.case.evaluations[-1].name
        if s.stage == stages.CLOSED:
            name = "closing.yaml"
    else:
        name = DOCUMENT_ALIASES.get(document, document)
        if "/" not in name and not name.endswith(".yaml"):
            name = f"people/{name}.yaml"  # a handle
    if name not in s.files.files:
        raise UserError(
            N_("case {id} has no {document}; its documents are: {names}"),
            id=s.case_id,
            document=name,
            names=", ".join(s.files.files),
        )
    # the kind from the file's place, not from its parse: edit is how a broken file is mended
    kind = kind_in_case(tuple(name.split("/"))) or "case"
    return Target(name, kind, {}, s.text(name))


def _recorded_stage(s: Session) -> str | None:
    """The state the case's last juhtum commit recorded (its ``Stage:`` trailer), or None
    outside git or before any."""
    from juhtum import history
    from juhtum.errors import HistoryError

    if not history.in_git(s.repo.root):
        return None
    try:
        entries = history.log(s.repo.root, s.files.prefix, s.case_id)
    except HistoryError:
        return None
    return next((e.stage for e in entries if e.stage in stages.STAGES), None)


def edit(s: Session, target: Target, text: str) -> Outcome:
    """Change any document of the case; refused when the case would get new errors. The state
    changes only through the stage commands, and a signed plan only as §5.2 allows."""
    if target.name == CASE_FILE:
        stripped = templates.strip_help(text)
        read = yamlio.loads(stripped, path=s.path(CASE_FILE)).data  # the strict reader: line
        document = roundtrip.Document(stripped)
        if document.prune_empty():  # the fields the editor offered
            roundtrip.prune_value(read)
        data = document.dump().encode("utf-8")
        parsed = as_dict(read)
        # a case.yaml that does not parse keeps the state its last juhtum commit recorded
        kept = s.stage if s.case.doc("case") is not None else _recorded_stage(s)
        if kept is not None and parsed.get("stage") != kept:
            raise UserError(
                N_(
                    "the state changes only through the stage commands (juhtum status {id} "
                    "says which)"
                ),
                id=s.case_id,
            )
    else:
        data = stored(s, target.name, text)
    if target.name == "plan.yaml" and s.stage in (stages.IMPLEMENTATION, stages.EVALUATION):
        proposed = s.propose({target.name: data})
        new, _all = s.check(proposed)
        if any(p.rule == "I8" for p in new):
            raise Refused(
                N_(
                    "the plan is signed and in force: editing it would void the signatures. "
                    "To change it during implementation, use juhtum plan {id} (a change "
                    "announced as juhis §5.2 asks)"
                ),
                new,
                id=s.case_id,
            )
    return s.apply(s.propose({target.name: data}), step=f"edit {target.name}")
