"""References and dates: I14 real dates in their own case, I17 every reference resolves
(with the plan's prior help)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from juhtum.documents.schemas import values_at
from juhtum.i18n import N_, Msg
from juhtum.model.case import Case, Doc, Settings, as_date, as_dict, as_list, as_str
from juhtum.model.ids import is_case_id
from juhtum.model.invariants.common import Context, handles_or_ids, problem
from juhtum.model.problems import Path, Problem, field_text

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
