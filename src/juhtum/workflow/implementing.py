"""The implementation (juhis §5-§6) and what happens in any stage: monitoring entries,
evaluations, network meetings and the case diary."""

from __future__ import annotations

from typing import Any

from juhtum.errors import UserError
from juhtum.i18n import N_, _
from juhtum.model import ids, stages, transitions
from juhtum.model.case import as_dict, as_str
from juhtum.workflow.session import Outcome, Session
from juhtum.workflow.targets import Target, refuse_state, stored, typed


def monitor_target(s: Session) -> Target:
    in_force = s.stage in (stages.IMPLEMENTATION, stages.EVALUATION) or (
        s.case.first_signature_date() is not None and bool(s.case.evaluations)
    )
    if not in_force:
        raise UserError(
            N_(
                "monitoring starts once the plan is signed by all parties (juhis §4.2, §5); "
                "case {id} is in {stage}: juhtum status {id} says what is missing"
            ),
            id=s.case_id,
            stage=s.stage or "?",
        )
    if s.stage in stages.TERMINAL:
        raise UserError(N_("case {id} has ended ({stage})"), id=s.case_id, stage=s.stage)
    values = {"case": s.case_id, "date": s.today.isoformat(), "by": s.case.coordinator}
    return Target(
        f"monitoring/{ids.document_name(s.today.isoformat())}", "monitoring", values, None
    )


def entry(s: Session, target: Target, text: str, *, step: str) -> Outcome:
    """Write one append-only document (monitoring, meeting, follow-up) under its new name."""
    data = stored(s, target.name, text, fill=target.defaults)
    return s.apply(s.propose({target.name: data}), step=step)


def evaluate_target(s: Session) -> Target:
    current = s.stage
    if current == stages.EVALUATION and s.case.evaluations:
        latest = s.case.evaluations[-1]
        if not latest.get("decision"):
            return Target(latest.name, "evaluation", {}, s.text(latest.name))
    if current not in (stages.IMPLEMENTATION, stages.EVALUATION):
        raise refuse_state(s, "evaluate", stages.EVALUATION)
    case = s.case
    goals = [{"goal": as_str(g.get("id"))} for _, g in case.plan_goals()]
    from juhtum.model import representatives

    # a child is told the conclusions as well as the representatives (LasteKS § 21)
    child = case.framework_on(s.today.isoformat()) == "child"
    client_side = [*representatives.current(case), case.client] if child else [case.client]
    values: dict[str, Any] = {
        "case": s.case_id,
        "date": s.today.isoformat(),
        "goal_results": goals or None,
        "shared_with": sorted({*client_side, *case.providers()}) or None,
    }
    name = f"evaluations/{ids.document_name(s.today.isoformat())}"
    return Target(name, "evaluation", {k: v for k, v in values.items() if v}, None)


def evaluate(s: Session, target: Target, text: str) -> Outcome:
    """Write an evaluation (§6). Its decision moves the case: continue -> implementation,
    modify -> planning, reassess -> assessment; close leaves it for juhtum close."""
    document = typed(s, target.name, text, fill=target.defaults)
    data = document.raw()
    decision = as_dict(document.data).get("decision")
    after = transitions.DECISION.get(decision) if isinstance(decision, str) else None
    fields: dict[str, Any] = {}
    if s.stage != stages.EVALUATION:
        fields["stage"] = stages.EVALUATION
    step = "evaluate"
    if after is not None:
        fields["stage"] = after
        step = f"evaluate: decided {decision}"
    proposed = s.propose({target.name: data}, case_fields=fields or None)
    outcome = s.apply(
        proposed,
        step=step,
        refusal=N_("the evaluation is refused: it would leave these errors"),
    )
    if decision == "close":
        outcome.notes.append(
            _("the evaluation decided to close: next, juhtum close {id} --reason ...").format(
                id=s.case_id
            )
        )
    return outcome


def meeting_target(s: Session) -> Target:
    if s.stage in stages.TERMINAL:
        raise UserError(N_("case {id} has ended ({stage})"), id=s.case_id, stage=s.stage)
    values = {"case": s.case_id, "date": s.today.isoformat(), "convened_by": s.case.coordinator}
    name = f"meetings/{ids.document_name(s.today.isoformat())}"
    return Target(name, "meeting", {k: v for k, v in values.items() if v}, None)


DIARY_KINDS = (
    "contact",
    "call",
    "visit",
    "urgent_help",
    "information_received",
    "information_passed",
)


def note_target(s: Session, kind: str | None = None) -> Target:
    """A new case diary entry (juhis §3 "tööpäevik", §5.1): in any state, moving nothing."""
    values = {
        "case": s.case_id,
        "date": s.today.isoformat(),
        "by": s.case.coordinator
        or s.case.current_coordinator()
        or as_str(s.case.need.get("specialist")),
        "kind": kind,
    }
    name = f"diary/{ids.document_name(s.today.isoformat())}"
    return Target(name, "diary", {k: v for k, v in values.items() if v}, None)


def note(s: Session, target: Target, text: str, *, kind: str | None = None) -> Outcome:
    """Add one append-only diary entry; the case stays in its state."""
    fill = {**target.defaults, **({"kind": kind} if kind else {})}
    document = typed(s, target.name, text, fill=fill)
    data = document.raw()
    written = as_dict(document.data)
    if kind and written.get("kind") != kind:
        raise UserError(
            N_("--kind says {given}, the document says {written}: make them agree"),
            given=kind,
            written=as_str(written.get("kind")) or "-",
        )
    return s.apply(
        s.propose({target.name: data}),
        step=f"diary: {as_str(written.get('kind')) or '?'}",
        refusal=N_("the diary entry is refused: it has these errors"),
    )
