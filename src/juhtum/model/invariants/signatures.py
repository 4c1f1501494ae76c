"""The signatures of the plan (juhis §4.2): I8 and the signature state other modules read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from juhtum.i18n import N_
from juhtum.model import representatives
from juhtum.model.case import NOT_SIGNED, Case, Doc, as_date, as_list, as_str, handles
from juhtum.model.hashing import HashError, content_hash
from juhtum.model.invariants.common import Context, not_possible, problem
from juhtum.model.problems import WARNING, Problem

# -- I8 signed by all parties (juhis §4.2) ------------------------------------------------


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
    late: list[str] = field(default_factory=list)
    """Representatives who became one after the plan was made, when it was in force without
    them: they sign the plan in force, no new version needed (a warning until they do)."""
    out_of_period: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    """Signatures of representatives given on a day outside their period: they do not count."""

    @property
    def missing(self) -> list[str]:
        """Required parties without a signature that holds; a coordinator's signature counts
        when any coordinator of the case gave it (the plan outlives a handover, juhis §8);
        a party the coordinator decided to go without (``waived``) is not missing."""
        missing = [
            p
            for p in self.required
            if p not in self.valid and p not in self.waived and p not in self.late
        ]
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
    out_of_period = [(i, s) for i, s in signatures if _out_of_period(case, s)]
    outside = {id(s) for _, s in out_of_period}
    signatures = [(i, s) for i, s in signatures if id(s) not in outside]
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
    required = case.signers_required()
    return SignatureState(
        current,
        valid,
        void,
        announcement,
        required,
        case.coordinators(),
        case.coordinator,
        waived,
        not_signed,
        _late(case, required, valid | set(waived)),
        out_of_period,
    )


def _out_of_period(case: Case, signature: dict[str, Any]) -> bool:
    """A signature a representative gave on a day they were not one, when nothing else makes
    them a party of the plan (the person, or responsible for an action)."""
    party = as_str(signature.get("party"))
    if party is None or party not in case.representatives or party == case.client:
        return False
    if any(party in handles(a.get("responsible")) for _, a in case.plan_actions()):
        return False
    return not representatives.in_force(case, party, as_date(signature.get("date")))


def _late(case: Case, required: list[str], given: set[str]) -> list[str]:
    """Representatives appointed after the plan was made, who have not signed, when everyone
    else has and someone signed for the person: the plan is in force and they sign it so."""
    made = as_date(case.plan.get("date"))
    late = [
        h
        for h in representatives.current(case)
        if h not in given and representatives.started_after(case, h, made)
    ]
    others = [p for p in required if p not in late]
    person_side = {case.client, *case.representatives}
    if not late or any(p not in given for p in others) or not given & person_side:
        return []
    return late


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
    if case.framework_on(case.plan.get("date")) == "child" and not case.representatives:
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
    elif case.framework == "child" and not representatives.current(case):
        yield problem(
            "I8",
            doc.path,
            N_(
                "a child's plan is signed by their legal representative, but the period of "
                "every representative in case.yaml has ended: register the one in force "
                "(juhtum people {id} --add HANDLE --role representative --from DATE) "
                "(juhis §4.2)"
            ),
            ("signatures",),
            missing=True,
            id=case.id,
        )
    for i, sig in state.out_of_period:
        party = as_str(sig.get("party")) or "?"
        start, end = representatives.period(case, party)
        yield problem(
            "I8",
            doc.path,
            N_(
                "{party} signed on {date}, outside their period as legal representative "
                "({start} to {end}): the signature does not count (juhis §4.2)"
            ),
            ("signatures", i, "date"),
            party=party,
            date=as_str(sig.get("date")) or "?",
            start=start.isoformat() if start else "…",
            end=end.isoformat() if end else "…",
        )
    for party in state.late:
        since = representatives.period(case, party)[0]
        yield problem(
            "I8",
            doc.path,
            N_(
                "{party} became a legal representative on {date}, after the plan was made: "
                "they sign the plan in force, no new version needed (juhtum sign {id} "
                "--party {party}, juhis §4.2)"
            ),
            ("signatures",),
            severity=WARNING,
            party=party,
            date=since.isoformat() if since else "?",
            id=case.id,
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
    yield from _view_heard(case, doc)
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


HEARD = ("signed", "refused", "oral", "unable")
"""Signature records that give the person's own view of the plan: agreement (with a dissent,
perhaps), a refusal, an oral agreement (juhis §4.2); or, when they cannot sign (``unable``,
with its cause and reason), why their view could not be had."""


def _view_heard(case: Case, doc: Doc) -> Iterator[Problem]:
    """§4.2: the coordinator hears the person's views of the plan. Recorded by ``client_view``,
    or by the person's or a representative's signature, refusal or oral agreement on a day they
    were one; else why it was not possible (``not_possible.client_view``, or their record of
    being unable to sign)."""
    if isinstance(case.plan.get("client_view"), dict) or "client_view" in not_possible(doc):
        return
    for s in as_list(case.plan.get("signatures")):
        if not isinstance(s, dict) or s.get("status", "signed") not in HEARD:
            continue
        party = as_str(s.get("party"))
        if party and party in representatives.client_side_on(case, as_date(s.get("date"))):
            return
    yield problem(
        "I8",
        doc.path,
        N_(
            "record the person's view of the plan (client_view), or why it could not be heard "
            "(not_possible.client_view); their signature records it too (juhis §4.2)"
        ),
        ("client_view",),
        missing=True,
    )
