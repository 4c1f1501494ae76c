"""What each command of the workflow does to a case (juhis §1-§8), on a :class:`Session`.

Every function here takes the text a person wrote (from ``--file``, stdin or
the editor), turns it into the document as stored (help lines and empty
fields dropped, ``case`` filled in), proposes the resulting case, and lets the
session check and commit it. Refusals say what is missing and which § asks
for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from juhtum.documents import roundtrip, templates, yamlio
from juhtum.documents.yamlio import dumps
from juhtum.errors import UserError
from juhtum.i18n import N_, _
from juhtum.model import ids, stages, transitions
from juhtum.model.case import Case, as_dict, as_list, as_str, handles
from juhtum.model.documents import CASE_FILE, kind_in_case
from juhtum.model.hashing import HashError, content_hash
from juhtum.model.invariants.signatures import signature_state
from juhtum.workflow import Outcome, Refused, Session

# -- documents -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Where a document command writes, and the data a template starts from."""

    name: str
    kind: str
    values: dict[str, Any]
    existing: str | None

    @property
    def defaults(self) -> dict[str, Any]:
        """What a new document gets when the text leaves it out: today's date, and the
        coordinator as its author (the editor's template shows the same)."""
        if self.existing is not None:
            return {}
        return {k: v for k, v in self.values.items() if k in DEFAULTED and v is not None}


DEFAULTED = ("date", "by", "from", "convened_by", "kind")


def stored(s: Session, name: str, text: str, *, fill: dict[str, Any] | None = None) -> bytes:
    """The text a person wrote, as stored: help lines and empty fields dropped, ``case`` added
    when missing. Raises :class:`DocumentError` (with file and line) when it does not parse."""
    text = templates.strip_help(text)
    yamlio.loads(text, path=s.path(name))  # the strict reader first: errors name file and line
    text = text.lstrip("\n")  # where the editor's register block stood
    text = roundtrip.prune_empty(text)
    data = yamlio.loads(text, path=s.path(name)).data
    if isinstance(data, dict):
        missing = {k: v for k, v in {"case": s.case_id, **(fill or {})}.items() if k not in data}
        if missing:
            text = roundtrip.set_fields(text, missing, first=True)
    if not text.endswith("\n"):
        text += "\n"
    return text.encode("utf-8")


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
    return Target(name, kind, values, s.text(name))


def _assigned_coordinator(s: Session, data: bytes) -> dict[str, Any]:
    """case.yaml's coordinator follows the §1.4 assignment while the case is in need and
    was never handed over (``new`` names who opened the case until someone is assigned)."""
    if s.case.handovers:
        return {}
    written = as_dict(yamlio.loads(data, path=s.path("need.yaml")).data)
    who = as_str(as_dict(written.get("coordinator_assignment")).get("who"))
    if who and who != s.case.coordinator:
        return {"coordinator": who}
    return {}


def stage_document(s: Session, command: str, text: str, *, refer: bool = False) -> Outcome:
    """``need``, ``assess``, ``measures``: write the stage's document; from an earlier state,
    take the step into this one (or back into it) when the guideline's conditions hold."""
    stage, name, _kind = STAGE_COMMANDS[command]
    stage_target(s, command)
    current = s.stage or stage
    fields: dict[str, Any] = {}
    if current != stage:
        fields["stage"] = stage
    if stage == stages.ASSESSMENT and not s.case.coordinator:
        holder = s.case.current_coordinator()
        if holder:
            fields["coordinator"] = holder  # §1.4 (or the handover since): they take it on
    data = stored(s, name, text)
    if stage == stages.NEED:
        fields.update(_assigned_coordinator(s, data))
    step = command if current == stage else f"{command}: {current} -> {stage}"
    if transitions.is_back(current, stage):
        step = f"{command}: back to {stage}"
    if (command == "need" and _outcome(data) == "single_service") or refer:
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


def _outcome(data: bytes) -> Any:
    parsed = yamlio.loads(data, path="need.yaml").data
    return as_dict(as_dict(parsed).get("decision")).get("outcome")


# -- the plan (§4) and its changes (§5.2) --------------------------------------------------------


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
    return Target("plan.yaml", "plan", values, s.text("plan.yaml"))


def plan(
    s: Session,
    text: str,
    *,
    notify: list[str] | None = None,
    agreed_by: list[str] | None = None,
    reason: str | None = None,
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
    data = stored(s, "plan.yaml", text)
    signatures = as_list(old.get("signatures"))
    version = old_version or 1
    if current == stages.IMPLEMENTATION or (
        current == stages.PLANNING
        and any(isinstance(x, dict) and x.get("version") == old_version for x in signatures)
    ):
        version = old_version + 1  # a new version; the signatures of the old one are history
    # signatures come only from juhtum sign: the plan's own stay, whatever the text says
    text_out = roundtrip.set_fields(
        data.decode("utf-8"), {"version": version, "signatures": signatures}
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
        entry = _announcement(s, old, new_data, notify, agreed_by, reason)
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
) -> bytes:
    case = s.case
    responsible = {
        h
        for a in as_list(new.get("actions"))
        if isinstance(a, dict) and not a.get("withdrawn")
        for h in handles(a.get("responsible"))
    }
    told = list(dict.fromkeys(notify if notify is not None else sorted(responsible)))
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
    return dumps(entry).encode("utf-8")


def _providers_of(plan: dict[str, Any], case: Case) -> set[str]:
    own = case.own_side()
    return {
        h
        for a in as_list(plan.get("actions"))
        if isinstance(a, dict) and a.get("kind") == "service"
        for h in handles(a.get("responsible"))
    } - own


# -- signatures (§4.2) ------------------------------------------------------------------------


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


# -- monitoring (§5), evaluation (§6), closing (§7) --------------------------------------------


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
    client_side = case.representatives if case.framework == "child" else [case.client]
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
    data = stored(s, target.name, text, fill=target.defaults)
    decision = as_dict(yamlio.loads(data, path=s.path(target.name)).data).get("decision")
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
    data = stored(s, "closing.yaml", text, fill=fill)
    written = as_dict(yamlio.loads(data, path=s.path("closing.yaml")).data)
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


# -- handover (§8), meetings, people --------------------------------------------------------------


def person_document(
    case_id: str,
    *,
    name: str,
    roles: list[str],
    organisation: str | None = None,
    email: str | None = None,
    phone: str | None = None,
) -> bytes:
    person: dict[str, Any] = {"case": case_id, "name": name.strip(), "roles": roles}
    for key, value in (("organisation", organisation), ("email", email), ("phone", phone)):
        if value:
            person[key] = value
    return dumps(person).encode("utf-8")


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
    data = stored(s, target.name, text, fill={**target.defaults, "to": to})
    written = as_dict(yamlio.loads(data, path=s.path(target.name)).data)
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
    ids.check_handle_names_no_one(to, [as_str(receiver), _client_name(s)])
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


def meeting_target(s: Session) -> Target:
    if s.stage in stages.TERMINAL:
        raise UserError(N_("case {id} has ended ({stage})"), id=s.case_id, stage=s.stage)
    values = {"case": s.case_id, "date": s.today.isoformat(), "convened_by": s.case.coordinator}
    name = f"meetings/{ids.document_name(s.today.isoformat())}"
    return Target(name, "meeting", {k: v for k, v in values.items() if v}, None)


def followup_target(s: Session) -> Target:
    if s.stage != stages.CLOSED:
        raise UserError(N_("a follow-up contact comes after closing (juhis §7.2)"))
    values = {"case": s.case_id, "date": s.today.isoformat(), "by": s.case.coordinator}
    name = f"followups/{ids.document_name(s.today.isoformat())}"
    return Target(name, "followup", {k: v for k, v in values.items() if v}, None)


def _client_name(s: Session) -> str | None:
    client = s.case.people.get("client")
    return as_str(client.get("name")) if client is not None else None


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
    data = stored(s, target.name, text, fill=fill)
    written = as_dict(yamlio.loads(data, path=s.path(target.name)).data)
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


def add_person(s: Session, handle: str, document: bytes) -> Outcome:
    """Register someone; a legal representative is also listed in case.yaml (a child's two
    parents may both hold custody)."""
    ids.check_handle(handle)
    name = f"people/{handle}.yaml"
    if name in s.files.files:
        raise UserError(N_("{handle} is registered in this case already"), handle=handle)
    person = as_dict(yamlio.loads(document, path=name).data)
    roles = as_list(person.get("roles"))
    # a provider is an organisation ("tootukassa" for Töötukassa names no one)
    own = None if roles and set(roles) <= {"provider"} else as_str(person.get("name"))
    ids.check_handle_names_no_one(handle, [own, _client_name(s)])
    fields = None
    if "representative" in roles and handle not in s.case.representatives:
        fields = {"representatives": [*s.case.representatives, handle]}
    return s.apply(s.propose({name: document}, case_fields=fields), step=f"people: add {handle}")


# -- editing any document ---------------------------------------------------------------------

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
        yamlio.loads(stripped, path=s.path(CASE_FILE))  # the strict reader first: file and line
        data = roundtrip.prune_empty(stripped).encode("utf-8")  # the fields the editor offered
        parsed = as_dict(yamlio.loads(data, path=s.path(CASE_FILE)).data)
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
