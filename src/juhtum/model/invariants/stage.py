"""The stage rule (domain.md, *Checking*): a case's documents fit its stage."""

from __future__ import annotations

from collections.abc import Iterator

from juhtum.i18n import N_
from juhtum.model import stages
from juhtum.model.case import Case, as_date, as_dict, as_list, as_str
from juhtum.model.invariants.common import Context, problem
from juhtum.model.problems import Problem

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
