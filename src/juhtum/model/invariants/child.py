"""A child's case (LasteKS; ``framework: child``), rule ``LasteKS``.

- the child's own view, and how it was weighed, at the assessment (juhis §2.2), the plan
  (§4) and every evaluation (§6.2), or why the child's age or ability prevented it; a
  decision that differs from the child's view says why (LasteKS § 21, UN CRC art 12);
- the evaluation's conclusions are told to the child as well as the representatives (§6);
- the notification that started the case is decided within 10 days (LasteKS § 27);
- a child who turned 18 goes on in the adult framework from a recorded date
  (``framework_changes``), or the case closes (LasteKS § 3 (1)).

Each applies to what was written while the case was in the child framework
(:meth:`Case.framework_on`), and reads only whether a sensitive field is present.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from juhtum.i18n import N_
from juhtum.model import stages
from juhtum.model.case import Case, Doc, as_date, as_dict, as_list, handles
from juhtum.model.child import NOTIFICATION_DAYS, adult_on, birth_date, notification
from juhtum.model.invariants.common import Context, problem
from juhtum.model.problems import WARNING, Problem

RULE = "LasteKS"

MISSING = {
    "assessment": N_(
        "record the child's own view of the assessment and how it was weighed (child_view), "
        "or why the child's age or ability prevents it (child_view.not_possible; juhis §2.2, "
        "LasteKS § 21)"
    ),
    "plan": N_(
        "record the child's own view of the plan and how it was weighed (child_view), or why "
        "the child's age or ability prevents it (child_view.not_possible; juhis §4, "
        "LasteKS § 21)"
    ),
    "evaluation": N_(
        "record the child's own view at the evaluation and how it was weighed (child_view), "
        "or why the child's age or ability prevents it (child_view.not_possible; juhis §6.2, "
        "LasteKS § 21)"
    ),
}


def _child_view(doc: Doc, stage: str) -> Iterator[Problem]:
    view = doc.get("child_view")
    if not isinstance(view, dict):
        # a warning, not an error: documents written before child_view existed stay valid,
        # and every run (CI included) still says what LasteKS § 21 asks for
        yield problem(RULE, doc.path, MISSING[stage], ("child_view",), severity=WARNING)
        return
    if isinstance(view.get("not_possible"), dict):
        return
    if not view.get("statement"):
        yield problem(
            RULE,
            doc.path,
            N_(
                "record the child's view in their own words (child_view.statement), or why "
                "their age or ability prevents it (child_view.not_possible; LasteKS § 21)"
            ),
            ("child_view", "statement"),
            missing=True,
        )
    if not view.get("weighed"):
        yield problem(
            RULE,
            doc.path,
            N_("record how the child's view was weighed (child_view.weighed; LasteKS § 21)"),
            ("child_view", "weighed"),
            missing=True,
        )
    if view.get("differs") is True and not view.get("differs_reason"):
        yield problem(
            RULE,
            doc.path,
            N_(
                "the decision differs from the child's view: record why "
                "(child_view.differs_reason; LasteKS § 21)"
            ),
            ("child_view", "differs_reason"),
            missing=True,
        )


def assessment_date(case: Case) -> str | None:
    doc = case.doc("assessment")
    if doc is None:
        return None
    for part in ("client_view", "child_view"):
        day = as_dict(doc.get(part)).get("date")
        if as_date(day) is not None:
            return str(day)
    return None


def child_views(case: Case, ctx: Context) -> Iterator[Problem]:
    """The child's own view at the assessment, the plan and every evaluation."""
    assessment = case.doc("assessment")
    if (
        assessment is not None
        and isinstance(assessment.data, dict)
        and case.framework_on(assessment_date(case)) == "child"
    ):
        yield from _child_view(assessment, "assessment")
    plan = case.doc("plan")
    if (
        plan is not None
        and isinstance(plan.data, dict)
        and case.framework_on(plan.get("date")) == "child"
    ):
        yield from _child_view(plan, "plan")
    for doc in case.evaluations:
        if isinstance(doc.data, dict) and case.framework_on(doc.get("date")) == "child":
            yield from _child_view(doc, "evaluation")


def child_told(case: Case, ctx: Context) -> Iterator[Problem]:
    """An evaluation's conclusions reach the child too (juhis §6), unless a reason is given."""
    for doc in case.evaluations:
        if not isinstance(doc.data, dict) or case.framework_on(doc.get("date")) != "child":
            continue
        if case.client in handles(doc.get("shared_with")):
            continue
        if isinstance(doc.get("child_not_told"), dict):
            continue
        yield problem(
            RULE,
            doc.path,
            N_(
                "the evaluation's conclusions are not told to the child: add {handle} to "
                "shared_with, or record why the child's age or ability prevents it "
                "(child_not_told; juhis §6, LasteKS § 21)"
            ),
            ("shared_with",),
            severity=WARNING,  # as for child_view: older evaluations stay valid
            handle=case.client,
        )


def notification_decided(case: Case, ctx: Context) -> Iterator[Problem]:
    """The decision on the notification that started a child's case within 10 days."""
    note = notification(case)
    doc = case.doc("need")
    if note is None or doc is None or case.framework_on(note[0].isoformat()) != "child":
        return
    received, decided = note
    deadline = received + dt.timedelta(days=NOTIFICATION_DAYS)
    if decided is not None and decided < received:
        yield problem(
            RULE,
            doc.path,
            N_("the decision is dated before the notification it decides on was received"),
            ("decision", "date"),
        )
    elif decided is not None and decided > deadline:
        yield problem(
            RULE,
            doc.path,
            N_(
                "the decision on the notification received on {received} came on {decided}, "
                "later than {days} days (LasteKS § 27)"
            ),
            ("decision", "date"),
            severity=WARNING,
            received=received.isoformat(),
            decided=decided.isoformat(),
            days=NOTIFICATION_DAYS,
        )
    elif decided is None and ctx.today > deadline:
        yield problem(
            RULE,
            doc.path,
            N_(
                "the notification received on {received} has no decision yet: it was due by "
                "{deadline} (LasteKS § 27)"
            ),
            ("decision",),
            severity=WARNING,
            received=received.isoformat(),
            deadline=deadline.isoformat(),
        )


def framework_changes(case: Case, ctx: Context) -> Iterator[Problem]:
    """A change of framework is recorded, consistent, and not before the child is 18."""
    doc = case.doc("case")
    if doc is None:
        return
    changes = [as_dict(c) for c in as_list(doc.get("framework_changes"))]
    born = birth_date(case)
    adult = adult_on(born) if born else None
    previous = None
    for i, change in enumerate(changes):
        start = as_date(change.get("date"))
        if change.get("from") == change.get("to") or (
            previous is not None and change.get("from") != previous
        ):
            yield problem(
                RULE,
                doc.path,
                N_("this framework change does not follow from the one before it"),
                ("framework_changes", i, "from"),
            )
        previous = change.get("to")
        if (
            change.get("from") == "child"
            and change.get("to") == "adult"
            and start is not None
            and adult is not None
            and start < adult
        ):
            yield problem(
                RULE,
                doc.path,
                N_(
                    "the case moves to the adult framework before the person turns 18: a "
                    "child's case stays in the child framework until then (LasteKS § 3 (1))"
                ),
                ("framework_changes", i, "date"),
            )
    if changes and previous in ("adult", "child") and previous != case.framework:
        yield problem(
            RULE,
            doc.path,
            N_("framework is {framework}, but the last change in framework_changes is to {to}"),
            ("framework",),
            framework=case.framework,
            to=str(previous),
        )
    if (
        case.framework == "child"
        and adult is not None
        and ctx.today >= adult
        and case.stage not in stages.TERMINAL
    ):
        yield problem(
            RULE,
            doc.path,
            N_(
                "the person is 18: the case goes on in the adult framework (juhtum adult {id}) "
                "or closes (juhtum close {id}; LasteKS § 3 (1))"
            ),
            ("framework",),
            severity=WARNING,
            id=case.id,
        )
