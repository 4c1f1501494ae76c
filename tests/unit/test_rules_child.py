"""A child's case (LasteKS): the child's view, the conclusions told to the child, the
notification decided in time, and the change of framework at 18; on the twin in memory made a
child's case, one edit each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from juhtum.model.invariants.child import (
    MISSING,
    child_told,
    child_views,
    framework_changes,
    notification_decided,
)
from tests.cases import build
from tests.unit.twin_memory import edit, found, put, run, twin

EVALUATION = build.EVALUATION
VIEW = {"statement": "Tahan kooli minna.", "weighed": "Arvestatud."}
BORN = "2008-10-15"  # of age on 2026-10-15


def child(case: Any) -> Any:
    return edit(case, "case.yaml", lambda c: c.update(framework="child"))


def viewed(case: Any) -> Any:
    """Every document of the child's case with the child's view."""
    for name in ("assessment.yaml", "plan.yaml", EVALUATION):
        edit(case, name, lambda d: d.update(child_view=dict(VIEW)))
    return case


def views(case: Any) -> list[tuple[str, str, str]]:
    return [(f, s, w) for f, s, w, _ in run(child_views, case)]


def test_an_adults_case_has_none_of_a_childs_rules() -> None:
    case = twin()
    for rule in (child_views, child_told, notification_decided, framework_changes):
        assert run(rule, case) == [], rule.__name__


def test_the_childs_view_at_each_stage() -> None:
    case = child(twin())
    assert [(p.file.split("/")[-1], p.message) for p in found(child_views, case)] == [
        ("assessment.yaml", MISSING["assessment"]),
        ("plan.yaml", MISSING["plan"]),
        (EVALUATION.split("/")[-1], MISSING["evaluation"]),
    ]
    assert {p.severity for p in found(child_views, case)} == {"warning"}
    assert views(viewed(case)) == []


def test_the_view_in_the_childs_words_and_how_it_was_weighed() -> None:
    case = viewed(child(twin()))
    edit(case, "plan.yaml", lambda p: p["child_view"].pop("statement"))
    edit(case, EVALUATION, lambda e: e["child_view"].update(weighed=""))
    assert views(case) == [
        (EVALUATION, "error", "child_view.weighed"),
        ("plan.yaml", "error", "child_view.statement"),
    ]
    assert all(p.missing for p in found(child_views, case))
    # or why the child's age or ability prevented it
    edit(case, "plan.yaml", lambda p: p["child_view"].update(not_possible={"cause": "age"}))
    edit(case, EVALUATION, lambda e: e["child_view"].update(not_possible="vanus"))
    assert views(case) == [(EVALUATION, "error", "child_view.weighed")]


def test_a_decision_that_differs_from_the_childs_view_says_why() -> None:
    case = viewed(child(twin()))
    edit(case, "plan.yaml", lambda p: p["child_view"].update(differs=True))
    assert views(case) == [("plan.yaml", "error", "child_view.differs_reason")]
    assert [p.missing for p in found(child_views, case)] == [True]
    edit(case, "plan.yaml", lambda p: p["child_view"].update(differs_reason="Ohutus."))
    assert views(case) == []
    edit(case, "plan.yaml", lambda p: p["child_view"].update(differs="jah", differs_reason=""))
    assert views(case) == []


def adult_from(day: str) -> Callable[[dict[str, Any]], None]:
    def change(c: dict[str, Any]) -> None:
        c.update(framework_changes=[{"date": day, "from": "child", "to": "adult"}])

    return change


def test_only_what_was_written_while_a_child_is_asked_for_their_view() -> None:
    case = edit(twin(), "case.yaml", adult_from("2026-02-01"))
    # the assessment (its person's view of 2026-01-20) was the child's
    assert views(case) == [("assessment.yaml", "warning", "child_view")]
    edit(case, "case.yaml", adult_from("2026-01-20"))
    assert views(case) == []
    edit(case, "case.yaml", adult_from("2026-06-16"))
    assert [f for f, _, _ in views(case)] == ["assessment.yaml", EVALUATION, "plan.yaml"]


def test_the_assessment_is_dated_by_the_persons_view_or_else_the_childs() -> None:
    case = edit(twin(), "case.yaml", adult_from("2026-02-01"))
    edit(case, "assessment.yaml", lambda a: a["client_view"].pop("date"))
    assert views(case) == []  # no date: under the framework of today
    edit(case, "assessment.yaml", lambda a: a.update(child_view={"date": "2026-01-25"}))
    assert views(case) == [
        ("assessment.yaml", "error", "child_view.statement"),
        ("assessment.yaml", "error", "child_view.weighed"),
    ]
    edit(case, "assessment.yaml", lambda a: a["client_view"].update(date="2026-03-01"))
    assert views(case) == []  # the person's view's date comes first


def test_documents_that_are_no_mapping_are_skipped() -> None:
    case = child(twin())
    for name in ("assessment.yaml", "plan.yaml", EVALUATION):
        put(case, name, ["not", "a", "mapping"])
    assert views(case) == []
    assert run(child_told, case) == []
    put(case, "evaluations/2026-07-01-bbbb.yaml", {"date": "2026-07-01", "shared_with": []})
    assert [f for f, _, _ in views(case)] == ["evaluations/2026-07-01-bbbb.yaml"]
    assert [f for f, _, _, _ in run(child_told, case)] == ["evaluations/2026-07-01-bbbb.yaml"]


def test_the_conclusions_are_told_to_the_child() -> None:
    case = child(twin())
    assert run(child_told, case) == []
    edit(case, EVALUATION, lambda e: e.update(shared_with=["tk", "ode"]))
    assert run(child_told, case) == [(EVALUATION, "warning", "shared_with", {"handle": "client"})]
    edit(case, EVALUATION, lambda e: e.update(child_not_told="vanus"))
    assert len(run(child_told, case)) == 1
    edit(case, EVALUATION, lambda e: e.update(child_not_told={"cause": "age"}))
    assert run(child_told, case) == []
    edit(case, EVALUATION, lambda e: e.pop("child_not_told"))
    edit(case, "case.yaml", adult_from("2026-06-15"))  # an adult by the evaluation
    edit(case, "case.yaml", lambda c: c.update(framework="adult"))
    assert run(child_told, case) == []
    edit(case, "case.yaml", adult_from("2026-06-16"))  # a child still at the evaluation
    assert len(run(child_told, case)) == 1


def test_each_evaluation_is_told_to_the_child() -> None:
    later = "evaluations/2026-07-01-bbbb.yaml"
    case = put(child(twin()), later, {"date": "2026-07-01", "shared_with": ["tk"]})
    assert [f for f, _, _, _ in run(child_told, case)] == [later]
    edit(case, EVALUATION, lambda e: e.update(shared_with=[], child_not_told={"cause": "age"}))
    assert [f for f, _, _, _ in run(child_told, case)] == [later]


# -- the notification is decided within 10 days -------------------------------------------------


def notified(received: str, decided: str | None = None) -> Callable[[dict[str, Any]], None]:
    def change(need: dict[str, Any]) -> None:
        need["notification"] = {"received": received, "channel": "phone"}
        if decided is None:
            need["decision"].pop("date", None)
        else:
            need["decision"]["date"] = decided

    return change


def notification(case: Any, today: str = "2026-06-01") -> list[tuple[str, str, dict[str, str]]]:
    return [(s, w, a) for _, s, w, a in run(notification_decided, case, today)]


def test_the_decision_on_the_notification_within_ten_days() -> None:
    case = edit(child(twin()), "need.yaml", notified("2026-01-01", "2026-01-11"))
    assert notification(case) == []
    edit(case, "need.yaml", notified("2026-01-01", "2026-01-12"))
    assert notification(case) == [
        (
            "warning",
            "decision.date",
            {"received": "2026-01-01", "decided": "2026-01-12", "days": "10"},
        )
    ]
    edit(case, "need.yaml", notified("2026-01-01", "2026-01-01"))
    assert notification(case) == []
    edit(case, "need.yaml", notified("2026-01-02", "2026-01-01"))
    assert notification(case) == [("error", "decision.date", {})]


def test_a_notification_not_yet_decided() -> None:
    case = edit(child(twin()), "need.yaml", notified("2026-05-01"))
    assert notification(case, "2026-05-11") == []
    assert notification(case, "2026-05-12") == [
        ("warning", "decision", {"received": "2026-05-01", "deadline": "2026-05-11"})
    ]


def test_only_a_childs_notification_is_timed() -> None:
    case = edit(twin(), "need.yaml", notified("2026-01-01", "2026-03-01"))
    assert notification(case) == []
    edit(case, "case.yaml", adult_from("2026-01-02"))  # a child when it came
    assert [s for s, _, _ in notification(case)] == ["warning"]
    edit(case, "case.yaml", adult_from("2026-01-01"))
    assert notification(case) == []
    put(child(case), "need.yaml", None)
    assert notification(case) == []


# -- the change of framework at 18 ----------------------------------------------------------------


def born(case: Any, day: str = BORN) -> Any:
    def change(person: dict[str, Any]) -> None:
        person.pop("personal_code", None)
        person["birth_date"] = day

    return edit(case, "people/client.yaml", change)


def changes(case: Any, *steps: tuple[str, str, str], framework: str = "adult") -> Any:
    entries = [{"date": d, "from": f, "to": t} for d, f, t in steps]
    return edit(
        case, "case.yaml", lambda c: c.update(framework=framework, framework_changes=entries)
    )


def framework(case: Any, today: str = "2026-11-23") -> list[tuple[str, str, dict[str, str]]]:
    return [(s, w, a) for _, s, w, a in run(framework_changes, case, today)]


def test_a_change_of_framework_on_the_18th_birthday_not_before() -> None:
    case = changes(born(twin()), ("2026-10-15", "child", "adult"))
    assert framework(case) == []
    changes(case, ("2026-10-14", "child", "adult"))
    assert framework(case) == [("error", "framework_changes[0].date", {})]
    born(case, "2008-10-13")
    assert framework(case) == []
    changes(case, ("2026-10-14", "adult", "child"), framework="child")  # not coming of age
    assert framework(case) == []


def test_each_change_follows_from_the_one_before() -> None:
    case = changes(born(twin(), "2000-01-01"), ("2026-01-01", "adult", "adult"))
    assert framework(case) == [("error", "framework_changes[0].from", {})]
    changes(
        case,
        ("2026-01-01", "child", "adult"),
        ("2026-02-01", "child", "adult"),
        ("2026-03-01", "adult", "child"),
        ("2026-04-01", "child", "adult"),
    )
    assert framework(case) == [("error", "framework_changes[1].from", {})]


def test_the_framework_is_the_last_changes() -> None:
    case = changes(born(twin(), "2000-01-01"), ("2026-01-01", "child", "adult"), framework="child")
    assert framework(case) == [("error", "framework", {"framework": "child", "to": "adult"})]
    changes(case, ("2026-01-01", "adult", "child"))
    assert framework(case) == [("error", "framework", {"framework": "adult", "to": "child"})]
    changes(case, ("2026-01-01", "child", "other"), framework="child")
    assert framework(case) == []  # no framework to compare: the schema's business
    edit(case, "case.yaml", lambda c: c.pop("framework_changes"))
    assert framework(case) == []


def test_a_child_who_turned_18_goes_on_as_an_adult_or_the_case_closes() -> None:
    case = changes(born(twin()), framework="child")
    edit(case, "case.yaml", lambda c: c.update(stage="implementation"))
    assert framework(case, "2026-10-14") == []
    assert framework(case, "2026-10-15") == [("warning", "framework", {"id": "twin-a1"})]
    edit(case, "case.yaml", lambda c: c.update(stage="closed"))
    assert framework(case, "2026-10-15") == []
    edit(case, "case.yaml", lambda c: c.update(stage="referred"))
    assert framework(case, "2026-10-15") == []
    changes(case)  # an adult's case
    edit(case, "case.yaml", lambda c: c.update(stage="implementation"))
    assert framework(case, "2026-10-15") == []


def test_without_a_birth_date_or_case_yaml_nothing_is_said() -> None:
    case = changes(born(twin(), "teadmata"), ("2026-01-01", "child", "adult"))
    assert framework(case) == []
    edit(case, "case.yaml", lambda c: c.update(stage="implementation", framework="child"))
    edit(case, "case.yaml", lambda c: c.pop("framework_changes"))
    assert framework(case) == []
    put(case, "case.yaml", None)
    assert framework(case) == []
