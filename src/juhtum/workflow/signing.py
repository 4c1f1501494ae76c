"""Signatures on the plan (juhis §4.2): a signature, why someone did not sign, or the
coordinator's decision to put the plan in force without it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from juhtum.documents import roundtrip
from juhtum.errors import UserError
from juhtum.i18n import N_
from juhtum.model import stages
from juhtum.model.case import Case, as_list
from juhtum.model.invariants.signatures import signature_state
from juhtum.workflow.session import Outcome, Refused, Session


def specialist_roles(case: Case, handle: str) -> list[str]:
    """The roles a specialist of the repository (not of people/) has in a case: coordinator
    for whoever has coordinated it, else specialist."""
    return ["coordinator"] if handle in case.coordinators() else ["specialist"]


NOT_SIGNING = ("refused", "unable", "oral")
"""What ``juhtum sign`` records instead of a signature (juhis §4.2)."""


@dataclass(frozen=True)
class SignatureRecord:
    """What ``juhtum sign`` records besides a plain signature (juhis §4.2)."""

    status: str = "signed"
    """signed, refused, unable, oral or waived (the coordinator puts the plan in force)."""
    date: str | None = None
    reason: str | None = None
    cause: str | None = None
    dissent: str | None = None
    basis: str | None = None
    reference: str | None = None


def sign(
    s: Session,
    *,
    party: str,
    role: str | None,
    method: str,
    record: SignatureRecord | None = None,
) -> Outcome:
    """Record ``party``'s signature on the plan as it stands, or why they did not sign, or the
    coordinator's decision to put the plan in force without it; the last one needed starts
    the implementation (§4.2, §5)."""
    record = record or SignatureRecord()
    doc = s.case.doc("plan")
    if doc is None:
        raise UserError(
            N_("case {id} has no plan to sign yet (juhis §4): write it with juhtum plan {id}"),
            id=s.case_id,
        )
    if s.stage in stages.TERMINAL:
        raise UserError(N_("case {id} has ended: its plan is no longer signed"), id=s.case_id)
    person = s.case.people.get(party)
    if person is None and party in s.settings.specialists:
        roles = specialist_roles(s.case, party)  # registered once for the repository
    elif person is None:
        raise UserError(
            N_(
                "{handle} is nobody in this case. Register them in the case: juhtum people "
                '{id} --add {handle} --name "NAME" --role ROLE, or, for a specialist of the '
                'organisation: juhtum specialists --add {handle} --name "NAME"'
            ),
            handle=party,
            id=s.case_id,
        )
    else:
        roles = [r for r in as_list(person.get("roles")) if isinstance(r, str)]
    role = role or (roles[0] if roles else "other")
    if role not in roles:
        raise UserError(
            N_("{handle}'s roles are {roles}: sign with one of them (--role)"),
            handle=party,
            roles=", ".join(roles) or "-",
        )
    day = record.date or s.today.isoformat()
    if day > s.today.isoformat():
        raise UserError(
            N_("--date {date} is later than today ({today}): give the date it was signed"),
            date=day,
            today=s.today.isoformat(),
        )
    state = signature_state(s.case)
    if state is None or state.hash is None:
        raise UserError(N_("the plan holds a value that cannot be signed"))
    if party in state.valid and any(
        isinstance(x, dict)
        and x.get("party") == party
        and x.get("content_hash") == state.hash
        and x.get("status", "signed") == "signed"
        for x in as_list(s.case.plan.get("signatures"))
    ):
        raise UserError(N_("{handle} has signed this version of the plan already"), handle=party)
    recorder = s.case.coordinator or s.case.current_coordinator()
    if record.status == "waived":
        _check_waiver(s, party, state, recorder)
    signature: dict[str, Any] = {"party": party, "role": role, "date": day}
    if record.status == "signed":
        signature["method"] = method
    else:
        signature["status"] = record.status
        if record.status == "unable":
            signature["cause"] = record.cause
        signature["recorded_by"] = recorder
    for key in ("reason", "dissent", "basis", "reference"):
        value = getattr(record, key)
        if value:
            signature[key] = value
    signature["version"] = s.case.plan.get("version")
    signature["content_hash"] = state.hash
    text = s.text("plan.yaml") or ""
    signed = roundtrip.append_item(text, "signatures", signature).encode("utf-8")
    proposed = s.propose({"plan.yaml": signed})
    # a signature goes on a complete plan: check it as the case would be in implementation
    as_implemented = s.propose({"plan.yaml": signed}, case_fields={"stage": stages.IMPLEMENTATION})
    new, _all = s.check(as_implemented)
    incomplete = [p for p in new if not (p.rule == "I8" and p.field[:1] == ("signatures",))]
    if incomplete and s.stage == stages.PLAN:
        raise Refused(N_("the plan is not complete yet: sign it when it is"), incomplete)
    step = {
        "signed": f"sign: {party}",
        "waived": f"sign: in force without {party} (§4.2)",
    }.get(record.status, f"sign: {party} {record.status}")
    if not new and s.stage == stages.PLAN:
        return s.apply(as_implemented, step=f"{step}; all parties signed: plan -> implementation")
    return s.apply(proposed, step=step)


def _check_waiver(s: Session, party: str, state: Any, recorder: str | None) -> None:
    """The coordinator puts the plan in force without ``party``'s signature only as §4.2
    allows: after recording why they did not sign, and never without a coordinator's or a
    provider's."""
    from juhtum.model.invariants.signatures import waivable

    if recorder is None:
        raise UserError(
            N_("case {id} has no coordinator to decide this (juhis §1.4)"), id=s.case_id
        )
    if party not in state.required:
        raise UserError(
            N_("{handle} is not among the parties who sign the plan (juhis §4.2)"), handle=party
        )
    if not waivable(s.case, party, {"recorded_by": recorder}):
        raise UserError(
            N_(
                "the plan cannot be put in force without {handle}'s signature: only the "
                "person's, a representative's or a network member's can be gone without; a "
                "provider who will not sign sends the plan back to planning (juhis §3.1, §4.2)"
            ),
            handle=party,
        )
    if party not in state.not_signed:
        raise UserError(
            N_(
                "first record why {handle} did not sign this version: juhtum sign {id} --party "
                "{handle} --refused, --unable CAUSE or --oral, with --reason (juhis §4.2)"
            ),
            handle=party,
            id=s.case_id,
        )
