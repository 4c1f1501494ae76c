"""Closing the case (juhis §7), the follow-up contact after it (§7.2), and handing the case
over to another coordinator (§8)."""

from __future__ import annotations

from typing import Any

from juhtum.documents import yamlio
from juhtum.errors import UserError
from juhtum.i18n import N_
from juhtum.model import ids, stages
from juhtum.model.case import as_dict, as_str
from juhtum.workflow.registering import client_name
from juhtum.workflow.session import Outcome, Session
from juhtum.workflow.targets import Target, typed


def close_target(s: Session, reason: str | None) -> Target:
    if s.stage in stages.TERMINAL:
        raise UserError(N_("case {id} has ended ({stage})"), id=s.case_id, stage=s.stage)
    values: dict[str, Any] = {"case": s.case_id, "date": s.today.isoformat()}
    if reason:
        values["reason"] = reason
    decided = [d for d in s.case.evaluations if d.get("decision") == "close"]
    if decided:
        values["evaluation"] = decided[-1].name
    return Target("closing.yaml", "closing", values, s.text("closing.yaml"))


def close(s: Session, text: str, *, reason: str | None) -> Outcome:
    """Close the case (§7): refused without an evaluation that decided to close, for the
    reasons that need one, and without the safety judgement for *cannot continue*."""
    fill: dict[str, Any] = {"reason": reason} if reason else {}
    decided = [d for d in s.case.evaluations if d.get("decision") == "close"]
    if decided:
        fill["evaluation"] = decided[-1].name  # the evaluation that decided to close (§6.3 (3))
    document = typed(s, "closing.yaml", text, fill=fill)
    data = document.raw()
    written = as_dict(document.data)
    if reason and written.get("reason") != reason:
        raise UserError(
            N_("--reason says {given}, the document says {written}: make them agree"),
            given=reason,
            written=as_str(written.get("reason")) or "-",
        )
    proposed = s.propose({"closing.yaml": data}, case_fields={"stage": stages.CLOSED})
    return s.apply(
        proposed,
        step=f"close: {as_str(written.get('reason')) or '?'}",
        refusal=N_("the case cannot be closed: these are missing"),
    )


def followup_target(s: Session) -> Target:
    if s.stage != stages.CLOSED:
        raise UserError(N_("a follow-up contact comes after closing (juhis §7.2)"))
    values = {"case": s.case_id, "date": s.today.isoformat(), "by": s.case.coordinator}
    name = f"followups/{ids.document_name(s.today.isoformat())}"
    return Target(name, "followup", {k: v for k, v in values.items() if v}, None)


def handover_target(s: Session, to: str) -> Target:
    if s.stage in stages.TERMINAL:
        raise UserError(N_("case {id} has ended ({stage})"), id=s.case_id, stage=s.stage)
    ids.check_handle(to)
    giver = s.case.coordinator or as_str(s.case.need.get("specialist"))
    values: dict[str, Any] = {
        "case": s.case_id,
        "date": s.today.isoformat(),
        "from": giver,
        "to": to,
        "providers_notified": sorted(s.case.providers()) or [],
    }
    name = f"handovers/{ids.document_name(s.today.isoformat())}"
    return Target(name, "handover", {k: v for k, v in values.items() if v is not None}, None)


def handover(
    s: Session,
    target: Target,
    text: str,
    *,
    to: str,
    person: bytes | None,
) -> Outcome:
    """Hand the case over (§8) in one commit: the handover document, the new person when new,
    and the new coordinator in case.yaml; refused when a provider of the plan is not told."""
    document = typed(s, target.name, text, fill={**target.defaults, "to": to})
    data = document.raw()
    written = as_dict(document.data)
    if written.get("to") != to:
        raise UserError(
            N_("--to says {given}, the document says {written}: make them agree"),
            given=to,
            written=as_str(written.get("to")) or "-",
        )
    changes: dict[str, bytes | None] = {target.name: data}
    registered = s.case.people.get(to)
    receiver = (
        registered.get("name")
        if registered is not None
        else as_dict(yamlio.loads(person, path=f"people/{to}.yaml").data).get("name")
        if person is not None
        else None
    )
    ids.check_handle_names_no_one(to, [as_str(receiver), client_name(s)])
    if f"people/{to}.yaml" not in s.files.files and to not in s.settings.specialists:
        if person is None:
            raise UserError(
                N_(
                    "{handle} is nobody in this case yet: give --name (and --organisation, "
                    "--email) to register them, or register a colleague once for every case: "
                    'juhtum specialists --add {handle} --name "NAME"'
                ),
                handle=to,
            )
        changes[f"people/{to}.yaml"] = person
    assigned = s.case.coordinator or as_dict(s.case.need.get("coordinator_assignment")).get("who")
    fields = {"coordinator": to} if assigned else None
    proposed = s.propose(changes, case_fields=fields)
    return s.apply(
        proposed,
        step=f"handover to {to} (§8)",
        refusal=N_("the handover is refused: it is not complete"),
    )
