"""The facts of a case that views need, extracted once: dates, statuses, counts.

``due``, ``list``, ``show`` and ``report`` read these instead of the documents,
so they can be kept (the cache) and summed over thousands of cases. Facts are
plain JSON data and hold no sensitive value: ids, handles, dates, enums,
numbers, and the names of files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from juhtum.model import stages
from juhtum.model.case import (
    Case,
    Settings,
    as_date,
    as_dict,
    as_list,
    as_str,
    counts_as_signed,
    handles,
)
from juhtum.model.child import facts as child_facts
from juhtum.model.invariants.common import add_months
from juhtum.model.invariants.signatures import SignatureState, signature_state
from juhtum.model.problems import ERROR, Problem

VERSION = 3
"""Raised whenever what facts hold changes (a cache of older facts is then rebuilt)."""

IN_FORCE = (stages.IMPLEMENTATION, stages.EVALUATION)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _day(value: object) -> str | None:
    """A real date as ``YYYY-MM-DD``, else None: ``2026-11-31`` or ``03.06.1971`` is what
    validate reports, and no view may do arithmetic on it."""
    return _iso(as_date(value))


def _latest_updates(case: Case) -> dict[str, dict[str, Any]]:
    """Each action's latest update from monitoring (the current status, domain.md)."""
    latest: dict[str, dict[str, Any]] = {}
    for doc in case.monitoring:
        for update in as_list(doc.get("action_updates")):
            update = as_dict(update)
            action = as_str(update.get("action"))
            if action:
                latest[action] = {"status": as_str(update.get("status")), "date": _day(doc.date)}
    return latest


def timeline(case: Case) -> list[tuple[str, str]]:
    """When the case entered each state, as its documents record it: (date, state), in order.

    need: opened; assessment: the agreement of §1.5 (else the decision); planning: the
    person's view of the assessment; plan: each version's first signature (the latest version:
    its own date); implementation: the day each version's last signature made it whole;
    evaluation and what its decision led to: the evaluation's date; closed: closing's date.
    Dates the documents do not record (a loop's earlier plans) are left out, not guessed.
    """
    events: list[tuple[str, str]] = []
    opened = _day(case.case.get("opened"))
    if opened:
        events.append((opened, stages.NEED))
    decision = as_dict(case.need.get("decision"))
    decided = _day(decision.get("date"))
    if case.stage == stages.REFERRED and decided:
        events.append((decided, stages.REFERRED))
    agreement = _day(as_dict(case.need.get("agreement")).get("date")) or decided
    if case.doc("assessment") is not None and agreement:
        events.append((agreement, stages.ASSESSMENT))
    view = _day(as_dict(case.assessment.get("client_view")).get("date"))
    if case.doc("planning") is not None and view:
        events.append((view, stages.PLANNING))
    by_version: dict[int, list[str]] = {}
    for signature in as_list(case.plan.get("signatures")):
        if not counts_as_signed(signature):
            continue  # a refusal or an obstacle puts nothing in force (juhis §4.2)
        signature = as_dict(signature)
        version, day = signature.get("version"), _day(signature.get("date"))
        if isinstance(version, int) and not isinstance(version, bool) and day:
            by_version.setdefault(version, []).append(day)
    current = case.plan.get("version")
    if not isinstance(current, int) or isinstance(current, bool):
        current = None  # version: [1] and the like: validate reports it
    plan_date = _day(case.plan.get("date"))
    if plan_date and current not in by_version and (not by_version or case.stage == stages.PLAN):
        events.append((plan_date, stages.PLAN))  # a version not signed yet (an announced one
        # never passes through the plan state)
    state = signature_state(case)
    for version, days in sorted(by_version.items()):
        events.append((plan_date if version == current and plan_date else min(days), stages.PLAN))
        whole = version != current or (state is not None and not state.missing)
        if whole:
            events.append((max(days), stages.IMPLEMENTATION))
    order = {s: float(n) for n, s in enumerate(stages.STAGES)}
    ranked = [(d, order[s], s) for d, s in events]
    for doc in case.evaluations:
        when = _day(doc.date)
        if when is None:
            continue
        ranked.append((when, order[stages.EVALUATION], stages.EVALUATION))
        following = {
            "continue": stages.IMPLEMENTATION,
            "modify": stages.PLANNING,
            "reassess": stages.ASSESSMENT,
        }.get(as_str(doc.get("decision")) or "")
        if following:  # the same day, after the evaluation
            ranked.append((when, order[stages.EVALUATION] + 0.5, following))
    closed = _day(case.closing.get("date"))
    if closed:
        ranked.append((closed, order[stages.CLOSED], stages.CLOSED))
    return [(d, s) for d, _, s in sorted(e for e in ranked if e[0])]


def broken_documents(problems: Iterable[Problem], prefix: str) -> list[dict[str, Any]]:
    """The documents of a case that could not be read at all (a YAML error, a file too
    large, a link): every view says so instead of acting as if they were absent."""
    found: dict[str, int | None] = {}
    for p in problems:
        if p.rule in ("yaml", "file") and p.severity == ERROR and p.file.startswith(prefix + "/"):
            found.setdefault(p.file.removeprefix(prefix + "/"), p.line)
    return [{"file": name, "line": line} for name, line in sorted(found.items())]


def extract(
    case: Case, settings: Settings, broken: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Every fact the views use, of one case; ``broken``: see :func:`broken_documents`."""
    plan = case.plan
    state = signature_state(case)
    updates = _latest_updates(case)
    plan_date = as_date(plan.get("date"))
    actions = []
    for i, action in case.plan_actions():
        action_id = as_str(action.get("id")) or str(i + 1)
        update = updates.get(action_id, {})
        actions.append(
            {
                "id": action_id,
                "deadline": _day(action.get("deadline")),
                "kind": as_str(action.get("kind")),
                "goals": [g for g in as_list(action.get("goals")) if isinstance(g, str)],
                "responsible": handles(action.get("responsible")),
                "status": update.get("status") or "planned",
            }
        )
    reviews = sorted(d for r in as_list(plan.get("reviews")) if (d := _day(as_dict(r).get("date"))))
    evaluations = []
    for doc in case.evaluations:
        evaluations.append(
            {
                "date": _day(doc.date),
                "decision": as_str(doc.get("decision")),
                "next_review": _day(doc.get("next_review")),
                "results": [
                    {
                        "goal": as_str(as_dict(r).get("goal")),
                        "result": as_str(as_dict(r).get("result")),
                    }
                    for r in as_list(doc.get("goal_results"))
                ],
                "file": doc.name,
            }
        )
    meetings = []
    for doc in case.meetings:
        agreements = []
        for n, raw in enumerate(as_list(doc.get("agreements"))):
            agreement = as_dict(raw)
            agreements.append(
                {
                    "n": n,
                    "deadline": _day(agreement.get("deadline")),
                    "done": as_str(agreement.get("done")),
                    "responsible": as_str(agreement.get("responsible")),
                }
            )
        meetings.append({"date": _day(doc.date), "file": doc.name, "agreements": agreements})
    started: dict[str, str] = {}
    for doc in case.monitoring:
        for service in as_list(doc.get("services")):
            service = as_dict(service)
            ref = as_str(service.get("measure"))
            when = _day(service.get("started"))
            if ref and when and (ref not in started or when < started[ref]):
                started[ref] = when
    measures = []
    for measure_id, measure in case.measures().items():
        negotiation = as_dict(measure.get("negotiation"))
        measures.append(
            {
                "id": measure_id,
                "goals": [g for g in as_list(measure.get("goals")) if isinstance(g, str)],
                "provider": as_str(measure.get("provider")),
                "catalogue": as_str(measure.get("catalogue")),
                "status": as_str(negotiation.get("status")),
                "agreed": _day(negotiation.get("date")),
                "expected_start": _day(negotiation.get("expected_start")),
                "started": started.get(measure_id),
                "withdrawn": bool(measure.get("withdrawn")),
            }
        )
    closing = case.closing
    feedback = as_dict(closing.get("feedback"))
    follow_up = as_dict(closing.get("follow_up"))
    first_review_limit = (
        _iso(add_months(plan_date, settings.review_period_months)) if plan_date else None
    )
    monitoring_dates = [day for d in case.monitoring if (day := _day(d.date))]
    events = timeline(case)
    return {
        "version": VERSION,
        "id": case.id,
        "stage": case.stage,
        "framework": case.framework,
        "opened": _day(case.case.get("opened")),
        "coordinator": case.coordinator,
        "plan": {
            "exists": case.doc("plan") is not None,
            "date": _iso(plan_date),
            "version": plan.get("version") if isinstance(plan.get("version"), int) else None,
            "missing_signatures": state.missing if state else [],
            "not_signed": _not_signed(state),
            "first_review_limit": first_review_limit,
            "reviews": reviews,
        }
        if case.doc("plan") is not None
        else None,
        "goals": [
            {
                "id": as_str(g.get("id")),
                "deadline": _day(g.get("deadline")),
                "domains": [d for d in as_list(g.get("domains")) if isinstance(d, str)],
            }
            for _, g in case.plan_goals()
        ],
        "actions": actions,
        "evaluations": evaluations,
        "meetings": meetings,
        "measures": measures,
        "monitoring_last": max(monitoring_dates) if monitoring_dates else None,
        "signed_in_force": _iso(case.first_signature_date()),
        "in_force_since": next(
            (d for d, s in reversed(events) if s == stages.IMPLEMENTATION), None
        ),
        "closing": {
            "date": _day(closing.get("date")),
            "reason": as_str(closing.get("reason")),
            "evaluation": as_str(closing.get("evaluation")),
            "feedback_collected": feedback.get("collected")
            if isinstance(feedback.get("collected"), bool)
            else None,
            "satisfaction": feedback.get("satisfaction")
            if isinstance(feedback.get("satisfaction"), int)
            else None,
            "follow_up": _day(follow_up.get("date")),
        }
        if closing
        else None,
        "followups": sorted(day for d in case.followups if (day := _day(d.date))),
        "diary": [
            {"date": _day(d.date), "kind": as_str(d.get("kind")), "file": d.name}
            for d in case.diary
        ],
        "timeline": [list(event) for event in events],  # as JSON keeps it (the cache)
        "people": sorted(case.people),
        "child": child_facts(case),
        "broken": broken or [],
    }


def _not_signed(state: SignatureState | None) -> list[dict[str, Any]]:
    """Who did not sign the plan as it stands and why (juhis §4.2): the status, the cause and
    the dates, never the reason's text (it is sensitive); ``in_force`` when the coordinator
    put the plan in force without them."""
    if state is None:
        return []
    found = []
    for party, record in sorted(state.not_signed.items()):
        decision = state.waived.get(party)
        found.append(
            {
                "party": party,
                "status": as_str(record.get("status")),
                "cause": as_str(record.get("cause")),
                "date": as_str(record.get("date")),
                "in_force": as_str(decision.get("date")) if decision else None,
                "basis": as_str(decision.get("basis")) if decision else None,
            }
        )
    return found
