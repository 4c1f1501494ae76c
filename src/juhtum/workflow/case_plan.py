"""The case plan (juhis §4) and its changes during implementation, announced as §5.2 asks."""

from __future__ import annotations

from typing import Any

from juhtum.documents import roundtrip, yamlio
from juhtum.documents.yamlio import dumps
from juhtum.errors import UserError
from juhtum.i18n import N_
from juhtum.model import ids, stages
from juhtum.model.case import Case, as_dict, as_list, handles
from juhtum.model.hashing import HashError, content_hash
from juhtum.workflow.session import Outcome, Session
from juhtum.workflow.targets import Target, refuse_state, typed


def plan_target(s: Session) -> Target:
    current = s.stage
    if current not in (stages.PLANNING, stages.PLAN, stages.IMPLEMENTATION):
        raise refuse_state(s, "plan", stages.PLAN)
    values: dict[str, Any] = {"case": s.case_id, "date": s.today.isoformat()}
    if s.case.doc("plan") is None:
        values["version"] = 1
        goals = [
            {k: g.get(k) for k in ("id", "statement", "deadline") if g.get(k) is not None}
            for g in as_list(s.case.assessment.get("goals"))
            if isinstance(g, dict)
        ]
        if goals:
            values["goals"] = goals
    step = stages.PLAN if current == stages.PLANNING else None
    return Target("plan.yaml", "plan", values, s.text("plan.yaml"), step)


def plan(
    s: Session,
    text: str,
    *,
    notify: list[str] | None = None,
    agreed_by: list[str] | None = None,
    reason: str | None = None,
    not_told: str | None = None,
) -> Outcome:
    """Write the case plan. From planning this is the step into §4; in state plan it revises
    the draft (signatures given to the old text no longer hold, and status says whose); during
    implementation it is a change announced as §5.2 asks: the version goes up and a
    ``plan_change`` monitoring entry names who was told and which providers agreed."""
    plan_target(s)
    current = s.stage
    old = s.case.plan
    raw_version = old.get("version")
    old_version = raw_version if isinstance(raw_version, int) else 0
    document = typed(s, "plan.yaml", text)
    signatures = as_list(old.get("signatures"))
    version = old_version or 1
    if current == stages.IMPLEMENTATION or (
        current == stages.PLANNING
        and any(isinstance(x, dict) and x.get("version") == old_version for x in signatures)
    ):
        version = old_version + 1  # a new version; the signatures of the old one are history
    # signatures come only from juhtum sign: the plan's own stay, whatever the text says
    if isinstance(document.data, dict):  # on the one round-trip document, written once
        document.document.set_fields({"version": version, "signatures": signatures})
        if not signatures:
            document.document.remove_fields(["signatures"])
        plan_bytes = document.raw()
    else:
        text_out = roundtrip.set_fields(
            document.raw().decode("utf-8"), {"version": version, "signatures": signatures}
        )
        if not signatures:
            text_out = _drop_field(text_out, "signatures")
        plan_bytes = text_out.encode("utf-8")
    changes: dict[str, bytes | None] = {"plan.yaml": plan_bytes}
    fields: dict[str, Any] = {}
    if current == stages.PLANNING:
        fields["stage"] = stages.PLAN
    step = "plan" if current != stages.PLANNING else "plan: planning -> plan"
    if current == stages.IMPLEMENTATION:
        new_data = as_dict(yamlio.loads(plan_bytes, path="plan.yaml").data)
        if _without(new_data) == _without(old):
            raise UserError(N_("the plan is as it was: nothing to announce"))
        entry = _announcement(s, old, new_data, notify, agreed_by, reason, not_told)
        changes[f"monitoring/{ids.document_name(s.today.isoformat())}"] = entry
        step = f"plan change: version {version} (§5.2)"
    proposed = s.propose(changes, case_fields=fields or None)
    return s.apply(
        proposed,
        step=step,
        refusal=N_("the plan is refused: it would leave these errors"),
    )


def _without(plan: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in plan.items() if k not in ("signatures", "version")}


def _drop_field(text: str, key: str) -> str:
    data = yamlio.loads(text, path="x").data
    if isinstance(data, dict) and key in data and not data[key]:
        return roundtrip.remove_fields(text, [key])
    return text


def _announcement(
    s: Session,
    old: dict[str, Any],
    new: dict[str, Any],
    notify: list[str] | None,
    agreed_by: list[str] | None,
    reason: str | None,
    not_told: str | None = None,
) -> bytes:
    case = s.case
    responsible = {
        h
        for a in as_list(new.get("actions"))
        if isinstance(a, dict) and not a.get("withdrawn")
        for h in handles(a.get("responsible"))
    }
    from juhtum.model.representatives import client_side_on

    person_side = client_side_on(case, s.today)  # the person is told too (§5.2)
    told = list(dict.fromkeys(notify if notify is not None else sorted(responsible)))
    told += [h for h in person_side if notify is None and h not in told]
    before = {a.get("id"): a for a in as_list(old.get("actions")) if isinstance(a, dict)}
    touched = set()
    for action in as_list(new.get("actions")):
        if isinstance(action, dict) and before.get(action.get("id")) != action:
            touched.update(handles(action.get("responsible")))
            touched.update(handles(as_dict(before.get(action.get("id"))).get("responsible")))
    providers = sorted(touched & (case.providers() | _providers_of(new, case)))
    agreed = list(dict.fromkeys([*(agreed_by or []), *s.agreed_by]))
    if set(providers) - set(agreed):
        raise UserError(
            N_(
                "the change touches the actions of {providers}: name the providers who agreed "
                "to it with --agreed-by (juhis §4.2)"
            ),
            providers=", ".join(providers),
        )
    try:
        plan_hash = content_hash(new)
    except HashError:
        raise UserError(N_("the plan holds a value that cannot be signed")) from None
    entry: dict[str, Any] = {
        "case": s.case_id,
        "date": s.today.isoformat(),
        "by": case.coordinator or "",
        "kind": "plan_change",
        "notified": told,
        "plan_version": new.get("version"),
        "plan_hash": plan_hash,
        "agreed_by": agreed,
    }
    if reason:
        entry["changes_needed"] = reason
    if not_told:
        entry["not_possible"] = {"notified": not_told}  # why the person was not told (§5.2)
    return dumps(entry).encode("utf-8")


def _providers_of(plan: dict[str, Any], case: Case) -> set[str]:
    own = case.own_side()
    return {
        h
        for a in as_list(plan.get("actions"))
        if isinstance(a, dict) and a.get("kind") == "service"
        for h in handles(a.get("responsible"))
    } - own
