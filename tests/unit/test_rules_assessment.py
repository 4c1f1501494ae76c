"""The rules of the assessment (juhis §2, seed 004) on the twin in memory, one edit each:
I3 a balanced assessment with the person's view, I15 every problem answered by the plan."""

from __future__ import annotations

from juhtum.model.invariants.assessment import i3_balanced, i15_problems_answered
from tests.unit.rules_twin import drop, edit, found, run, twin

ASSESSMENT = "assessment.yaml"
PLAN = "plan.yaml"


def test_the_twin_keeps_i3_and_i15() -> None:
    case = twin()
    assert found(case, i3_balanced) == []
    assert found(case, i15_problems_answered) == []


def test_without_an_assessment_nothing_is_checked() -> None:
    case = twin()
    edit(case, ASSESSMENT, lambda a: a.update(client_informed=False, domains=[{"domain": "x"}]))
    drop(case, ASSESSMENT)
    assert found(case, i3_balanced) == []
    assert found(case, i15_problems_answered) == []


# -- I3 ---------------------------------------------------------------------------------------------


def test_an_assessment_without_risks() -> None:
    case = twin()
    edit(case, ASSESSMENT, lambda a: [d.pop("risks", None) for d in a["domains"]])
    [problem] = run(case, i3_balanced)
    assert (problem.rule, problem.severity, problem.field, problem.missing) == (
        "I3",
        "error",
        ("domains",),
        True,
    )
    assert "no risks" in problem.message


def test_an_assessment_without_resources() -> None:
    case = twin()
    edit(case, ASSESSMENT, lambda a: [d.pop("resources", None) for d in a["domains"]])
    assert found(case, i3_balanced) == []  # the summary names them
    edit(case, ASSESSMENT, lambda a: a["summary"].pop("resources"))
    [problem] = run(case, i3_balanced)
    assert (problem.field, problem.missing) == (("domains",), True)
    assert "no resources" in problem.message
    edit(case, ASSESSMENT, lambda a: a["domains"][4].update(resources=["õde"]))
    assert found(case, i3_balanced) == []


def test_an_assessment_without_domains_is_not_weighed() -> None:
    case = twin()
    edit(case, ASSESSMENT, lambda a: a.update(domains=[]))
    edit(case, ASSESSMENT, lambda a: a.pop("summary"))
    assert found(case, i3_balanced) == []


def test_the_person_is_told_how_the_assessment_goes_or_why_not() -> None:
    case = twin()
    edit(case, ASSESSMENT, lambda a: a.update(client_informed=False))
    assert found(case, i3_balanced) == [("error", "client_informed")]
    assert run(case, i3_balanced)[0].missing
    edit(case, ASSESSMENT, lambda a: a.update(not_possible={"client_informed": "no contact"}))
    assert found(case, i3_balanced) == []
    edit(case, ASSESSMENT, lambda a: a.update(not_possible={}, client_informed=None))
    assert found(case, i3_balanced) == []


def test_the_persons_view_or_that_they_declined() -> None:
    case = twin()
    edit(case, ASSESSMENT, lambda a: a["client_view"].pop("statement"))
    assert found(case, i3_balanced) == [("error", "client_view")]
    assert run(case, i3_balanced)[0].missing
    edit(case, ASSESSMENT, lambda a: a["client_view"].update(declined="yes"))
    assert found(case, i3_balanced) == [("error", "client_view")]
    edit(case, ASSESSMENT, lambda a: a["client_view"].update(declined=True))
    assert found(case, i3_balanced) == []
    edit(case, ASSESSMENT, lambda a: a.update(client_view="nõustub"))
    assert found(case, i3_balanced) == []


def test_a_person_who_disagrees_has_their_dissent_recorded() -> None:
    case = twin()
    edit(case, ASSESSMENT, lambda a: a["client_view"].update(agrees=False))
    assert found(case, i3_balanced) == [("error", "client_view.dissent")]
    assert run(case, i3_balanced)[0].missing
    edit(case, ASSESSMENT, lambda a: a["client_view"].update(dissent="Liina ei nõustu."))
    assert found(case, i3_balanced) == []
    edit(case, ASSESSMENT, lambda a: a["client_view"].update(agrees=None, dissent=""))
    assert found(case, i3_balanced) == []


# -- I15 --------------------------------------------------------------------------------------------


def test_a_domain_not_of_the_framework() -> None:
    case = twin()
    edit(case, ASSESSMENT, lambda a: a["domains"][2].update(domain="stimulation"))
    [problem] = run(case, i15_problems_answered)
    assert (problem.rule, problem.severity, problem.field) == (
        "I15",
        "error",
        ("domains", 2, "domain"),
    )
    assert problem.args["domain"] == "stimulation"
    assert problem.args["framework"] == "adult"
    assert problem.args["allowed"].startswith("health, housing, employment, ")


def test_the_framework_is_that_of_the_persons_view() -> None:
    case = twin()
    edit(case, "case.yaml", lambda c: c.update(framework="adult"))
    edit(
        case,
        "case.yaml",
        lambda c: c.update(
            framework_changes=[{"from": "child", "to": "adult", "date": "2026-01-21"}]
        ),
    )
    edit(case, ASSESSMENT, lambda a: a["domains"][2].update(domain="stimulation"))
    problems = run(case, i15_problems_answered)
    assert {p.args["framework"] for p in problems} == {"child"}
    assert "stimulation" not in {p.args["domain"] for p in problems}


def test_a_domain_rated_twice_is_said_once() -> None:
    case = twin()
    edit(case, ASSESSMENT, lambda a: a["domains"].extend([{"domain": "housing"}] * 2))
    [problem] = run(case, i15_problems_answered)
    assert (problem.field, problem.args) == (("domains", 5, "domain"), {"domain": "housing"})


def test_an_unnamed_domain_is_left_to_the_schema() -> None:
    case = twin()
    edit(case, ASSESSMENT, lambda a: a["domains"].append({"rating": "problem"}))
    edit(case, ASSESSMENT, lambda a: a["domains"].append("housing"))
    assert found(case, i15_problems_answered) == []
    edit(case, ASSESSMENT, lambda a: a["domains"].insert(0, {"rating": "problem"}))
    edit(case, ASSESSMENT, lambda a: a["domains"].append({"domain": "safety", "rating": "unknown"}))
    assert found(case, i15_problems_answered) == [("warning", "domains[8].rating")]


def test_a_domain_rated_unknown_is_warned_of() -> None:
    case = twin()
    edit(case, ASSESSMENT, lambda a: a["domains"][3].update(rating="unknown"))
    [problem] = run(case, i15_problems_answered)
    assert (problem.severity, problem.field, problem.args) == (
        "warning",
        ("domains", 3, "rating"),
        {"domain": "health"},
    )


def test_every_problem_is_a_goal_of_the_plan_or_left_with_a_reason() -> None:
    case = twin()
    edit(case, ASSESSMENT, lambda a: a["domains"][3].update(rating="problem"))
    [problem] = run(case, i15_problems_answered)
    assert (problem.file, problem.severity, problem.field, problem.missing) == (
        "cases/twin-a1/plan.yaml",
        "error",
        ("goals",),
        True,
    )
    assert problem.args == {"domain": "health"}
    edit(case, PLAN, lambda p: p.update(unaddressed=[{"domain": "health", "reason": "later"}]))
    assert found(case, i15_problems_answered) == []
    edit(case, PLAN, lambda p: p.pop("unaddressed"))
    edit(case, PLAN, lambda p: p["goals"][0].update(domains=["employment", "health"]))
    assert found(case, i15_problems_answered) == []


def test_a_withdrawn_goal_answers_no_problem() -> None:
    case = twin()
    edit(case, PLAN, lambda p: p["goals"][1].update(withdrawn=True))
    assert [p.args for p in run(case, i15_problems_answered)] == [{"domain": "income"}]


def test_a_problem_rated_twice_is_said_once_and_only_with_a_plan() -> None:
    case = twin()
    edit(case, ASSESSMENT, lambda a: a["domains"].append({"domain": "health", "rating": "problem"}))
    edit(case, ASSESSMENT, lambda a: a["domains"].append({"domain": "health", "rating": "problem"}))
    assert found(case, i15_problems_answered) == [
        ("error", "domains[5].domain"),
        ("error", "goals"),
    ]
    drop(case, PLAN)
    assert found(case, i15_problems_answered) == [("error", "domains[5].domain")]
