"""The rules of the case plan (juhis §4) on the twin in memory, one edit each: I4 actions,
I5 goals served, I6 not only services, I7 interim reviews."""

from __future__ import annotations

from typing import Any

from juhtum.model.invariants.plan import (
    i4_actions,
    i5_goals_served,
    i6_not_only_services,
    i7_reviews,
)
from tests.unit.rules_twin import by_id, drop, edit, found, representative, run, twin

PLAN = "plan.yaml"
RULES = (i4_actions, i5_goals_served, i6_not_only_services, i7_reviews)


def action(action_id: str, **change: Any) -> Any:
    def apply(plan: dict[str, Any]) -> None:
        item = by_id(plan["actions"], action_id)
        for key, value in change.items():
            if value is None:
                item.pop(key, None)
            else:
                item[key] = value

    return apply


def test_the_twin_keeps_the_plan_rules() -> None:
    case = twin()
    for rule in RULES:
        assert found(case, rule) == [], rule.__name__


def test_without_a_plan_nothing_is_checked() -> None:
    case = twin()
    edit(case, PLAN, lambda p: p.update(actions=[{"id": "x", "kind": "service"}], reviews=[]))
    drop(case, PLAN)
    for rule in RULES:
        assert found(case, rule) == [], rule.__name__


# -- I4 -------------------------------------------------------------------------------------------------


def test_a_deadline_before_the_start() -> None:
    case = twin()
    edit(case, PLAN, action("a3", start="2026-02-10", deadline="2026-02-09"))
    [problem] = run(case, i4_actions)
    assert (problem.rule, problem.severity, problem.field) == (
        "I4",
        "error",
        ("actions", 2, "deadline"),
    )
    assert problem.args == {"action": "a3", "deadline": "2026-02-09", "start": "2026-02-10"}
    assert problem.file == "cases/twin-a1/plan.yaml"
    assert not problem.missing
    edit(case, PLAN, action("a3", id=None))
    assert run(case, i4_actions)[0].args["action"] == "3"
    edit(case, PLAN, action("a1", start=None))
    assert len(run(case, i4_actions)) == 1
    edit(case, PLAN, lambda p: p["actions"][2].pop("start"))
    assert found(case, i4_actions) == []


def test_a_withdrawn_action_is_not_checked() -> None:
    case = twin()
    edit(case, PLAN, action("a2", frequency=None, resources=None, withdrawn=True))
    edit(case, PLAN, action("a4", goals=["g1"]))
    assert found(case, i4_actions) == []


def test_resources_and_frequency_are_warnings_with_the_action() -> None:
    case = twin()
    edit(case, PLAN, action("a2", frequency="", resources=""))
    problems = run(case, i4_actions)
    assert [(p.severity, p.field, p.args, p.missing) for p in problems] == [
        ("warning", ("actions", 1), {"action": "a2"}, False),
        ("warning", ("actions", 1), {"action": "a2"}, False),
    ]
    assert "resources" in problems[0].message
    assert "frequency" in problems[1].message


# -- I5 -------------------------------------------------------------------------------------------------


def test_a_goal_without_an_action() -> None:
    case = twin()
    edit(case, PLAN, action("a3", goals=["g1"]))
    edit(case, PLAN, action("a4", goals=["g1"]))
    [problem] = run(case, i5_goals_served)
    assert (problem.rule, problem.severity, problem.field, problem.missing) == (
        "I5",
        "error",
        ("goals", 1),
        True,
    )
    assert problem.args == {"goal": "g2"}


def test_a_goal_served_only_by_a_withdrawn_action() -> None:
    case = twin()
    edit(case, PLAN, action("a4", goals=["g1"]))
    edit(case, PLAN, action("a3", withdrawn=True))
    assert [p.args for p in run(case, i5_goals_served)] == [{"goal": "g2"}]
    edit(case, PLAN, lambda p: p["goals"][1].update(withdrawn=True))
    assert found(case, i5_goals_served) == []
    edit(case, PLAN, lambda p: p["goals"][1].update(withdrawn=False, id=None))
    assert found(case, i5_goals_served) == []  # a goal without an id: the schema says so


# -- I6 -------------------------------------------------------------------------------------------------


def test_a_plan_without_the_persons_action() -> None:
    case = twin()
    edit(case, PLAN, action("a1", kind="network", responsible=["ode"]))
    [problem] = run(case, i6_not_only_services)
    assert (problem.rule, problem.severity, problem.field, problem.missing) == (
        "I6",
        "error",
        ("actions",),
        True,
    )
    assert "person or their representative" in problem.message


def test_the_person_or_a_representative_responsible_is_the_persons_action() -> None:
    case = twin()
    edit(case, PLAN, action("a1", kind="network"))  # the person still responsible
    assert found(case, i6_not_only_services) == []
    edit(case, PLAN, action("a1", responsible=["ema"]))
    assert len(run(case, i6_not_only_services)) == 1
    representative(case, "ema")
    assert found(case, i6_not_only_services) == []


def test_a_plan_without_the_coordinators_action() -> None:
    case = twin()
    edit(case, "case.yaml", lambda c: c.update(coordinator="kk"))
    edit(case, PLAN, action("a4", kind="client"))  # kk still responsible
    assert found(case, i6_not_only_services) == []
    edit(case, PLAN, action("a4", responsible=["client"]))
    [problem] = run(case, i6_not_only_services)
    assert (problem.severity, problem.missing) == ("error", True)
    assert "coordinator" in problem.message
    edit(case, PLAN, action("a4", kind="coordinator"))
    assert found(case, i6_not_only_services) == []
    edit(case, PLAN, action("a4", kind="client"))
    edit(case, "case.yaml", lambda c: c.pop("coordinator"))
    assert len(run(case, i6_not_only_services)) == 1


def test_a_plan_without_the_network_is_warned_of() -> None:
    case = twin()
    edit(case, PLAN, action("a3", kind="service", frequency="kord"))
    [problem] = run(case, i6_not_only_services)
    assert (problem.severity, problem.field, problem.missing) == ("warning", ("actions",), False)


def test_a_plan_without_active_actions_is_left_to_i5() -> None:
    case = twin()
    edit(case, PLAN, lambda p: [a.update(withdrawn=True) for a in p["actions"]])
    assert found(case, i6_not_only_services) == []


# -- I7 -------------------------------------------------------------------------------------------------


def test_a_review_before_the_plan() -> None:
    case = twin()
    edit(case, PLAN, lambda p: p["reviews"].append({"date": "2026-02-01"}))
    [problem] = run(case, i7_reviews)
    assert (problem.rule, problem.severity, problem.field) == (
        "I7",
        "error",
        ("reviews", 1, "date"),
    )
    assert problem.args == {"date": "2026-02-01", "plan_date": "2026-02-02"}
    edit(case, PLAN, lambda p: p["reviews"][1].update(date="2026-02-02"))
    assert found(case, i7_reviews) == []  # on the plan's own day


def test_the_first_review_within_the_review_period() -> None:
    case = twin()
    edit(case, PLAN, lambda p: p["reviews"][0].update(date="2026-05-02"))
    assert found(case, i7_reviews) == []  # three months to the day
    edit(case, PLAN, lambda p: p["reviews"][0].update(date="2026-05-03"))
    [problem] = run(case, i7_reviews)
    assert (problem.severity, problem.field) == ("warning", ("reviews", 0, "date"))
    assert problem.args == {"date": "2026-05-03", "months": 3, "limit": "2026-05-02"}
    assert found(case, i7_reviews, review_period_months=4) == []
    assert run(case, i7_reviews, review_period_months=1)[0].args == {
        "date": "2026-05-03",
        "months": 1,
        "limit": "2026-03-02",
    }


def test_the_earliest_review_counts_whatever_its_place() -> None:
    case = twin()
    edit(case, PLAN, lambda p: p["reviews"].insert(0, {"date": "2026-09-01"}))
    edit(case, PLAN, lambda p: p["reviews"].insert(0, {"date": "1.4.2026"}))
    assert found(case, i7_reviews) == []
    edit(case, PLAN, lambda p: p["reviews"][2].update(date="2026-08-01"))
    [problem] = run(case, i7_reviews)
    assert (problem.field, problem.args["date"]) == (("reviews", 2, "date"), "2026-08-01")


def test_reviews_without_dates_or_a_plan_date_are_not_compared() -> None:
    case = twin()
    edit(case, PLAN, lambda p: p.update(reviews=[{"date": "2025-01-01"}], date="2.2.2026"))
    assert found(case, i7_reviews) == []
    case = twin()
    edit(case, PLAN, lambda p: p.update(reviews=[{"date": "later"}, "2025-01-01"]))
    assert found(case, i7_reviews) == []
