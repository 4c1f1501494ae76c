"""References and dates: I14 real dates in their own case, I17 every reference resolves, and
the plan's prior help; on the twin in memory, one edit each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from juhtum.model.case import Settings
from juhtum.model.invariants.references import (
    i14_dates_and_case,
    i17_references,
    plan_prior_help,
    resolves,
)
from tests.cases import build
from tests.unit.twin_memory import edit, put, run, twin

SERVICE = build.MONITORING_SERVICE
Row = tuple[str, str, dict[str, str]]


def i14(case: Any, today: str = "2026-11-23") -> list[Row]:
    return [(f, w, a) for f, s, w, a in run(i14_dates_and_case, case, today) if s == "error"]


def i17(case: Any) -> list[Row]:
    assert {s for _, s, _, _ in run(i17_references, case)} <= {"error"}
    return [(f, w, a) for f, _, w, a in run(i17_references, case)]


def test_the_twins_references_resolve_and_its_dates_are_past() -> None:
    case = twin()
    for rule in (i14_dates_and_case, i17_references, plan_prior_help):
        assert run(rule, case) == [], rule.__name__


# -- I14 ------------------------------------------------------------------------------------------


def test_case_yaml_names_its_own_folder() -> None:
    case = edit(twin(), "case.yaml", lambda c: c.update(id="twin-b2"))
    assert i14(case) == [("case.yaml", "id", {"value": "twin-b2", "folder": "twin-a1"})]
    edit(case, "case.yaml", lambda c: c.update(id="Not An Id"))
    assert i14(case) == []  # the schema's business


def test_every_document_belongs_to_the_case_of_its_folder() -> None:
    case = edit(twin(), SERVICE, lambda m: m.update(case="twin-b2"))
    edit(case, "people/kk.yaml", lambda p: p.update(case="twin-a1"))
    assert i14(case) == [(SERVICE, "case", {"value": "twin-b2", "folder": "twin-a1"})]
    edit(case, SERVICE, lambda m: m.update(case="twin a1"))
    assert i14(case) == []


def test_an_empty_document_is_skipped_and_the_rest_still_checked() -> None:
    case = edit(twin(), "assessment.yaml", lambda a: a.clear())  # the first document read
    edit(case, "case.yaml", lambda c: c.update(id="twin-b2"))
    edit(case, SERVICE, lambda m: m.update(case="twin-b2"))
    assert [f for f, _, _ in i14(case)] == ["case.yaml", SERVICE]


def test_a_date_that_records_the_past_is_not_in_the_future() -> None:
    case = edit(twin(), SERVICE, lambda m: m["services"][0].update(started="2026-11-24"))
    assert i14(case) == [(SERVICE, "services[0].started", {"where": "services[0].started"})]
    assert i14(case, "2026-11-24") == []  # today is not the future
    edit(case, SERVICE, lambda m: m["services"][0].update(started="homme"))
    assert [r for r in i14(case, "2026-01-01") if r[0] == SERVICE] == [
        (SERVICE, "date", {"where": "date"})
    ]


# -- I17: handles --------------------------------------------------------------------------------------


def test_a_handle_names_a_person_of_the_case_or_a_specialist() -> None:
    case = edit(twin(), SERVICE, lambda m: m.update(contacts=["client", "naaber", 7]))
    assert i17(case) == [(SERVICE, "contacts[1]", {"handle": "naaber", "id": "twin-a1"})]
    specialists = Settings(specialists=frozenset({"naaber"}))
    assert resolves(case, specialists, "naaber")
    assert resolves(case, specialists, "client")
    assert not resolves(case, Settings(), "naaber")


def person(*roles: str) -> dict[str, Any]:
    return {"case": "twin-a1", "name": "Mare Kõrvits", "roles": list(roles)}


def test_the_client_and_the_representatives_have_their_role() -> None:
    case = edit(twin(), "people/client.yaml", lambda p: p.update(roles=["network"]))
    edit(case, "case.yaml", lambda c: c.update(representatives=["ode", "tk"]))
    put(case, "people/tk.yaml", person("provider", "representative"))
    assert i17(case) == [
        ("case.yaml", "client", {"handle": "client", "role": "client"}),
        ("case.yaml", "representatives[0]", {"handle": "ode", "role": "representative"}),
    ]
    put(case, "people/ode.yaml", None)  # nobody: said so, but not that the role is missing
    assert [w for _, w, a in i17(case) if "role" in a] == ["client"]
    put(case, "people/ode.yaml", person("network"))
    put(case, "case.yaml", None)
    assert [f for f, _, _ in i17(case) if f == "case.yaml"] == []


# -- I17: ids -----------------------------------------------------------------------------------------


def unknown(what: str, value: str) -> dict[str, str]:
    return {"what": what, "value": value}


def test_an_id_is_used_once() -> None:
    def twice(key: str) -> Callable[[dict[str, Any]], None]:
        def change(data: dict[str, Any]) -> None:
            items = data[key]
            items.append({"statement": "ilma id-ta"})
            items.append({"statement": "ilma id-ta"})
            items.append({**items[0]})

        return change

    case = edit(twin(), "assessment.yaml", twice("goals"))
    edit(case, "planning.yaml", twice("measures"))
    edit(case, "plan.yaml", twice("goals"))
    edit(case, "plan.yaml", twice("actions"))
    assert i17(case) == [
        ("assessment.yaml", "goals[4].id", {"id": "g1"}),
        ("plan.yaml", "actions[6].id", {"id": "a1"}),
        ("plan.yaml", "goals[4].id", {"id": "g1"}),
        ("planning.yaml", "measures[3].id", {"id": "m1"}),
    ]


def test_planning_names_goals_and_catalogue_entries_that_exist() -> None:
    def change(planning: dict[str, Any]) -> None:
        planning["options"].append({"goal": "g9"})
        planning["options"].append({"goal": 9})
        planning["measures"][0]["goals"] = ["g1", "g8", 8]
        planning["measures"][0]["catalogue"] = "puudub"

    assert i17(edit(twin(), "planning.yaml", change)) == [
        ("planning.yaml", "measures[0].catalogue", {"value": "puudub"}),
        ("planning.yaml", "measures[0].goals[1]", unknown("goal", "g8")),
        ("planning.yaml", "options[1].goal", unknown("goal", "g9")),
    ]


def test_a_plan_goal_is_defined_by_the_assessment_or_a_next_period() -> None:
    def change(plan: dict[str, Any]) -> None:
        plan["goals"].append({"id": "g3", "withdrawn": {"date": "2026-03-01", "reason": "x"}})
        plan["goals"].append({"statement": "ilma id-ta"})

    case = edit(twin(), "plan.yaml", change)
    assert i17(case) == [("plan.yaml", "goals[2].id", {"goal": "g3"})]
    edit(case, build.EVALUATION, lambda e: e.update(next_period={"goals": [{"id": "g3"}]}))
    assert i17(case) == []


def test_plan_actions_name_goals_and_measures_that_exist() -> None:
    def change(plan: dict[str, Any]) -> None:
        plan["goals"][1]["withdrawn"] = {"date": "2026-03-01", "reason": "x"}  # still there
        plan["actions"][0]["goals"] = ["g2", "g7", 7]
        plan["actions"][0]["withdrawn"] = {"date": "2026-03-01", "reason": "x"}  # still there
        plan["actions"][1]["measure"] = "m9"
        plan["actions"][2]["measure"] = 9

    assert i17(edit(twin(), "plan.yaml", change)) == [
        ("plan.yaml", "actions[0].goals[1]", unknown("goal", "g7")),
        ("plan.yaml", "actions[1].measure", unknown("measure", "m9")),
    ]


def test_monitoring_names_measures_and_actions_that_exist() -> None:
    def change(entry: dict[str, Any]) -> None:
        entry["services"].append({"measure": "m9"})
        entry["services"].append({"measure": 9})
        entry["action_updates"].append({"action": "a9"})
        entry["action_updates"].append({"action": 9})

    case = edit(
        twin(), "plan.yaml", lambda p: p["actions"][1].update(withdrawn={"date": "2026-03-01"})
    )
    assert i17(edit(case, SERVICE, change)) == [
        (SERVICE, "action_updates[1].action", unknown("action", "a9")),
        (SERVICE, "services[1].measure", unknown("measure", "m9")),
    ]


def test_an_evaluation_evaluates_goals_that_exist() -> None:
    def change(evaluation: dict[str, Any]) -> None:
        evaluation["goal_results"] += [{"goal": "g5"}, {"goal": "g6"}, {"goal": "g4"}, {"goal": 4}]
        evaluation["next_period"] = {"goals": [{"id": "g6"}]}

    case = edit(twin(), "assessment.yaml", lambda a: a["goals"].append({"id": "g5"}))
    assert i17(edit(case, build.EVALUATION, change)) == [
        (build.EVALUATION, "goal_results[4].goal", unknown("goal", "g4"))
    ]


def test_closing_names_an_evaluation_of_the_case() -> None:
    missing = "evaluations/2026-06-16-zzzz.yaml"
    case = edit(twin(), "closing.yaml", lambda c: c.update(evaluation=missing))
    assert i17(case) == [("closing.yaml", "evaluation", unknown("evaluation", missing))]
    assert i17(edit(case, "closing.yaml", lambda c: c.update(evaluation=None))) == []
    assert i17(put(case, "closing.yaml", None)) == []


def test_documents_that_are_not_there_have_no_references() -> None:
    case = twin()
    for name in ("assessment.yaml", "planning.yaml", "plan.yaml"):
        put(case, name, None)
    # what referred to them no longer resolves; they themselves hold no reference
    assert {f for f, _, _ in i17(case)} == {build.EVALUATION, SERVICE}


# -- the plan's prior help ------------------------------------------------------------------------


def test_prior_help_names_entries_of_the_case_diary() -> None:
    case = edit(
        twin(), "plan.yaml", lambda p: p.update(prior_help=["diary/2026-01-07-ab12.yaml", 5])
    )
    assert run(plan_prior_help, case) == [
        (
            "plan.yaml",
            "error",
            "prior_help[0]",
            {"path": "diary/2026-01-07-ab12.yaml", "id": "twin-a1"},
        )
    ]
    put(case, "diary/2026-01-07-ab12.yaml", {"case": "twin-a1", "date": "2026-01-07"})
    assert run(plan_prior_help, case) == []
    assert run(plan_prior_help, put(case, "plan.yaml", None)) == []
