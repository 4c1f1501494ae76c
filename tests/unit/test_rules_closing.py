"""Evaluation and closing (juhis §6, §7): I10 no closing without the evaluation that decided it,
every evaluation evaluates each goal and is shared; I11 closing prepared with the person, and
``not_possible`` only for a case that cannot continue. On the twin in memory, one edit each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from juhtum.model.invariants.closing import i10_evaluation, i11_closing_prepared, i11_not_possible
from tests.cases import build
from tests.unit.twin_memory import edit, found, put, run, twin

CLOSING = "closing.yaml"
EVALUATION = build.EVALUATION
EARLIER = "evaluations/2026-04-15-aaaa.yaml"


def i10(case: Any) -> list[tuple[str, str, dict[str, str]]]:
    return [(f, w, a) for f, s, w, a in run(i10_evaluation, case) if s == "error"]


def i11(case: Any) -> list[str]:
    """The fields I11 names."""
    return [w for _, _, w, _ in run(i11_closing_prepared, case)]


def unsigned(plan: dict[str, Any]) -> None:
    plan["signatures"] = []


def because(reason: str) -> Callable[[dict[str, Any]], None]:
    return lambda closing: closing.update(reason=reason)


def earlier(**fields: Any) -> dict[str, Any]:
    """An evaluation before the twin's, deciding to go on."""
    return {"case": "twin-a1", "date": "2026-04-15", "decision": "continue", **fields}


# -- I10: every evaluation evaluates each goal of the plan ----------------------------------------


def test_the_twin_is_evaluated_and_closed_as_it_should_be() -> None:
    case = twin()
    assert run(i10_evaluation, case) == []
    assert run(i11_closing_prepared, case) == []


def test_an_evaluation_gives_a_result_for_every_goal() -> None:
    case = edit(twin(), EVALUATION, lambda e: e["goal_results"].pop(1))
    [problem] = [p for p in found(i10_evaluation, case) if p.file.endswith(EVALUATION)]
    assert (problem.field, problem.args, problem.missing) == (
        ("goal_results",),
        {"goal": "g2"},
        True,
    )
    # without goal_results at all, the schema asks for them
    assert i10(edit(case, EVALUATION, lambda e: e.pop("goal_results"))) == []


def test_a_goal_without_an_id_is_not_asked_for() -> None:
    case = edit(twin(), "plan.yaml", lambda p: p["goals"][1].pop("id"))
    assert i10(case) == []


def test_a_goal_set_by_this_or_a_later_evaluations_next_period_is_not_yet_evaluated() -> None:
    def goal_g3(plan: dict[str, Any]) -> None:
        plan["goals"].append({"id": "g3", "statement": "Uus eesmärk.", "deadline": "2026-12-31"})

    case = edit(twin(), "plan.yaml", goal_g3)
    put(case, EARLIER, earlier(goal_results=[{"goal": "g1"}, {"goal": "g2"}]))
    assert [(f, a) for f, _, a in i10(case) if f == EARLIER] == [(EARLIER, {"goal": "g3"})]
    # set by the earlier evaluation: the later one evaluates it
    edit(case, EARLIER, lambda e: e.update(next_period={"goals": [{"id": "g3"}]}))
    assert [(f, a) for f, _, a in i10(case)] == [(EVALUATION, {"goal": "g3"})]
    # set by the later one: the earlier is not asked for it either
    edit(case, EARLIER, lambda e: e.pop("next_period"))
    edit(case, EVALUATION, lambda e: e.update(next_period={"goals": ["g3", {"id": "g3"}]}))
    assert i10(case) == []


def test_an_evaluation_that_is_no_mapping_is_skipped_and_the_next_still_checked() -> None:
    case = put(twin(), EARLIER, ["not", "a", "mapping"])
    assert i10(case) == []
    edit(case, EVALUATION, lambda e: e.update(shared_with=["client", "ode"]))
    # the twin's evaluation is still the last: its providers are told
    assert i10(case) == [(EVALUATION, "shared_with", {"handles": "tk"})]


def test_an_evaluation_from_the_plans_own_day_on_is_shared_with_its_providers() -> None:
    case = edit(twin(), EVALUATION, lambda e: e.update(shared_with=["client"], date="2026-02-02"))
    [problem] = found(i10_evaluation, case)
    assert (problem.field, problem.args, problem.missing) == (
        ("shared_with",),
        {"handles": "tk"},
        True,
    )
    edit(case, EVALUATION, lambda e: e.update(date="2026-02-01"))
    assert i10(case) == []


def test_only_the_last_evaluation_is_shared_with_the_providers() -> None:
    case = put(twin(), EARLIER, earlier(goal_results=[{"goal": "g1"}, {"goal": "g2"}]))
    edit(case, EARLIER, lambda e: e.update(shared_with=["client"]))
    assert i10(case) == []
    edit(case, EARLIER, lambda e: e.update(shared_with=[]))
    assert i10(case) == [(EARLIER, "shared_with", {"handles": "client"})]


def test_an_evaluation_without_a_date_is_shared_with_the_person_only() -> None:
    case = edit(twin(), EVALUATION, lambda e: e.update(shared_with=["client"]))
    edit(case, EVALUATION, lambda e: e.pop("date"))
    assert i10(case) == []
    edit(case, EVALUATION, lambda e: e.update(date="2026-06-15"))
    edit(case, "plan.yaml", lambda p: p.pop("date"))
    assert i10(case) == []


def child_until(case: Any, day: str) -> None:
    """The case of a child who went on in the adult framework from ``day``; ode represented
    them."""
    put(
        case,
        "people/ode.yaml",
        {"case": "twin-a1", "name": "Mare Kõrvits", "roles": ["network", "representative"]},
    )

    def change(c: dict[str, Any]) -> None:
        c.update(
            representatives=["ode"],
            framework_changes=[{"date": day, "from": "child", "to": "adult"}],
        )

    edit(case, "case.yaml", change)


def test_a_childs_evaluation_is_shared_with_the_representatives() -> None:
    case = twin()
    child_until(case, "2026-07-01")  # the evaluation of 2026-06-15 was the child's
    edit(case, EVALUATION, lambda e: e.update(shared_with=["client", "tk"]))
    assert i10(case) == [(EVALUATION, "shared_with", {"handles": "ode"})]
    edit(case, EVALUATION, lambda e: e.update(shared_with=["ode", "tk"]))
    assert i10(case) == []
    child_until(case, "2026-06-01")  # an adult by then: the person themself
    assert i10(case) == [(EVALUATION, "shared_with", {"handles": "client"})]


def test_a_child_turned_adult_shared_with_the_representatives_of_the_evaluations_day() -> None:
    case = twin()
    child_until(case, "2026-07-01")
    edit(case, "case.yaml", lambda c: c.update(representatives=["ode", "kk"]))
    edit(case, "people/ode.yaml", lambda p: p.update(representation={"until": "2026-06-30"}))
    # a guardian appointed for the adult: not the child's representative at the evaluation
    guardian = {"basis": "guardianship", "from": "2026-07-01"}
    edit(
        case,
        "people/kk.yaml",
        lambda p: p.update(roles=["representative"], representation=guardian),
    )
    edit(case, EVALUATION, lambda e: e.update(shared_with=["ode", "tk"]))
    assert i10(case) == []


def test_in_a_childs_case_the_representatives_of_the_evaluations_day() -> None:
    case = twin()
    edit(case, "case.yaml", lambda c: c.update(framework="child", representatives=["ode", "kk"]))
    put(
        case,
        "people/kk.yaml",
        {
            "case": "twin-a1",
            "name": "Kaja Kuusk",
            "roles": ["representative"],
            "representation": {"basis": "custody", "from": "2026-07-01"},
        },
    )
    edit(case, EVALUATION, lambda e: e.update(shared_with=["tk"]))
    assert i10(case) == [(EVALUATION, "shared_with", {"handles": "ode"})]


# -- I10: no closing without the evaluation that decided it --------------------------------------


def test_a_closing_reason_that_needs_the_deciding_evaluation() -> None:
    no_evaluation: list[tuple[str, str, dict[str, str]]] = [(CLOSING, "evaluation", {})]
    case = edit(twin(), CLOSING, lambda c: c.pop("evaluation"))
    for reason in ("goals_achieved", "no_longer_needed", "referred"):
        edit(case, CLOSING, because(reason))
        assert i10(case) == no_evaluation, reason
    [problem] = found(i10_evaluation, case)
    assert problem.missing
    for reason in ("cannot_continue", "transferred", "other"):
        edit(case, CLOSING, because(reason))
        assert i10(case) == [], reason
    # a plan never signed: only goals achieved still needs it
    edit(case, "plan.yaml", unsigned)
    for reason in ("no_longer_needed", "referred"):
        edit(case, CLOSING, because(reason))
        assert i10(case) == [], reason
    edit(case, CLOSING, lambda c: c.update(reason="goals_achieved"))
    assert i10(case) == no_evaluation


def test_an_evaluation_that_does_not_exist_is_left_to_i17() -> None:
    case = edit(twin(), CLOSING, lambda c: c.update(evaluation="evaluations/2026-06-16-zzzz.yaml"))
    assert i10(case) == []


def test_the_evaluation_named_decided_to_close() -> None:
    case = edit(twin(), EVALUATION, lambda e: e.pop("decision"))
    assert i10(case) == [(CLOSING, "evaluation", {"path": EVALUATION, "decision": "-"})]
    # so decided, the goals of the evaluation are not weighed again
    edit(case, EVALUATION, lambda e: e.update(decision="continue"))
    edit(case, EVALUATION, lambda e: e["goal_results"][0].update(result="not_achieved"))
    assert i10(case) == [(CLOSING, "evaluation", {"path": EVALUATION, "decision": "continue"})]


def test_goals_achieved_asks_only_the_active_goals_evaluated() -> None:
    case = edit(twin(), EVALUATION, lambda e: e["goal_results"][0].update(result="partly"))
    assert i10(case) == [(CLOSING, "reason", {"path": EVALUATION, "goal": "g1"})]
    # a goal withdrawn from the plan need not be achieved
    edit(
        case,
        "plan.yaml",
        lambda p: p["goals"][0].update(withdrawn={"date": "2026-05-01", "reason": "Ei ole vaja."}),
    )
    assert i10(case) == []


def test_safety_is_weighed_when_work_cannot_continue_or_moves() -> None:
    danger: list[tuple[str, str, dict[str, str]]] = [
        (CLOSING, "safety.endangers_life_or_health", {})
    ]
    case = edit(twin(), CLOSING, lambda c: c.update(safety={"endangers_life_or_health": True}))
    assert i10(case) == []  # goals achieved: the evaluation decided
    for reason in ("cannot_continue", "transferred"):
        edit(case, CLOSING, because(reason))
        assert i10(case) == danger, reason
    edit(case, CLOSING, lambda c: c.update(safety={"endangers_life_or_health": "jah"}))
    assert i10(case) == []


# -- I11: closing prepared with the person ---------------------------------------------------------


def cannot_continue(**reasons: Any) -> Any:
    def change(closing: dict[str, Any]) -> None:
        closing.update(reason="cannot_continue", not_possible=reasons)

    return change


STEPS = ("feedback", "rights_explained", "consequences_explained", "strategies", "resources")


def drop_steps(closing: dict[str, Any]) -> None:
    for key in (*STEPS, "help_contacts"):
        closing.pop(key)


def test_each_step_of_closing_is_recorded_or_not_possible_with_a_reason() -> None:
    case = edit(twin(), CLOSING, drop_steps)
    assert i11(case) == sorted([*STEPS, "help_contacts"])
    for p in found(i11_closing_prepared, case):
        assert p.missing and p.severity == "error"
        assert p.message.startswith("record ") and "(juhis §7" in p.message, p.message
    edit(case, CLOSING, cannot_continue(**dict.fromkeys(STEPS, "Liina kolis ära.")))
    assert i11(case) == ["help_contacts"]
    # a reason left empty is no reason
    edit(case, CLOSING, cannot_continue(feedback="", rights_explained=None))
    assert i11(case) == sorted([*STEPS, "help_contacts"])


def test_not_possible_excuses_nothing_unless_work_cannot_continue() -> None:
    case = edit(twin(), CLOSING, drop_steps)
    edit(case, CLOSING, cannot_continue(feedback="Liina kolis ära."))
    edit(case, CLOSING, lambda c: c.update(reason="transferred"))
    assert "feedback" in i11(case)
    assert ("not_possible", "error") in [(w, s) for _, s, w, _ in run(i11_not_possible, case)]


def test_explained_means_true() -> None:
    case = edit(twin(), CLOSING, lambda c: c.update(rights_explained="jah"))
    assert i11(case) == ["rights_explained"]


# -- I11: not possible beside a record that the step was taken -------------------------------------


def test_not_possible_only_for_a_case_that_cannot_continue() -> None:
    case = edit(twin(), CLOSING, lambda c: c.update(not_possible={"resources": "Ei saanud."}))
    # said once, not again for each step recorded as taken
    assert run(i11_not_possible, case) == [(CLOSING, "error", "not_possible", {})]
    edit(case, CLOSING, lambda c: c.update(not_possible="Ei saanud."))
    assert run(i11_not_possible, case) == []


def test_a_step_is_either_taken_or_not_possible() -> None:
    reasons = dict.fromkeys((*STEPS, "help_contacts"), "Liina ei tulnud kohale.")
    case = edit(twin(), CLOSING, cannot_continue(**reasons))
    both = run(i11_not_possible, case)
    assert [(w, a) for _, _, w, a in both] == [
        (f"not_possible.{key}", {"key": key}) for key in sorted(reasons)
    ]

    def not_taken(closing: dict[str, Any]) -> None:
        closing.update(
            feedback={"collected": False},
            rights_explained=False,
            consequences_explained=None,
            strategies="",
            resources=[],
        )
        closing.pop("help_contacts")

    edit(case, CLOSING, not_taken)
    assert run(i11_not_possible, case) == []
    # feedback counts as taken only when collected, whatever else it says
    edit(case, CLOSING, lambda c: c.update(feedback=True))
    assert run(i11_not_possible, case) == []
    edit(case, CLOSING, lambda c: c.update(feedback={"collected": True}, strategies=True))
    assert [w for _, _, w, _ in run(i11_not_possible, case)] == [
        "not_possible.feedback",
        "not_possible.strategies",
    ]
