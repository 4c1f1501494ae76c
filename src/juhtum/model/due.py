"""What needs doing, from the facts of each case (seed 002: follow-through is what fails).

Plan actions not done by their deadline, interim reviews (and a plan whose first
review comes later than the repository's period allows), plans waiting for
signatures, network-meeting agreements, follow-up contacts agreed at closing,
and cases in implementation without a monitoring entry for too long.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from juhtum.i18n import N_
from juhtum.model import stages
from juhtum.model.child import due_items as child_due_items

REVIEW_WINDOW_DAYS = 30
"""An evaluation this many days before a review date (or any time after) holds that review."""

DEFAULT_MONITORING_GAP_DAYS = 60

IN_FORCE = (stages.IMPLEMENTATION, stages.EVALUATION)


@dataclass(frozen=True)
class Item:
    date: str
    case: str
    coordinator: str | None
    kind: str
    message: str
    args: dict[str, Any] = field(default_factory=dict)
    file: str = ""

    def overdue(self, today: dt.date) -> bool:
        return self.date < today.isoformat()


def _days(day: str, n: int) -> str:
    """``day`` plus ``n`` days; facts hold only real dates, and an older cache's odd one
    counts as the earliest day rather than stopping the whole list."""
    try:
        return (dt.date.fromisoformat(day) + dt.timedelta(days=n)).isoformat()
    except (TypeError, ValueError):
        return ""


def broken(facts: dict[str, Any], today: dt.date) -> list[Item]:
    """An item for each document of the case that cannot be read: what it holds may be due,
    and a typo must not make it look like nothing is."""
    case = facts["id"]
    return [
        Item(
            today.isoformat(),
            case,
            facts.get("coordinator"),
            "broken",
            N_(
                "{file} cannot be read (line {line}), so nothing it holds is listed here: "
                "juhtum validate cases/{id} says what is wrong"
            ),
            {"file": entry["file"], "line": entry.get("line") or "?", "id": case},
            f"cases/{case}/{entry['file']}",
        )
        for entry in facts.get("broken") or []
    ]


def items(
    facts: dict[str, Any], *, gap_days: int = DEFAULT_MONITORING_GAP_DAYS, review_months: int = 3
) -> list[Item]:
    """Everything a case has to do, whenever it falls due."""
    case = facts["id"]
    folder = f"cases/{case}"
    stage = facts.get("stage")
    coordinator = facts.get("coordinator")
    found: list[Item] = []

    def add(when: str | None, kind: str, message: str, file: str, **args: Any) -> None:
        if when:
            found.append(Item(when, case, coordinator, kind, message, args, f"{folder}/{file}"))

    if stage in stages.TERMINAL:
        closing = facts.get("closing") or {}
        follow_up = closing.get("follow_up")
        if follow_up and not [
            d for d in facts.get("followups", []) if d >= (closing.get("date") or "")
        ]:
            add(
                follow_up,
                "followup",
                N_("follow-up contact agreed at closing (juhis §7.2)"),
                "closing.yaml",
            )
        return found

    for when, kind, message, file, args in child_due_items(facts):  # LasteKS
        add(when, kind, message, file, **args)
    plan = facts.get("plan") or {}
    evaluations = facts.get("evaluations", [])
    in_force = stage in IN_FORCE or (bool(evaluations) and bool(facts.get("signed_in_force")))
    if in_force:
        for action in facts.get("actions", []):
            if action["status"] not in ("done", "cancelled"):
                add(
                    action.get("deadline"),
                    "action",
                    N_("plan action {action} is due ({status})"),
                    "plan.yaml",
                    action=action["id"],
                    status=action["status"],
                )
        evaluated = [e["date"] for e in evaluations if e.get("date")]
        for review in plan.get("reviews", []):
            if review >= (plan.get("date") or "") and not any(
                d >= _days(review, -REVIEW_WINDOW_DAYS) for d in evaluated
            ):
                add(
                    review, "review", N_("interim review of the plan (juhis §4.1, §6)"), "plan.yaml"
                )
        if evaluations and evaluations[-1].get("decision") == "continue":
            add(
                evaluations[-1].get("next_review"),
                "review",
                N_("next review set by the last evaluation (juhis §6.3)"),
                evaluations[-1]["file"],
            )
    if plan.get("exists") and not evaluations:
        reviews = plan.get("reviews", [])
        limit = plan.get("first_review_limit")
        if limit and (not reviews or reviews[0] > limit):
            add(
                limit,
                "first_review",
                N_(
                    "the plan's first interim review is later than {months} months after the "
                    "plan: set one by {limit} (juhis §4.1)"
                ),
                "plan.yaml",
                months=review_months,
                limit=limit,
            )
    not_signed = {row["party"]: row for row in plan.get("not_signed", [])}
    if stage == stages.PLAN and plan.get("missing_signatures"):
        add(
            plan.get("date"),
            "signatures",
            N_("the plan waits for the signatures of {handles} (juhis §4.2)"),
            "plan.yaml",
            handles=", ".join(
                f"{h} ({not_signed[h]['status']})" if h in not_signed else h
                for h in plan["missing_signatures"]
            ),
        )
    if in_force:
        upcoming = [r for r in plan.get("reviews", []) if r >= (plan.get("date") or "")]
        for party, row in sorted(not_signed.items()):
            if row.get("in_force"):
                later = [r for r in upcoming if r >= row["in_force"]]
                add(
                    later[0] if later else None,
                    "signatures",
                    N_(
                        "the plan is in force without {party}'s signature ({status} on {date}): "
                        "ask again at this review (juhis §4.2)"
                    ),
                    "plan.yaml",
                    party=party,
                    status=row["status"],
                    date=row["date"],
                )
    for measure in facts.get("measures", []):
        if (
            measure.get("status") == "queued"
            and not measure.get("started")
            and not measure.get("withdrawn")
        ):
            add(
                measure.get("expected_start"),
                "queued",
                N_(
                    "measure {measure} is queued with {provider}: expected to start by {date} "
                    "(juhis §3.1, §5.1)"
                ),
                "planning.yaml",
                measure=measure["id"],
                provider=measure.get("provider") or "-",
                date=measure.get("expected_start"),
            )
    for meeting in facts.get("meetings", []):
        for agreement in meeting.get("agreements", []):
            if not agreement.get("done"):
                add(
                    agreement.get("deadline"),
                    "agreement",
                    N_("agreement {n} of the network meeting of {date} ({handle} responsible)"),
                    meeting["file"],
                    n=agreement["n"] + 1,
                    date=meeting.get("date"),
                    handle=agreement.get("responsible") or "-",
                )
    if stage == stages.IMPLEMENTATION:
        last = max(
            filter(None, (facts.get("monitoring_last"), facts.get("in_force_since"))), default=None
        )
        if last:
            add(
                _days(last, gap_days),
                "monitoring",
                N_("no monitoring entry since {date}: one is due every {days} days (juhis §5.2)"),
                "monitoring",
                date=last,
                days=gap_days,
            )
    return found


def due(
    all_facts: Iterable[dict[str, Any]],
    *,
    today: dt.date,
    within_days: int,
    coordinator: str | None = None,
    gap_days: int = DEFAULT_MONITORING_GAP_DAYS,
    review_months: int = 3,
    retention: Any = None,
) -> list[Item]:
    """The items due within ``within_days`` of ``today`` (overdue ones included), soonest first;
    with ``retention`` (model.retention), the ended cases to erase too. The facts are read one
    case at a time: only the items due are kept."""
    from juhtum.model.retention import item as retention_item

    until = (today + dt.timedelta(days=within_days)).isoformat()
    found = [
        item
        for facts in all_facts
        if coordinator is None or facts.get("coordinator") == coordinator
        for item in [
            *broken(facts, today),
            *items(facts, gap_days=gap_days, review_months=review_months),
            *filter(None, [retention_item(facts, retention)]),
        ]
        if item.date <= until
    ]
    return sorted(found, key=lambda i: (i.date, i.case, i.kind, i.file))
