"""The case plan (juhis §4): I4 actions, I5 goals served, I6 not only services, I7 reviews."""

from __future__ import annotations

from collections.abc import Iterator

from juhtum.i18n import N_
from juhtum.model.case import Case, as_date, as_dict, as_list, as_str, handles
from juhtum.model.invariants.common import Context, add_months, handles_or_ids, problem
from juhtum.model.problems import WARNING, Problem

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
