"""The rules of implementation (juhis §5) on the twin in memory, one edit each: I9 a change
of the plan announced to the person and to everyone responsible, and the monitoring gap."""

from __future__ import annotations

from juhtum.model.case import Case
from juhtum.model.hashing import content_hash
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


def test_without_monitoring_the_gap_runs_from_the_plan_in_force() -> None:
    case = implementing()
    drop(case, SERVICE)
    drop(case, CHANGE)
    assert found(case, monitoring_gap, today="2026-04-04") == []
    [problem] = run(case, monitoring_gap, today="2026-04-05")
    assert problem.args == {"date": "2026-02-03", "days": 60}


def test_the_latest_monitoring_entry_counts() -> None:
    case = implementing()
    edit(case, SERVICE, lambda m: m.update(date="2026-03-10"))
    assert found(case, monitoring_gap, today="2026-05-09") == []
    assert run(case, monitoring_gap, today="2026-05-10")[0].args["date"] == "2026-03-10"
    edit(case, SERVICE, lambda m: m.update(date="10.3.2026"))
    assert run(case, monitoring_gap, today="2026-05-10")[0].args["date"] == "2026-03-02"
    edit(case, SERVICE, lambda m: m.update(date="2026-3-10"))  # the latest, not a date
    assert found(case, monitoring_gap, today="2027-01-01") == []  # the schema reports it


def test_the_gap_only_in_implementation_with_a_plan() -> None:
    for stage in ("plan", "evaluation"):
        case = implementing()
        edit(case, "case.yaml", lambda c: c.update(stage=stage))  # noqa: B023
        assert found(case, monitoring_gap, today="2027-01-01") == [], stage
    case = implementing()
    drop(case, PLAN)
    assert found(case, monitoring_gap, today="2027-01-01") == []


def test_no_gap_without_a_date_to_count_from() -> None:
    case = implementing()
    drop(case, SERVICE)
    drop(case, CHANGE)
    edit(case, PLAN, lambda p: [s.pop("date") for s in p["signatures"]])
    edit(case, PLAN, lambda p: p.pop("date"))
    assert found(case, monitoring_gap, today="2027-01-01") == []


def test_responsible_parties_who_could_not_be_told_of_the_change() -> None:
    case = twin()
    representative(case, "ema", **{"from": "2026-03-01"})
    edit(case, PLAN, lambda p: p["actions"][0].update(responsible=["client", "ema"]))
    edit(case, CHANGE, lambda m: m.update(notified=["tk", "ode", "kk"]))
    # the plan as edited is no longer the announced one: re-announce it
    plan = case.doc("plan")
    assert plan is not None
    edit(case, CHANGE, lambda m: m.update(plan_hash=content_hash(plan.data)))
    errors = [p.args for p in run(case, i9_announced) if p.severity == "error"]
    assert errors == [{"handles": "client, ema"}, {"version": 2, "handles": "client, ema"}]
    edit(case, CHANGE, lambda m: m.update(not_possible={"notified": "in hospital"}))
    assert [p.severity for p in run(case, i9_announced)] == ["warning"]
    edit(case, "people/ema.yaml", lambda e: e["representation"].update({"from": "2026-03-03"}))
    errors = [p.args for p in run(case, i9_announced) if p.severity == "error"]
    assert errors == [{"version": 2, "handles": "ema"}]


def test_the_latest_announcement_of_the_plan_is_the_one_told() -> None:
    case = twin()
    again = {**case.monitoring[1].fields, "date": "2026-03-05", "notified": ["client", "ode"]}
    put(case, "monitoring/2026-03-05-k1k1.yaml", "monitoring", again)
    problems = run(case, i9_announced)
    assert [(p.file, p.args) for p in problems] == [
        (
            "cases/twin-a1/monitoring/2026-03-05-k1k1.yaml",
            {"version": 2, "handles": "kk, tk"},
        ),
        ("cases/twin-a1/plan.yaml", {"version": 2, "date": "2026-03-05", "signed": "1"}),
    ]


def test_no_signed_version_is_shown_as_a_dash() -> None:
    case = twin()
    edit(case, PLAN, lambda p: [s.pop("version") for s in p["signatures"]])
    assert [p.args.get("signed") for p in run(case, i9_announced)] == ["-"]
