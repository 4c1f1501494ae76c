"""The invariants of domain.md (I1-I17) and the stage rule, over one parsed case.

Each check yields :class:`Problem` values and never raises on malformed data:
the schema check reports a wrong type, so a check skips what it cannot read.
A problem about something *not yet written* carries ``missing=True``; in the
document of the current stage (a draft) it becomes a to-do rather than an
error (domain.md, *Checking*). Messages cite the guideline (juhis §N), the
regulation (määrus nr 10) or the seed they come from, and never quote a
sensitive value.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from juhtum.i18n import N_, Msg
from juhtum.model import stages
from juhtum.model.case import (
    NOT_SIGNED,
    Case,
    Doc,
    Settings,
    as_date,
    as_dict,
    as_list,
    as_str,
    handles,
)
from juhtum.model.domains import BY_FRAMEWORK, LEGAL_NEED_AREAS
from juhtum.model.hashing import HashError, content_hash
from juhtum.model.ids import is_case_id
from juhtum.model.problems import ERROR, WARNING, Path, Problem, field_text
from juhtum.schemas import FieldIndex, values_at

CLIENT_SIDE_ROLES = ("client", "representative")

LEGAL_ITEMS = {
    "name": Msg("name"),
    "address": Msg("address"),
    "personal_code": Msg("personal code"),
    "basis": Msg("basis of representation"),
    "contacts": Msg("contacts (email or phone)"),
}


@dataclass
class Context:
    today: dt.date
    settings: Settings
    index: Callable[[str], FieldIndex]
    legal: bool = False


def problem(
    rule: str,
    file: str,
    message: str,
    field: Path = (),
    *,
    severity: str = ERROR,
    missing: bool = False,
    **args: Any,
) -> Problem:
    return Problem(rule, severity, file, message, args, field, None, missing)


def joined(items: Iterable[str]) -> str:
    return ", ".join(sorted(items))


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


# -- I1 consent before information (juhis §1.2) -------------------------------------------


def i1_consent(case: Case, ctx: Context) -> Iterator[Problem]:
    doc = case.doc("need")
    if doc is None:
        return
    need = doc.fields
    info = as_dict(need.get("initial_info"))
    consent = as_dict(info.get("consent"))
    consent_date = as_date(consent.get("date"))
    if need.get("info_sufficient") is False and info:
        if not consent and not info.get("legal_basis"):
            yield problem(
                "I1",
                doc.path,
                N_(
                    "information was gathered, but neither the consent of the person or their "
                    "representative nor the legal basis that allows it is recorded (juhis §1.2)"
                ),
                ("initial_info",),
                missing=True,
            )
        given_by = as_str(consent.get("given_by"))
        if given_by and given_by != case.client and given_by not in case.representatives:
            yield problem(
                "I1",
                doc.path,
                N_(
                    "consent was given by {handle}, who is neither the person nor their "
                    "representative (juhis §1.2)"
                ),
                ("initial_info", "consent", "given_by"),
                handle=given_by,
            )
        informed = as_dict(info.get("informed"))
        for key, what in (
            ("purpose", Msg("the purpose and process of gathering information")),
            ("rights_obligations", Msg("their rights and obligations")),
            ("duty_to_report_changes", Msg("their duty to report changes")),
        ):
            if key in informed and informed[key] is not True:
                yield problem(
                    "I1",
                    doc.path,
                    N_(
                        "the person was not told {what} before information was gathered "
                        "(juhis §1.2)"
                    ),
                    ("initial_info", "informed", key),
                    missing=True,
                    what=what,
                )
        if consent_date is not None:
            for i, source in enumerate(as_list(info.get("sources"))):
                source = as_dict(source)
                obtained = as_date(source.get("obtained"))
                if source.get("kind") != "register" and obtained and obtained < consent_date:
                    yield problem(
                        "I1",
                        doc.path,
                        N_(
                            "this information was obtained on {obtained}, before the consent "
                            "of {consent} (juhis §1.2)"
                        ),
                        ("initial_info", "sources", i, "obtained"),
                        obtained=obtained.isoformat(),
                        consent=consent_date.isoformat(),
                    )
    for i, disclosure in enumerate(as_list(info.get("disclosures"))):
        disclosure = as_dict(disclosure)
        if disclosure.get("client_informed") is False:
            yield problem(
                "I1",
                doc.path,
                N_("the person was not told that information went to {handle} (juhis §1.2)"),
                ("initial_info", "disclosures", i, "client_informed"),
                missing=True,
                handle=as_str(disclosure.get("to")) or "?",
            )


# -- I2 one coordinator (juhis §1.4, §8) ---------------------------------------------------


def i2_coordinator(case: Case, ctx: Context) -> Iterator[Problem]:
    case_doc = case.doc("case")
    if case_doc is None:
        return
    need = case.need
    assignment = as_dict(need.get("coordinator_assignment"))
    assigned = as_str(assignment.get("who"))
    assigned_on = as_date(assignment.get("date"))
    specialist = as_str(need.get("specialist"))
    stage = case.stage
    if stage in stages.OPEN and stage != stages.NEED and not case.coordinator:
        yield problem(
            "I2",
            case_doc.path,
            N_("the case is past the need stage but has no coordinator (juhis §1.4)"),
            ("coordinator",),
        )
    holder = assigned
    for doc in case.handovers:
        giver = as_str(doc.get("from"))
        receiver = as_str(doc.get("to"))
        on = as_date(doc.get("date"))
        before_assignment = assigned is None or (on and assigned_on and on < assigned_on)
        expected = specialist if before_assignment else holder
        if giver and expected and giver != expected:
            yield problem(
                "I2",
                doc.path,
                N_(
                    "handed over by {giver}, but the case's coordinator at the time was "
                    "{expected}: a case is handed over by its coordinator (juhis §8)"
                ),
                ("from",),
                giver=giver,
                expected=expected,
            )
        if receiver:
            holder = receiver
    if holder and case.coordinator and case.coordinator != holder:
        yield problem(
            "I2",
            case_doc.path,
            N_(
                "case.yaml names {coordinator} as coordinator, but {expected} is, by the §1.4 "
                "assignment and the handovers: the coordinator changes only through a handover "
                "(juhis §8)"
            ),
            ("coordinator",),
            coordinator=case.coordinator,
            expected=holder,
        )


# -- I3 balanced assessment (juhis §2) -----------------------------------------------------


def i3_balanced(case: Case, ctx: Context) -> Iterator[Problem]:
    doc = case.doc("assessment")
    if doc is None:
        return
    a = doc.fields
    domains = [as_dict(d) for d in as_list(a.get("domains"))]
    if domains and not any(as_list(d.get("risks")) for d in domains):
        yield problem(
            "I3",
            doc.path,
            N_("the assessment lists no risks: record both risks and resources (juhis §2)"),
            ("domains",),
            missing=True,
        )
    has_resources = any(as_list(d.get("resources")) for d in domains) or bool(
        as_dict(a.get("summary")).get("resources")
    )
    if domains and not has_resources:
        yield problem(
            "I3",
            doc.path,
            N_(
                "the assessment lists no resources (protective factors): record both risks and "
                "resources (juhis §2)"
            ),
            ("domains",),
            missing=True,
        )
    view = a.get("client_view")
    if isinstance(view, dict):
        if view.get("declined") is not True and not view.get("statement"):
            yield problem(
                "I3",
                doc.path,
                N_(
                    "record the person's own view of the assessment summary, or that they "
                    "declined to give one (juhis §2.2)"
                ),
                ("client_view",),
                missing=True,
            )
        if view.get("agrees") is False and not view.get("dissent"):
            yield problem(
                "I3",
                doc.path,
                N_("the person does not agree with the summary: record their dissent (juhis §2.2)"),
                ("client_view", "dissent"),
                missing=True,
            )


# -- I4 every action has a responsible party, a deadline, an outcome (juhis §4) ---------


def i4_actions(case: Case, ctx: Context) -> Iterator[Problem]:
    doc = case.doc("plan")
    if doc is None:
        return
    for i, action in case.plan_actions():
        action_id = as_str(action.get("id")) or str(i + 1)
        start = as_date(action.get("start"))
        deadline = as_date(action.get("deadline"))
        if start and deadline and deadline < start:
            yield problem(
                "I4",
                doc.path,
                N_(
                    "action {action} has its deadline ({deadline}) before its start ({start}) "
                    "(juhis §4 (4))"
                ),
                ("actions", i, "deadline"),
                action=action_id,
                deadline=deadline.isoformat(),
                start=start.isoformat(),
            )
        if not action.get("resources"):
            yield problem(
                "I4",
                doc.path,
                N_("action {action} names no resources (juhis §4 (4))"),
                ("actions", i),
                severity=WARNING,
                action=action_id,
            )
        if action.get("kind") == "service" and not action.get("frequency"):
            yield problem(
                "I4",
                doc.path,
                N_(
                    "service action {action} has no frequency: how often is the help given? "
                    "(juhis §4 (3))"
                ),
                ("actions", i),
                severity=WARNING,
                action=action_id,
            )


# -- I5 every goal has an action (juhis §4) ------------------------------------------------


def i5_goals_served(case: Case, ctx: Context) -> Iterator[Problem]:
    doc = case.doc("plan")
    if doc is None:
        return
    served = {g for _, a in case.plan_actions() for g in handles_or_ids(a.get("goals"))}
    for i, goal in case.plan_goals():
        goal_id = as_str(goal.get("id"))
        if goal_id and goal_id not in served:
            yield problem(
                "I5",
                doc.path,
                N_("goal {goal} has no active action that serves it (juhis §4)"),
                ("goals", i),
                missing=True,
                goal=goal_id,
            )


def handles_or_ids(value: Any) -> list[str]:
    return [v for v in as_list(value) if isinstance(v, str)]


# -- I6 not only a services plan (juhis §4 (2), §4.1) ------------------------------------


def i6_not_only_services(case: Case, ctx: Context) -> Iterator[Problem]:
    doc = case.doc("plan")
    if doc is None:
        return
    actions = [a for _, a in case.plan_actions()]
    if not actions:
        return
    client_side = {case.client, *case.representatives}
    if not any(
        a.get("kind") == "client" or client_side & set(handles(a.get("responsible")))
        for a in actions
    ):
        yield problem(
            "I6",
            doc.path,
            N_(
                "the plan has no action of the person or their representative: a case plan is "
                "not only a services plan (juhis §4 (2))"
            ),
            ("actions",),
            missing=True,
        )
    coordinator = case.coordinator
    if not any(
        a.get("kind") == "coordinator"
        or (coordinator and coordinator in handles(a.get("responsible")))
        for a in actions
    ):
        yield problem(
            "I6",
            doc.path,
            N_(
                "the plan has no action of the coordinator, such as supporting the person "
                "through the process (juhis §4.1)"
            ),
            ("actions",),
            missing=True,
        )
    if not any(a.get("kind") == "network" for a in actions):
        yield problem(
            "I6",
            doc.path,
            N_("the plan has no action of the person's informal network (juhis §4.1)"),
            ("actions",),
            severity=WARNING,
        )


# -- I7 first interim review within the review period (juhis §4.1) ------------------------


def i7_reviews(case: Case, ctx: Context) -> Iterator[Problem]:
    doc = case.doc("plan")
    if doc is None:
        return
    plan_date = as_date(case.plan.get("date"))
    reviews = [
        (i, as_date(as_dict(r).get("date")))
        for i, r in enumerate(as_list(case.plan.get("reviews")))
    ]
    dated = [(i, d) for i, d in reviews if d is not None]
    if plan_date is None or not dated:
        return
    for i, day in dated:
        if day < plan_date:
            yield problem(
                "I7",
                doc.path,
                N_("the review on {date} is before the plan's own date {plan_date} (juhis §4.1)"),
                ("reviews", i, "date"),
                date=day.isoformat(),
                plan_date=plan_date.isoformat(),
            )
    months = ctx.settings.review_period_months
    limit = add_months(plan_date, months)
    first_index, first = min(dated, key=lambda x: x[1])
    if first > limit:
        yield problem(
            "I7",
            doc.path,
            N_(
                "the first interim review ({date}) is more than {months} months after the plan "
                "({limit} at the latest; juhis §4.1)"
            ),
            ("reviews", first_index, "date"),
            severity=WARNING,
            date=first.isoformat(),
            months=months,
            limit=limit.isoformat(),
        )


# -- I8 signed by all parties, I9 announced changes (juhis §4.2, §5.2) --------------------


@dataclass
class SignatureState:
    """Whose signatures hold for the plan as it stands, and why."""

    hash: str | None
    valid: set[str]
    void: list[tuple[int, dict[str, Any]]]
    announcement: Doc | None
    required: list[str]

    coordinators: set[str] = field(default_factory=set)
    current_coordinator: str | None = None
    waived: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Parties the coordinator decided to put the plan in force without (juhis §4.2), with
    that decision, for the plan as it stands."""
    not_signed: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Each party's latest record of not signing the plan as it stands: refused, unable, oral."""

    @property
    def missing(self) -> list[str]:
        """Required parties without a signature that holds; a coordinator's signature counts
        when any coordinator of the case gave it (the plan outlives a handover, juhis §8);
        a party the coordinator decided to go without (``waived``) is not missing."""
        missing = [p for p in self.required if p not in self.valid and p not in self.waived]
        if self.current_coordinator and not self.valid & self.coordinators:
            missing.append(self.current_coordinator)
        return list(dict.fromkeys(missing))


def signature_state(case: Case) -> SignatureState | None:
    """Whose signatures hold for the plan as it stands (computed once a case)."""
    if "signatures" not in case.memo:
        case.memo["signatures"] = _signature_state(case)
    state: SignatureState | None = case.memo["signatures"]
    return state


def _signature_state(case: Case) -> SignatureState | None:
    doc = case.doc("plan")
    if doc is None or not isinstance(doc.data, dict):
        return None
    try:
        current = content_hash(doc.data)
    except HashError:
        current = None
    version = case.plan.get("version")
    records = [
        (i, s) for i, s in enumerate(as_list(case.plan.get("signatures"))) if isinstance(s, dict)
    ]
    signatures = [(i, s) for i, s in records if s.get("status", "signed") == "signed"]
    valid = {
        s["party"]
        for _, s in signatures
        if s.get("content_hash") == current and isinstance(s.get("party"), str)
    }
    # A signature of an earlier version is history (the plan was changed and raised its
    # version, §5.2 or §6.3): it neither holds for the plan as it stands nor is void. A
    # signature of this version whose hash differs is void: the plan was edited after it.
    earlier = [
        (i, s)
        for i, s in signatures
        if s.get("content_hash") != current and _older(s.get("version"), version)
    ]
    void = [
        (i, s)
        for i, s in signatures
        if s.get("content_hash") != current and not _older(s.get("version"), version)
    ]
    announcement = _announcement(case, version, current)
    if announcement is not None:
        # §5.2: the earlier signatures stand for the earlier version
        valid |= {s["party"] for _, s in earlier if isinstance(s.get("party"), str)}
    waived: dict[str, dict[str, Any]] = {}
    not_signed: dict[str, dict[str, Any]] = {}
    for _, s in records:
        party, status = s.get("party"), s.get("status")
        if not isinstance(party, str) or party in valid:
            continue
        holds = s.get("content_hash") == current or (
            announcement is not None and _older(s.get("version"), version)
        )
        if not holds:
            continue
        if status == "waived" and waivable(case, party, s):
            waived[party] = s
        elif status in NOT_SIGNED:
            not_signed[party] = s
    waived = {p: s for p, s in waived.items() if p in not_signed}
    return SignatureState(
        current,
        valid,
        void,
        announcement,
        case.signers_required(),
        case.coordinators(),
        case.coordinator,
        waived,
        not_signed,
    )


def waivable(case: Case, party: str, record: dict[str, Any]) -> bool:
    """Whether the coordinator may put the plan in force without ``party``'s signature
    (juhis §4.2): the person, a representative or a network member who refused or cannot
    sign, never a coordinator or a provider (a provider who declines sends the plan back to
    planning, §3.1); the decision is a coordinator's."""
    person = case.people.get(party)
    roles = set(as_list(person.get("roles"))) if person is not None else set()
    if party in case.coordinators() or roles & {"coordinator", "provider", "specialist"}:
        return False
    return as_str(record.get("recorded_by")) in case.coordinators()


def _older(signed: Any, version: Any) -> bool:
    return (
        isinstance(signed, int)
        and isinstance(version, int)
        and not isinstance(signed, bool)
        and signed < version
    )


def _announcement(case: Case, version: Any, current: str | None) -> Doc | None:
    """The plan_change monitoring entry announcing the plan as it stands, if it holds.

    After an evaluation decides *modify*, the new version is signed again: an
    announcement made before that evaluation does not carry it.
    """
    if current is None or not isinstance(version, int):
        return None
    modified = [d.date for d in case.evaluations if d.get("decision") == "modify"]
    last_modify = max(modified) if modified else ""
    for doc in reversed(case.monitoring):
        if (
            doc.get("kind") == "plan_change"
            and doc.get("plan_version") == version
            and doc.get("plan_hash") == current
            and doc.date >= last_modify
        ):
            return doc
    return None


def i8_signatures(case: Case, ctx: Context) -> Iterator[Problem]:
    doc = case.doc("plan")
    state = signature_state(case)
    if doc is None or state is None:
        return
    if state.hash is None:
        yield problem(
            "I8",
            doc.path,
            N_(
                "the plan holds a value that has no canonical form (a number too large, or not "
                "a number), so it cannot be signed"
            ),
        )
        return
    if case.framework == "child" and not case.representatives:
        yield problem(
            "I8",
            doc.path,
            N_(
                "a child's plan is signed by their legal representative, but case.yaml lists no "
                "representatives (juhis §4.2)"
            ),
            ("signatures",),
            missing=True,
        )
    for i, sig in state.void:
        if as_str(sig.get("party")) in state.valid:
            continue  # signed again since: the void signature is only history
        yield problem(
            "I8",
            doc.path,
            N_(
                "the signature of {party} no longer holds: the plan was changed after it was "
                "signed. Sign again, or announce the change (juhis §4.2, §5.2)"
            ),
            ("signatures", i, "content_hash"),
            missing=True,
            party=as_str(sig.get("party")) or "?",
        )
    void_parties = {as_str(s.get("party")) for _, s in state.void}
    yield from _waivers(case, doc, state)
    for party in state.missing:
        if party in void_parties:
            continue  # said above
        record = state.not_signed.get(party)
        if record is not None:
            yield problem(
                "I8",
                doc.path,
                N_(
                    "the plan is not signed by {party} ({status} on {date}): the coordinator "
                    "may put it in force without, with the reason and the legal basis "
                    "(juhtum sign {id} --party {party} --in-force, juhis §4.2)"
                ),
                ("signatures",),
                missing=True,
                party=party,
                status=as_str(record.get("status")) or "?",
                date=as_str(record.get("date")) or "?",
                id=case.id,
            )
            continue
        yield problem(
            "I8",
            doc.path,
            N_("the plan is not signed by {party} (juhis §4.2: signed by all parties)"),
            ("signatures",),
            missing=True,
            party=party,
        )


def _waivers(case: Case, doc: Doc, state: SignatureState) -> Iterator[Problem]:
    """A decision to put the plan in force without a signature that does not hold: not the
    coordinator's, about a party who may not be gone without, or before any record of why
    the party did not sign (juhis §4.2)."""
    for i, s in enumerate(as_list(case.plan.get("signatures"))):
        if not isinstance(s, dict) or s.get("status") != "waived":
            continue
        party = as_str(s.get("party"))
        if party is None or party in state.valid or party in state.waived:
            continue
        if s.get("content_hash") != state.hash:
            continue  # a decision about another version: only history
        if not waivable(case, party, s):
            yield problem(
                "I8",
                doc.path,
                N_(
                    "only the coordinator can put the plan in force without a signature, and "
                    "only without the person's, a representative's or a network member's, "
                    "not {party}'s (juhis §4.2)"
                ),
                ("signatures", i, "status"),
                party=party,
            )
        else:
            yield problem(
                "I8",
                doc.path,
                N_(
                    "the plan is put in force without {party}'s signature, but nothing records "
                    "why they did not sign: record the refusal or the obstacle first "
                    "(juhis §4.2)"
                ),
                ("signatures", i, "status"),
                party=party,
            )


def i9_announced(case: Case, ctx: Context) -> Iterator[Problem]:
    plan_doc = case.doc("plan")
    if plan_doc is None:
        return
    version = case.plan.get("version")
    for doc in case.monitoring:
        announced = doc.get("plan_version")
        if (
            doc.get("kind") == "plan_change"
            and isinstance(announced, int)
            and isinstance(version, int)
            and announced > version
        ):
            yield problem(
                "I9",
                doc.path,
                N_(
                    "this entry announces plan version {announced}, but the plan is version "
                    "{version}"
                ),
                ("plan_version",),
                announced=announced,
                version=version,
            )
    state = signature_state(case)
    if state is None or state.announcement is None:
        return
    entry = state.announcement
    responsible = {h for _, a in case.plan_actions() for h in handles(a.get("responsible"))}
    not_told = responsible - set(handles(entry.get("notified")))
    if not_told:
        yield problem(
            "I9",
            entry.path,
            N_(
                "the change to plan version {version} was not announced to {handles}, "
                "responsible for its actions (juhis §5.2)"
            ),
            ("notified",),
            version=version,
            handles=joined(not_told),
        )
    signed_versions = sorted(
        {
            s["version"]
            for s in as_list(case.plan.get("signatures"))
            if isinstance(s, dict) and isinstance(s.get("version"), int)
        }
    )
    yield problem(
        "I9",
        plan_doc.path,
        N_(
            "plan version {version} is a change announced on {date}: the signatures given to "
            "earlier versions ({signed}) stand for it (juhis §5.2)"
        ),
        ("version",),
        severity=WARNING,
        version=version,
        date=entry.date,
        signed=", ".join(str(v) for v in signed_versions) or "-",
    )


# -- I10 no closing without evaluation (juhis §6, §7.1) -----------------------------------


def i10_evaluation(case: Case, ctx: Context) -> Iterator[Problem]:
    plan_goal_ids = [as_str(g.get("id")) for _, g in case.plan_goals()]
    client_side = set(case.representatives) if case.framework == "child" else {case.client}
    evaluations = case.evaluations
    for n, doc in enumerate(evaluations):
        if not isinstance(doc.data, dict):
            continue
        # goals first set by this or a later evaluation's next period were not yet evaluated
        newer = {
            as_str(g.get("id"))
            for later in evaluations[n:]
            for g in as_list(as_dict(later.get("next_period")).get("goals"))
            if isinstance(g, dict)
        }
        if "goal_results" in doc.fields:
            results = {as_str(as_dict(r).get("goal")) for r in as_list(doc.get("goal_results"))}
            for goal in plan_goal_ids:
                if goal and goal not in results and goal not in newer:
                    yield problem(
                        "I10",
                        doc.path,
                        N_("the evaluation gives no result for goal {goal} (juhis §6)"),
                        ("goal_results",),
                        missing=True,
                        goal=goal,
                    )
        if "shared_with" in doc.fields:
            expected = set(client_side)
            plan_date = as_date(case.plan.get("date"))
            evaluated_on = as_date(doc.get("date"))
            if (
                n == len(evaluations) - 1
                and plan_date
                and evaluated_on
                and plan_date <= evaluated_on
            ):
                expected |= case.providers()
            not_told = expected - set(handles(doc.get("shared_with")))
            if not_told:
                yield problem(
                    "I10",
                    doc.path,
                    N_("the evaluation's conclusions are not shared with {handles} (juhis §6)"),
                    ("shared_with",),
                    missing=True,
                    handles=joined(not_told),
                )
    closing = case.doc("closing")
    if closing is None:
        return
    reason = closing.get("reason")
    if reason in ("goals_achieved", "no_longer_needed") and (
        case.ever_signed() or reason == "goals_achieved"
    ):
        path = as_str(closing.get("evaluation"))
        if not path:
            yield problem(
                "I10",
                closing.path,
                N_(
                    "closing for this reason needs the evaluation that decided to close: name it "
                    "in evaluation (juhis §6.3 (3), §7)"
                ),
                ("evaluation",),
                missing=True,
            )
            return
        evaluation = next((d for d in evaluations if d.name == path), None)
        if evaluation is None:
            return  # I17 says it does not exist
        decision = evaluation.get("decision")
        if decision != "close":
            yield problem(
                "I10",
                closing.path,
                N_("{path} decided {decision}, not to close (juhis §6.3)"),
                ("evaluation",),
                path=path,
                decision=as_str(decision) or "-",
            )
        elif reason == "goals_achieved":
            outcomes = {
                as_str(as_dict(r).get("goal")): as_dict(r).get("result")
                for r in as_list(evaluation.get("goal_results"))
            }
            for goal in plan_goal_ids:
                if goal in outcomes and outcomes[goal] != "achieved":
                    yield problem(
                        "I10",
                        closing.path,
                        N_(
                            "the reason is goals achieved, but {path} found goal {goal} not "
                            "achieved (juhis §7.1 (1))"
                        ),
                        ("reason",),
                        path=path,
                        goal=goal,
                    )
    if reason == "cannot_continue":
        safety = as_dict(closing.get("safety"))
        if safety.get("endangers_life_or_health") is True:
            yield problem(
                "I10",
                closing.path,
                N_(
                    "the safety judgement says closing endangers someone's life or health: "
                    "a case cannot be closed so (juhis §7.1 (3))"
                ),
                ("safety", "endangers_life_or_health"),
            )


# -- I11 closing is prepared with the person (juhis §7.2) ---------------------------------


def i11_closing_prepared(case: Case, ctx: Context) -> Iterator[Problem]:
    doc = case.doc("closing")
    if doc is None:
        return
    if as_dict(case.need.get("decision")).get("outcome") != "case_management":
        return  # no case management was applied: §7.2 is about ending it
    c = doc.fields
    not_possible = _not_possible(doc)
    if not isinstance(c.get("feedback"), dict) and "feedback" not in not_possible:
        yield problem(
            "I11",
            doc.path,
            N_(
                "record the person's feedback on the cooperation and the help, or why none "
                "could be had (juhis §7.2)"
            ),
            ("feedback",),
            missing=True,
        )
    for key, message in (
        (
            "rights_explained",
            N_(
                "record that the closing process and the person's rights in it "
                "were explained (juhis §7.2)"
            ),
        ),
        (
            "consequences_explained",
            N_("record that the consequences of closing were explained (juhis §7)"),
        ),
    ):
        if c.get(key) is not True and key not in not_possible:
            yield problem("I11", doc.path, message, (key,), missing=True)
    for key, message in (
        (
            "strategies",
            N_("record the strategies for solving problems discussed with the person (juhis §7.2)"),
        ),
        ("resources", N_("record the resources the person has for coping on (juhis §7.2)")),
        ("help_contacts", N_("record where and how the person can get help later (juhis §7.2)")),
    ):
        if not c.get(key) and key not in not_possible:
            yield problem("I11", doc.path, message, (key,), missing=True)
    yield from i11_not_possible(case, ctx)


def _not_possible(doc: Doc) -> set[str]:
    """The §7.2 steps a closing records as not possible, with a reason (juhis §7.1 (3))."""
    if doc.get("reason") != "cannot_continue":
        return set()
    return {k for k, v in as_dict(doc.get("not_possible")).items() if v}


def i11_not_possible(case: Case, ctx: Context) -> Iterator[Problem]:
    """ "Not possible" stands in for a §7.2 step only when work cannot go on (§7.1 (3)), and
    never beside a record that the step was taken."""
    doc = case.doc("closing")
    if doc is None or not isinstance(doc.get("not_possible"), dict):
        return
    if doc.get("reason") != "cannot_continue":
        yield problem(
            "I11",
            doc.path,
            N_(
                "not_possible is for a case that cannot continue (juhis §7.1 (3)); with this "
                "reason, record each step of §7.2 as taken"
            ),
            ("not_possible",),
        )
        return
    for key in as_dict(doc.get("not_possible")):
        value = doc.get(key)
        taken = value is True or (key != "feedback" and value not in (None, False, "", []))
        if key == "feedback":
            taken = as_dict(value).get("collected") is True
        if taken:
            yield problem(
                "I11",
                doc.path,
                N_("{key} is recorded as done and as not possible: keep one (juhis §7.2)"),
                ("not_possible", key),
                key=key,
            )


def plan_prior_help(case: Case, ctx: Context) -> Iterator[Problem]:
    """Each diary entry the plan names as help given before it (juhis §4, §5.1) exists."""
    doc = case.doc("plan")
    if doc is None:
        return
    names = {d.name for d in case.diary}
    for i, ref in enumerate(as_list(doc.get("prior_help"))):
        if isinstance(ref, str) and ref not in names:
            yield problem(
                "I17",
                doc.path,
                N_("{path} is no diary entry of this case (juhtum note {id} adds one)"),
                ("prior_help", i),
                path=ref,
                id=case.id,
            )


def monitoring_gap_from(case: Case, settings: Settings) -> tuple[str, dt.date] | None:
    """For a case in implementation: the last monitoring entry (or the day the plan came into
    force) and the first day without a monitoring entry for too long (juhis §5.2)."""
    if case.stage != stages.IMPLEMENTATION or case.doc("plan") is None:
        return None
    from juhtum.model.facts import timeline

    dates = [d.date for d in case.monitoring if d.date]
    started = [d for d, s in timeline(case) if s == stages.IMPLEMENTATION]
    last = max(dates + started[-1:], default=None)
    day = as_date(last)
    if last is None or day is None:
        return None
    return last, day + dt.timedelta(days=settings.monitoring_gap_days + 1)


def monitoring_gap(case: Case, ctx: Context) -> Iterator[Problem]:
    """A case in implementation without a monitoring entry for longer than juhtum.yaml's
    monitoring_gap_days: a warning, so CI shows what juhtum due lists (juhis §5.2)."""
    found = monitoring_gap_from(case, ctx.settings)
    if found is not None and ctx.today >= found[1]:
        yield problem(
            "stage",
            case.path("monitoring"),
            N_("no monitoring entry since {date}: one is due every {days} days (juhis §5.2)"),
            severity=WARNING,
            date=found[0],
            days=ctx.settings.monitoring_gap_days,
        )


# -- I12 handover is complete (juhis §8) ---------------------------------------------------


def i12_handover(case: Case, ctx: Context) -> Iterator[Problem]:
    plan_date = as_date(case.plan.get("date"))
    for doc in case.handovers:
        h = doc.fields
        if not h:
            continue
        receiver = as_str(h.get("to")) or "?"
        if "access_granted" in h and h.get("access_granted") is not True:
            yield problem(
                "I12",
                doc.path,
                N_("record that {handle} was given access to the case's documents (juhis §8)"),
                ("access_granted",),
                missing=True,
                handle=receiver,
            )
        informed = h.get("client_informed")
        if isinstance(informed, dict) and informed.get("rights_explained") is False:
            yield problem(
                "I12",
                doc.path,
                N_("the person was not told of their rights in the handover (juhis §8)"),
                ("client_informed", "rights_explained"),
                missing=True,
            )
        on = as_date(h.get("date"))
        if "providers_notified" in h and plan_date and on and plan_date <= on:
            not_told = (
                case.providers()
                - {as_str(h.get("from")), receiver}
                - set(handles(h.get("providers_notified")))
            )
            if not_told:
                yield problem(
                    "I12",
                    doc.path,
                    N_("the plan's providers {handles} were not told of the handover (juhis §8)"),
                    ("providers_notified",),
                    handles=joined(h for h in not_told if h),
                )


# -- I13 network meeting protocols (seed 004) ----------------------------------------------


def i13_meetings(case: Case, ctx: Context) -> Iterator[Problem]:
    for doc in case.meetings:
        m = doc.fields
        held = as_date(m.get("date"))
        for i, agreement in enumerate(as_list(m.get("agreements"))):
            deadline = as_date(as_dict(agreement).get("deadline"))
            if held and deadline and deadline < held:
                yield problem(
                    "I13",
                    doc.path,
                    N_("the agreement's deadline {deadline} is before the meeting ({date})"),
                    ("agreements", i, "deadline"),
                    deadline=deadline.isoformat(),
                    date=held.isoformat(),
                )
        participants = set(handles(m.get("participants")))
        not_sent = participants - set(handles(m.get("copies_sent_to")))
        if participants and not_sent:
            yield problem(
                "I13",
                doc.path,
                N_(
                    "copies of the protocol are not yet recorded as sent to {handles}: every "
                    "participant gets one (seed 004)"
                ),
                ("copies_sent_to",),
                severity=WARNING,
                handles=joined(not_sent),
            )


# -- I14 real dates, not in the future; documents in their own case ----------------------


def i14_dates_and_case(case: Case, ctx: Context) -> Iterator[Problem]:
    for doc in case.docs:
        data = doc.fields
        if not data:
            continue
        if doc.kind == "case":
            value = data.get("id")
            if is_case_id(value) and value != case.id:
                yield problem(
                    "I14",
                    doc.path,
                    N_("case.yaml says its id is {value}, but its folder is {folder}"),
                    ("id",),
                    value=value,
                    folder=case.id,
                )
        else:
            value = data.get("case")
            if is_case_id(value) and value != case.id:
                yield problem(
                    "I14",
                    doc.path,
                    N_(
                        "this document belongs to case {value}, but it is in the folder of case "
                        "{folder}: was it moved from another case?"
                    ),
                    ("case",),
                    value=value,
                    folder=case.id,
                )
        index = ctx.index(doc.kind)
        for pattern in index.past_dates:
            for path, value in values_at(data, pattern):
                day = as_date(value)
                if day and day > ctx.today:
                    yield problem(
                        "I14",
                        doc.path,
                        N_(
                            "{where} is a date in the future, but it records something that "
                            "has happened"
                        ),
                        path,
                        where=field_text(path),
                    )


# -- I15 every problem is answered (seed 004) ---------------------------------------------


def i15_problems_answered(case: Case, ctx: Context) -> Iterator[Problem]:
    doc = case.doc("assessment")
    if doc is None:
        return
    allowed = BY_FRAMEWORK[case.framework]
    seen: Counter[str] = Counter()
    problems: list[str] = []
    for i, entry in enumerate(as_list(doc.get("domains"))):
        entry = as_dict(entry)
        name = as_str(entry.get("domain"))
        if not name:
            continue
        seen[name] += 1
        if name not in allowed:
            yield problem(
                "I15",
                doc.path,
                N_(
                    "{domain} is not a domain of the {framework} framework; its domains are: "
                    "{allowed}"
                ),
                ("domains", i, "domain"),
                domain=name,
                framework=case.framework,
                allowed=", ".join(allowed),
            )
        elif seen[name] == 2:
            yield problem(
                "I15",
                doc.path,
                N_("the domain {domain} is rated twice"),
                ("domains", i, "domain"),
                domain=name,
            )
        rating = entry.get("rating")
        if rating == "unknown":
            yield problem(
                "I15",
                doc.path,
                N_(
                    "the domain {domain} is rated unknown: find out, then rate it problem or "
                    "no_problem (juhis §2.2)"
                ),
                ("domains", i, "rating"),
                severity=WARNING,
                domain=name,
            )
        elif rating == "problem":
            problems.append(name)
    plan = case.doc("plan")
    if plan is None or not problems:
        return
    addressed = {d for _, g in case.plan_goals() for d in handles_or_ids(g.get("domains"))}
    unaddressed = {as_str(as_dict(u).get("domain")) for u in as_list(case.plan.get("unaddressed"))}
    for name in dict.fromkeys(problems):
        if name not in addressed and name not in unaddressed:
            yield problem(
                "I15",
                plan.path,
                N_(
                    "the problem in {domain} is addressed by no goal of the plan (goals[].domains) "
                    "and not listed in unaddressed with a reason"
                ),
                ("goals",),
                missing=True,
                domain=name,
            )


# -- I16 what the law asks a case plan to hold (määrus nr 10 § 1) ------------------------


def i16_legal(case: Case, ctx: Context) -> Iterator[Problem]:
    if not ctx.legal or case.doc("plan") is None:
        return
    plan = case.doc("plan")
    assert plan is not None

    def person_items(handle: str, clause: str, items: tuple[str, ...]) -> Iterator[Problem]:
        doc = case.people.get(handle)
        if doc is None:
            return  # I17
        data = doc.fields
        for item in items:
            if item == "contacts":
                present = bool(data.get("email") or data.get("phone"))
            else:
                present = bool(data.get(item))
            if not present:
                yield problem(
                    "I16",
                    doc.path,
                    N_(
                        "the case plan must hold the {item} of {handle} (määrus nr 10 § 1 {clause})"
                    ),
                    (item,) if item != "contacts" else (),
                    missing=True,
                    item=LEGAL_ITEMS[item],
                    handle=handle,
                    clause=clause,
                )

    if case.coordinator:
        yield from person_items(case.coordinator, "(1) 3", ("name", "contacts"))
    yield from person_items(case.client, "(1) 4", ("name", "personal_code", "address", "contacts"))
    for rep in case.representatives:
        yield from person_items(rep, "(1) 5", ("basis", "name", "personal_code", "contacts"))

    assessment = case.doc("assessment")
    if assessment is not None:
        rated = {as_str(as_dict(d).get("domain")) for d in as_list(assessment.get("domains"))}
        for area, domains in LEGAL_NEED_AREAS[case.framework].items():
            if not rated & set(domains):
                yield problem(
                    "I16",
                    assessment.path,
                    N_(
                        "the need for help must describe the {area}: assess one of {domains} "
                        "(määrus nr 10 § 1 (2))"
                    ),
                    ("domains",),
                    missing=True,
                    area=area,
                    domains=", ".join(domains),
                )
        summary = as_dict(assessment.get("summary"))
        for key, what in (
            ("obstacles", Msg("problems hindering work, study and participation")),
            ("resources", Msg("supporting resources")),
        ):
            if not summary.get(key):
                yield problem(
                    "I16",
                    assessment.path,
                    N_("the need for help must describe {what} (määrus nr 10 § 1 (2))"),
                    ("summary", key),
                    missing=True,
                    what=what,
                )
        if "previous_assessments" not in assessment.fields:
            yield problem(
                "I16",
                assessment.path,
                N_(
                    "record previous assessments, or an empty list when there were none "
                    "(määrus nr 10 § 1 (2))"
                ),
                ("previous_assessments",),
                missing=True,
            )
    for i, goal in case.plan_goals():
        if not goal.get("hindering_factors"):
            yield problem(
                "I16",
                plan.path,
                N_("goal {goal} names no factors hindering it (määrus nr 10 § 1 (3))"),
                ("goals", i, "hindering_factors"),
                missing=True,
                goal=as_str(goal.get("id")) or str(i + 1),
            )
    if case.framework == "child" and not case.plan.get("caregiver_involvement"):
        yield problem(
            "I16",
            plan.path,
            N_(
                "a child's plan must say how the person raising the child was informed and "
                "involved (määrus nr 10 § 1 (3¹))"
            ),
            ("caregiver_involvement",),
            missing=True,
        )


def legal_repository(settings: Settings, path: str) -> Iterator[Problem]:
    """Määrus nr 10 § 1 (1) 2: the organisation's name, address and contacts."""
    org = settings.organisation
    for item in ("name", "address"):
        if not org.get(item):
            yield problem(
                "I16",
                path,
                N_("a case plan must name the organisation's {item} (määrus nr 10 § 1 (1) 2)"),
                ("organisation", item),
                item=LEGAL_ITEMS[item],
            )
    if not (org.get("email") or org.get("phone")):
        yield problem(
            "I16",
            path,
            N_(
                "a case plan must name the organisation's contacts: email or phone "
                "(määrus nr 10 § 1 (1) 2)"
            ),
            ("organisation",),
        )


# -- I17 every reference resolves -----------------------------------------------------------


UNREGISTERED = N_(
    "{handle} is nobody in this case. Register them in the case: "
    'juhtum people {id} --add {handle} --name "NAME" --role ROLE, or, '
    "for a specialist of the organisation: juhtum specialists --add "
    '{handle} --name "NAME"'
)
"""The message of a handle nobody is registered under (the editor offers a register block)."""


def i17_references(case: Case, ctx: Context) -> Iterator[Problem]:
    for doc in case.docs:
        for pattern in ctx.index(doc.kind).handles:
            for path, value in values_at(doc.data, pattern):
                if isinstance(value, str) and not resolves(case, ctx.settings, value):
                    yield problem(
                        "I17",
                        doc.path,
                        UNREGISTERED,
                        path,
                        handle=value,
                        id=case.id,
                    )
    yield from _roles(case)
    yield from _ids(case, ctx)


def resolves(case: Case, settings: Settings, handle: str) -> bool:
    """A handle names someone: a person of the case, or a specialist of the repository."""
    return handle in case.people or handle in settings.specialists


def _roles(case: Case) -> Iterator[Problem]:
    case_doc = case.doc("case")
    if case_doc is None:
        return
    for handle, role, at in [(case.client, "client", ("client",))] + [
        (rep, "representative", ("representatives", i))
        for i, rep in enumerate(case.representatives)
    ]:
        person = case.people.get(handle)
        if person is not None and role not in handles_or_ids(person.get("roles")):
            yield problem(
                "I17",
                case_doc.path,
                N_(
                    "{handle} is named as {role} in case.yaml, but people/{handle}.yaml does not "
                    "have that role"
                ),
                at,
                handle=handle,
                role=role,
            )


def _duplicates(doc: Doc, key: str) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, item in enumerate(as_list(doc.get(key))):
        item_id = as_str(as_dict(item).get("id"))
        if item_id is None:
            continue
        if item_id in seen:
            yield problem(
                "I17",
                doc.path,
                N_("the id {id} is used twice: ids are never reused"),
                (key, i, "id"),
                id=item_id,
            )
        seen.add(item_id)


def _ids(case: Case, ctx: Context) -> Iterator[Problem]:
    defined = case.defined_goal_ids()
    assessment = case.doc("assessment")
    planning = case.doc("planning")
    plan = case.doc("plan")
    measures = case.measures()
    plan_goals = {as_str(g.get("id")) for _, g in case.plan_goals(active=False)}
    plan_actions = {as_str(a.get("id")) for _, a in case.plan_actions(active=False)}

    def unknown(doc: Doc, path: Path, what: str, value: Any) -> Problem:
        return problem(
            "I17",
            doc.path,
            N_("{what} {value} does not exist in this case"),
            path,
            what=what,
            value=value,
        )

    if assessment is not None:
        yield from _duplicates(assessment, "goals")
    if planning is not None:
        yield from _duplicates(planning, "measures")
        for i, option in enumerate(as_list(planning.get("options"))):
            goal = as_dict(option).get("goal")
            if isinstance(goal, str) and goal not in defined:
                yield unknown(planning, ("options", i, "goal"), Msg("goal"), goal)
        for i, measure in enumerate(as_list(planning.get("measures"))):
            measure = as_dict(measure)
            for j, goal in enumerate(as_list(measure.get("goals"))):
                if isinstance(goal, str) and goal not in defined:
                    yield unknown(planning, ("measures", i, "goals", j), Msg("goal"), goal)
            entry = measure.get("catalogue")
            if isinstance(entry, str) and entry not in ctx.settings.services:
                yield problem(
                    "I17",
                    planning.path,
                    N_("the service catalogue has no entry {value} (services/{value}.yaml)"),
                    ("measures", i, "catalogue"),
                    value=entry,
                )
    if plan is not None:
        yield from _duplicates(plan, "goals")
        yield from _duplicates(plan, "actions")
        for i, goal in case.plan_goals(active=False):
            goal_id = as_str(goal.get("id"))
            if goal_id and goal_id not in defined:
                yield problem(
                    "I17",
                    plan.path,
                    N_(
                        "goal {goal} is defined neither by the assessment (juhis §2.3) nor by an "
                        "evaluation's next period (juhis §6.3)"
                    ),
                    ("goals", i, "id"),
                    goal=goal_id,
                )
        for i, action in case.plan_actions(active=False):
            for j, goal in enumerate(as_list(action.get("goals"))):
                if isinstance(goal, str) and goal not in plan_goals:
                    yield unknown(plan, ("actions", i, "goals", j), Msg("goal"), goal)
            measure_ref = action.get("measure")
            if isinstance(measure_ref, str) and measure_ref not in measures:
                yield unknown(plan, ("actions", i, "measure"), Msg("measure"), measure_ref)
    for doc in case.monitoring:
        for i, service in enumerate(as_list(doc.get("services"))):
            measure_ref = as_dict(service).get("measure")
            if isinstance(measure_ref, str) and measure_ref not in measures:
                yield unknown(doc, ("services", i, "measure"), Msg("measure"), measure_ref)
        for i, update in enumerate(as_list(doc.get("action_updates"))):
            action_ref = as_dict(update).get("action")
            if isinstance(action_ref, str) and action_ref not in plan_actions:
                yield unknown(doc, ("action_updates", i, "action"), Msg("action"), action_ref)
    for doc in case.evaluations:
        for i, result in enumerate(as_list(doc.get("goal_results"))):
            goal = as_dict(result).get("goal")
            if isinstance(goal, str) and goal not in plan_goals and goal not in defined:
                yield unknown(doc, ("goal_results", i, "goal"), Msg("goal"), goal)
    closing = case.doc("closing")
    if closing is not None:
        path = closing.get("evaluation")
        if isinstance(path, str) and not any(d.name == path for d in case.evaluations):
            yield unknown(closing, ("evaluation",), Msg("evaluation"), path)


# -- the stage rule (domain.md, *Checking*) -------------------------------------------------


def planning_decided(case: Case, ctx: Context) -> Iterator[Problem]:
    """§3: a plan is made from measures whose negotiation has an outcome, chosen with the
    person's informed decision."""
    doc = case.doc("planning")
    if doc is None:
        return
    for i, measure in enumerate(as_list(doc.get("measures"))):
        measure = as_dict(measure)
        if measure.get("withdrawn"):
            continue
        if as_dict(measure.get("negotiation")).get("status") == "pending":
            yield problem(
                "stage",
                doc.path,
                N_(
                    "measure {measure} is still being negotiated (pending): the plan is made "
                    "from measures agreed, queued or declined (juhis §3.1)"
                ),
                ("measures", i, "negotiation", "status"),
                missing=True,
                measure=as_str(measure.get("id")) or str(i + 1),
            )
    decision = doc.get("informed_decision")
    if isinstance(decision, dict):
        for key in ("explained", "consequences_explained"):
            if decision.get(key) is False:
                yield problem(
                    "stage",
                    doc.path,
                    N_(
                        "record that the help offered and the consequences of taking or "
                        "refusing it were explained to the person: their informed decision "
                        "(juhis §3)"
                    ),
                    ("informed_decision", key),
                    missing=True,
                )


def stage_rule(case: Case, ctx: Context) -> Iterator[Problem]:
    stage = case.stage
    if stage is None:
        return  # the schema reports case.yaml's stage
    for name in stages.stage_documents_before(stage):
        if name not in {d.name for d in case.docs}:
            yield problem(
                "stage",
                case.path(name),
                N_("{document} is missing: a case in {stage} has been through that stage"),
                document=name,
                stage=stage,
            )
    current = stages.STAGE_DOCUMENT.get(stage)
    if current and case.doc(current.removesuffix(".yaml")) is None:
        yield problem(
            "stage",
            case.path(current),
            N_("write {document} ({clause})"),
            missing=True,
            document=current,
            clause="juhis " + stages.CLAUSE[stage],
        )
    outcome = as_dict(case.need.get("decision")).get("outcome")
    if (
        stage in stages.OPEN
        and stage != stages.NEED
        and case.doc("need") is not None
        and outcome != "case_management"
        and outcome is not None
    ):
        yield problem(
            "stage",
            case.path("need.yaml"),
            N_(
                "the need decision is {outcome}, not case management, yet the case is in {stage} "
                "(juhis §1.3)"
            ),
            ("decision", "outcome"),
            outcome=outcome,
            stage=stage,
        )
    closing = case.doc("closing")
    if closing is not None and stage != stages.CLOSED:
        yield problem(
            "stage",
            closing.path,
            N_("closing.yaml exists, but the case is in {stage}, not closed"),
            stage=stage,
        )
    if stage == stages.CLOSED:
        if closing is None:
            yield problem(
                "stage",
                case.path("closing.yaml"),
                N_("the case is closed but has no closing.yaml (juhis §7)"),
            )
        elif (
            outcome in ("no_help_needed", "declined") and closing.get("reason") == "goals_achieved"
        ):
            yield problem(
                "stage",
                closing.path,
                N_(
                    "the need decision was {outcome}: such a case closes as no longer needed or "
                    "cannot continue"
                ),
                ("reason",),
                outcome=outcome,
            )
    if stage == stages.REFERRED:
        referrals = as_list(as_dict(case.need.get("decision")).get("referrals")) + as_list(
            case.assessment.get("referrals")
        )
        if not referrals:
            yield problem(
                "stage",
                case.path("need.yaml"),
                N_("a referred case records its referrals (juhis §1.3 (1))"),
                ("decision", "referrals"),
            )
    first_signed = case.first_signature_date()
    for doc in case.monitoring:
        day = as_date(doc.get("date"))
        if day and (first_signed is None or day < first_signed):
            yield problem(
                "stage",
                doc.path,
                N_("monitoring is recorded before the plan was first signed (juhis §5)"),
                ("date",),
            )
            break


CHECKS: tuple[Callable[[Case, Context], Iterator[Problem]], ...] = (
    i1_consent,
    i2_coordinator,
    i3_balanced,
    i4_actions,
    i5_goals_served,
    i6_not_only_services,
    i7_reviews,
    i8_signatures,
    i9_announced,
    i10_evaluation,
    i11_closing_prepared,
    i12_handover,
    i13_meetings,
    i14_dates_and_case,
    i15_problems_answered,
    i16_legal,
    i17_references,
    planning_decided,
    stage_rule,
    plan_prior_help,
    monitoring_gap,
)


def check(case: Case, ctx: Context) -> Iterator[Problem]:
    for run in CHECKS:
        yield from run(case, ctx)


def draft_names(case: Case) -> set[str]:
    """The documents (names in the case folder) that may still be drafts.

    The current stage's document, and in the loop back from an evaluation the
    later stage documents being reworked; in state *evaluation* the latest
    evaluation. A case closed because it *cannot continue* may leave the
    document of the stage it stopped in unfinished, unless the plan was in
    force already.
    """
    stage = case.stage
    names: set[str] = set()
    if stage in stages.STAGE_DOCUMENT:
        position = stages.CYCLE.index(stage)
        names = {stages.STAGE_DOCUMENT[s] for s in stages.CYCLE[position:4]}
    elif stage == stages.EVALUATION and case.evaluations:
        names = {case.evaluations[-1].name}
    elif (
        stage == stages.CLOSED
        and case.closing.get("reason") == "cannot_continue"
        and not (case.monitoring or case.evaluations)
    ):
        present = [n for n in stages.STAGE_DOCUMENT.values() if any(d.name == n for d in case.docs)]
        if present:
            names = {present[-1]}
    return names
