"""The need stage (juhis §1): I1 consent before information, I2 one coordinator."""

from __future__ import annotations

from collections.abc import Iterator

from juhtum.i18n import N_, Msg
from juhtum.model import stages
from juhtum.model.case import Case, as_date, as_dict, as_list, as_str
from juhtum.model.invariants.common import Context, problem
from juhtum.model.problems import Problem

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
