"""The need stage (juhis §1): I1 consent before information, I2 one coordinator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from juhtum.i18n import N_, Msg
from juhtum.model import representatives, stages
from juhtum.model.case import Case, Doc, as_date, as_dict, as_list, as_str, handles
from juhtum.model.invariants.common import Context, not_possible, problem
from juhtum.model.problems import Problem

# -- I1 consent before information (juhis §1.2) -------------------------------------------


def i1_consent(case: Case, ctx: Context) -> Iterator[Problem]:
    doc = case.doc("need")
    if doc is None:
        return
    need = doc.fields
    info = as_dict(need.get("initial_info"))
    excused = not_possible(doc)
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
        yield from _consent_givers(case, doc, consent, consent_date)
        informed = as_dict(info.get("informed"))
        if "informed" not in info and "informed" not in excused:
            yield problem(
                "I1",
                doc.path,
                N_(
                    "record what the person was told before information was gathered (purpose, "
                    "rights and obligations, the duty to report changes), or why it was not "
                    "possible in not_possible.informed (juhis §1.2)"
                ),
                ("initial_info", "informed"),
                missing=True,
            )
        for key, what in (
            ("purpose", Msg("the purpose and process of gathering information")),
            ("rights_obligations", Msg("their rights and obligations")),
            ("duty_to_report_changes", Msg("their duty to report changes")),
        ):
            if key in informed and informed[key] is not True and "informed" not in excused:
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
        if disclosure.get("client_informed") is False and "disclosures" not in excused:
            yield problem(
                "I1",
                doc.path,
                N_("the person was not told that information went to {handle} (juhis §1.2)"),
                ("initial_info", "disclosures", i, "client_informed"),
                missing=True,
                handle=as_str(disclosure.get("to")) or "?",
            )

    yield from _decided_with_the_person(case, doc, excused, ctx.settings.specialists)


def _consent_givers(
    case: Case, doc: Doc, consent: dict[str, Any], on: dt.date | None
) -> Iterator[Problem]:
    """Consent is given by the person or by their representatives in force on its date (two
    parents sharing custody may both give it, ``also_given_by``)."""
    givers = [("given_by", as_str(consent.get("given_by")))] + [
        (("also_given_by", i), h) for i, h in enumerate(handles(consent.get("also_given_by")))
    ]
    for at, giver in givers:
        if not giver or giver in representatives.client_side_on(case, on):
            continue
        field = ("initial_info", "consent", *(at if isinstance(at, tuple) else (at,)))
        if giver in case.representatives:
            yield problem(
                "I1",
                doc.path,
                N_(
                    "consent was given by {handle} on {date}, when they were not the person's "
                    "legal representative (people/{handle}.yaml, representation) (juhis §1.2)"
                ),
                field,
                handle=giver,
                date=on.isoformat() if on else "?",
            )
            continue
        yield problem(
            "I1",
            doc.path,
            N_(
                "consent was given by {handle}, who is neither the person nor their "
                "representative (juhis §1.2)"
            ),
            field,
            handle=giver,
        )


def _decided_with_the_person(
    case: Case, doc: Doc, excused: set[str], specialists: frozenset[str]
) -> Iterator[Problem]:
    """§1: the decision is made with the person or their representative (eestkostja), and
    explained to them (§1.3); the agreement of §1.5 is made with them too."""
    for key in ("decision", "agreement"):
        part = as_dict(doc.get(key))
        who = as_str(part.get("with"))
        on = as_date(part.get("date"))
        if not who or not (who in case.people or who == case.client or who in specialists):
            continue  # nobody registered: I17 says so
        if who not in representatives.client_side_on(case, on):
            yield problem(
                "I1",
                doc.path,
                N_(
                    "{where} names {handle}, who on {date} was neither the person nor their "
                    "legal representative: the decision and the agreement are made with them "
                    "(juhis §1, §1.5)"
                ),
                (key, "with"),
                where=f"{key}.with",
                handle=who,
                date=on.isoformat() if on else "?",
            )
    decision = as_dict(doc.get("decision"))
    if decision.get("explained_to_client") is False and "explained_to_client" not in excused:
        yield problem(
            "I1",
            doc.path,
            N_(
                "the decision and its consequences were not explained to the person: explain "
                "them, or record why it was not possible in not_possible.explained_to_client "
                "(juhis §1.3)"
            ),
            ("decision", "explained_to_client"),
            missing=True,
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
