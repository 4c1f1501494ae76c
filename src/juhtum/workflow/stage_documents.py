"""The stage documents of §1-§3: ``need``, ``assess`` and ``measures`` write need.yaml,
assessment.yaml and planning.yaml, and take the step into their stage when the guideline's
conditions hold."""

from __future__ import annotations

from typing import Any

from juhtum.i18n import N_
from juhtum.model import stages, transitions
from juhtum.model.case import as_dict, as_str
from juhtum.workflow.session import Outcome, Refused, Session
from juhtum.workflow.targets import Target, refuse_state, typed

STAGE_COMMANDS = {
    "need": (stages.NEED, "need.yaml", "need"),
    "assess": (stages.ASSESSMENT, "assessment.yaml", "assessment"),
    "measures": (stages.PLANNING, "planning.yaml", "planning"),
}


def stage_target(s: Session, command: str) -> Target:
    stage, name, kind = STAGE_COMMANDS[command]
    current = s.stage
    if current != stage and not (current and stage in transitions.NEXT.get(current, ())):
        raise refuse_state(s, command, stage)
    values: dict[str, Any] = {"case": s.case_id}
    if command == "need" and s.case.coordinator:
        values["specialist"] = s.case.coordinator  # who opened the case, by default
    step = (
        stage if current and current != stage and not transitions.is_back(current, stage) else None
    )
    return Target(name, kind, values, s.text(name), step)


def _assigned_coordinator(s: Session, written: Any) -> dict[str, Any]:
    """case.yaml's coordinator follows the §1.4 assignment while the case is in need and
    was never handed over (``new`` names who opened the case until someone is assigned)."""
    if s.case.handovers:
        return {}
    who = as_str(as_dict(as_dict(written).get("coordinator_assignment")).get("who"))
    if who and who != s.case.coordinator:
        return {"coordinator": who}
    return {}


def stage_document(s: Session, command: str, text: str, *, refer: bool = False) -> Outcome:
    """``need``, ``assess``, ``measures``: write the stage's document; from an earlier state,
    take the step into this one (or back into it) when the guideline's conditions hold."""
    stage, name, _kind = STAGE_COMMANDS[command]
    stage_target(s, command)
    if refer:
        from juhtum.lifecycle import refer_refusal

        refusal = refer_refusal(s.case)  # after §1.4 a referral is a closing (§7)
        if refusal is not None:
            raise refusal
    current = s.stage or stage
    fields: dict[str, Any] = {}
    if current != stage:
        fields["stage"] = stage
    if stage == stages.ASSESSMENT and not s.case.coordinator:
        holder = s.case.current_coordinator()
        if holder:
            fields["coordinator"] = holder  # §1.4 (or the handover since): they take it on
    document = typed(s, name, text)
    data = document.raw()
    if stage == stages.NEED:
        fields.update(_assigned_coordinator(s, document.data))
    step = command if current == stage else f"{command}: {current} -> {stage}"
    if transitions.is_back(current, stage):
        step = f"{command}: back to {stage}"
    if (command == "need" and _outcome(document.data) == "single_service") or refer:
        # §1.3 (1): a complete single-service decision ends case management as a referral
        referred = s.propose({name: data}, case_fields={**fields, "stage": stages.REFERRED})
        new, _all = s.check(referred)
        if not new:
            return s.apply(referred, step=f"{command}: referred (§1.3 (1))")
        if refer:
            raise Refused(N_("the case cannot be referred yet"), new)
    proposed = s.propose({name: data}, case_fields=fields or None)
    return s.apply(
        proposed,
        step=step,
        refusal=N_("the case cannot move to {stage} yet: these are missing")
        if current != stage
        else N_("the document is refused: it has these errors"),
        stage=stage,
    )


def _outcome(parsed: Any) -> Any:
    return as_dict(as_dict(parsed).get("decision")).get("outcome")
