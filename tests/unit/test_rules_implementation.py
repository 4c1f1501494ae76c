"""The rules of implementation (juhis §5) on the twin in memory, one edit each: I9 a change
of the plan announced to the person and to everyone responsible, and the monitoring gap."""

from __future__ import annotations

from juhtum.model.case import Case
from juhtum.model.invariants.implementation import i9_announced, monitoring_gap
from tests.unit.rules_twin import drop, edit, found, put, representative, run, twin

PLAN = "plan.yaml"
SERVICE = "monitoring/2026-02-20-a1b2.yaml"
CHANGE = "monitoring/2026-03-02-c3d4.yaml"


def test_the_twins_change_is_announced() -> None:
    case = twin()
    [problem] = run(case, i9_announced)
    assert (problem.rule, problem.severity, problem.file, problem.field) == (
        "I9",
        "warning",
        "cases/twin-a1/plan.yaml",
        ("version",),
    )
    assert problem.args == {"version": 2, "date": "2026-03-02", "signed": "1"}


def test_without_a_plan_nothing_is_checked() -> None:
    case = twin()
    edit(case, CHANGE, lambda m: m.update(notified=[], plan_version=5))
    drop(case, PLAN)
    assert found(case, i9_announced) == []


def test_a_change_announcing_a_version_the_plan_has_not() -> None:
    case = twin()
    put(
        case,
        "monitoring/2026-04-01-x1x1.yaml",
        "monitoring",
        {"date": "2026-04-01", "kind": "plan_change", "plan_version": 3, "notified": ["client"]},
    )
    problems = run(case, i9_announced)
    assert [(p.severity, p.field, p.args) for p in problems[:1]] == [
        ("error", ("plan_version",), {"announced": 3, "version": 2})
    ]
    assert problems[0].file == "cases/twin-a1/monitoring/2026-04-01-x1x1.yaml"
    edit(case, "monitoring/2026-04-01-x1x1.yaml", lambda m: m.update(plan_version=2))
    assert [p.severity for p in run(case, i9_announced)] == ["warning"]
    edit(
        case,
        "monitoring/2026-04-01-x1x1.yaml",
        lambda m: m.update(kind="service_check", plan_version=3),
    )
    assert [p.severity for p in run(case, i9_announced)] == ["warning"]


def test_the_change_is_announced_to_everyone_responsible() -> None:
    case = twin()
    edit(case, CHANGE, lambda m: m.update(notified=["client", "ode", "kk"]))
    problems = run(case, i9_announced)
    assert [(p.severity, p.file, p.field, p.args) for p in problems] == [
        ("error", f"cases/twin-a1/{CHANGE}", ("notified",), {"version": 2, "handles": "tk"}),
        (
            "warning",
            "cases/twin-a1/plan.yaml",
            ("version",),
            {"version": 2, "date": "2026-03-02", "signed": "1"},
        ),
    ]


def test_the_change_is_told_to_the_person_and_representatives_then() -> None:
    case = twin()
    edit(case, CHANGE, lambda m: m.update(notified=["tk", "ode", "kk"]))
    problems = run(case, i9_announced)
    assert [(p.field, p.args) for p in problems if p.severity == "error"] == [
        (("notified",), {"handles": "client"}),
        (("notified",), {"version": 2, "handles": "client"}),
    ]
    edit(case, CHANGE, lambda m: m.update(not_possible={"notified": "in hospital"}))
    assert [p.severity for p in run(case, i9_announced)] == ["warning"]
    representative(case, "ema", **{"from": "2026-03-02"})
    edit(case, CHANGE, lambda m: m.update(notified=["client", "tk", "ode", "kk"], not_possible={}))
    assert [p.args.get("handles") for p in run(case, i9_announced)] == ["ema", None]
    representative(case, "isa", **{"from": "2026-03-03"})
    assert [p.args.get("handles") for p in run(case, i9_announced)] == ["ema", None]


def test_the_signed_versions_are_listed() -> None:
    case = twin()
    edit(case, PLAN, lambda p: p["signatures"][1].update(version=0))
    edit(case, PLAN, lambda p: p["signatures"][2].update(version="1"))
    edit(case, PLAN, lambda p: p["signatures"].append("client"))
    assert run(case, i9_announced)[-1].args["signed"] == "0, 1"


# -- the monitoring gap ------------------------------------------------------------------------------


def implementing() -> Case:
    case = twin()
    edit(case, "case.yaml", lambda c: c.update(stage="implementation"))
    drop(case, "closing.yaml")
    drop(case, "evaluations/2026-06-15-j9k0.yaml")
    return case


def test_a_case_without_monitoring_for_too_long() -> None:
    case = implementing()
    assert found(case, monitoring_gap, today="2026-05-01") == []  # 60 days after 2026-03-02
    [problem] = run(case, monitoring_gap, today="2026-05-02")
    assert (problem.rule, problem.severity, problem.file, problem.field) == (
        "stage",
        "warning",
        "cases/twin-a1/monitoring",
        (),
    )
    assert problem.args == {"date": "2026-03-02", "days": 60}
    assert found(case, monitoring_gap, today="2026-05-02", monitoring_gap_days=61) == []
    assert found(case, monitoring_gap, today="2026-05-03", monitoring_gap_days=61) != []
