"""The stage rule (domain.md, *Checking*) and the planning decision (juhis §3) on the twin in
memory, one edit each; and which documents a case may still hold as drafts."""

from __future__ import annotations

from juhtum.model.case import Case
from juhtum.model.invariants import draft_names
from juhtum.model.invariants.stage import planning_decided, stage_rule
from tests.unit.rules_twin import drop, edit, found, put, run, twin

PLANNING = "planning.yaml"
SERVICE = "monitoring/2026-02-20-a1b2.yaml"
CHANGE = "monitoring/2026-03-02-c3d4.yaml"
EVALUATION = "evaluations/2026-06-15-j9k0.yaml"


def in_stage(stage: str, *without: str) -> Case:
    case = twin()
    edit(case, "case.yaml", lambda c: c.update(stage=stage))
    for name in without:
        drop(case, name)
    return case


def test_the_twin_fits_its_stage() -> None:
    case = twin()
    assert found(case, stage_rule) == []
    assert found(case, planning_decided) == []


# -- planning (juhis §3) -----------------------------------------------------------------------------


def test_a_measure_still_negotiated() -> None:
    case = twin()
    edit(case, PLANNING, lambda p: p["measures"][0]["negotiation"].update(status="pending"))
    [problem] = run(case, planning_decided)
    assert (problem.rule, problem.severity, problem.missing) == ("stage", "error", True)
    assert problem.field == ("measures", 0, "negotiation", "status")
    assert problem.file == "cases/twin-a1/planning.yaml"
    assert problem.args == {"measure": "m1"}
    edit(case, PLANNING, lambda p: p["measures"][0].pop("id"))
    assert [p.args for p in run(case, planning_decided)] == [{"measure": "1"}]
    edit(case, PLANNING, lambda p: p["measures"][0].update(withdrawn=True))
    assert found(case, planning_decided) == []


def test_a_withdrawn_measure_does_not_hide_the_next() -> None:
    case = twin()
    edit(
        case,
        PLANNING,
        lambda p: p["measures"].insert(0, {"id": "m0", "withdrawn": True}),
    )
    edit(case, PLANNING, lambda p: p["measures"][1]["negotiation"].update(status="pending"))
    assert [(p.field[1], p.args) for p in run(case, planning_decided)] == [(1, {"measure": "m1"})]


def test_the_informed_decision_is_recorded() -> None:
    case = twin()
    edit(case, PLANNING, lambda p: p["informed_decision"].update(explained=False))
    [problem] = run(case, planning_decided)
    assert (problem.field, problem.missing) == (("informed_decision", "explained"), True)
    assert (problem.rule, problem.severity, problem.file) == (
        "stage",
        "error",
        "cases/twin-a1/planning.yaml",
    )
    assert problem.args == {}
    edit(case, PLANNING, lambda p: p["informed_decision"].update(consequences_explained=False))
    assert [p.field[1] for p in run(case, planning_decided)] == [
        "explained",
        "consequences_explained",
    ]
    edit(case, PLANNING, lambda p: p.update(informed_decision=[False]))
    assert found(case, planning_decided) == []
    drop(case, PLANNING)
    assert found(case, planning_decided) == []


# -- the documents of the stages passed and the current one -------------------------------------------


def test_a_stage_document_passed_is_missing() -> None:
    case = in_stage("plan", "assessment.yaml", "closing.yaml")
    [problem] = run(case, stage_rule)
    assert (problem.severity, problem.file, problem.missing) == (
        "error",
        "cases/twin-a1/assessment.yaml",
        False,
    )
    assert problem.args == {"document": "assessment.yaml", "stage": "plan"}


def test_the_current_stage_document_is_to_be_written() -> None:
    case = in_stage("planning", PLANNING, "plan.yaml", "closing.yaml", SERVICE, CHANGE)
    [problem] = run(case, stage_rule)
    assert (problem.severity, problem.file, problem.missing) == (
        "error",
        "cases/twin-a1/planning.yaml",
        True,
    )
    assert problem.args == {"document": "planning.yaml", "clause": "juhis §3"}
    assert found(in_stage("implementation", "closing.yaml"), stage_rule) == []


def test_an_unknown_stage_is_left_to_the_schema() -> None:
    case = in_stage("suletud", "need.yaml", "plan.yaml")
    assert found(case, stage_rule) == []


# -- the need decision and the stage ------------------------------------------------------------------


def test_a_case_past_need_is_one_of_case_management() -> None:
    case = in_stage("assessment", "closing.yaml")
    edit(case, "need.yaml", lambda n: n["decision"].update(outcome="single_service"))
    [problem] = run(case, stage_rule)
    assert (problem.file, problem.field) == ("cases/twin-a1/need.yaml", ("decision", "outcome"))
    assert problem.args == {"outcome": "single_service", "stage": "assessment"}
    edit(case, "case.yaml", lambda c: c.update(stage="need"))
    assert found(case, stage_rule) == []
    edit(case, "case.yaml", lambda c: c.update(stage="evaluation"))
    assert len(run(case, stage_rule)) == 1
    edit(case, "need.yaml", lambda n: n["decision"].pop("outcome"))
    assert found(case, stage_rule) == []


def test_the_outcome_is_not_asked_without_the_need_document() -> None:
    case = in_stage("assessment", "closing.yaml", "need.yaml")
    # need.yaml missing is reported; no outcome to compare
    assert [p.args.get("document") for p in run(case, stage_rule)] == ["need.yaml"]


# -- closing ------------------------------------------------------------------------------------------


def test_closing_only_in_a_closed_case() -> None:
    case = in_stage("evaluation")
    [problem] = run(case, stage_rule)
    assert (problem.file, problem.args) == ("cases/twin-a1/closing.yaml", {"stage": "evaluation"})
    assert problem.field == ()


def test_a_closed_case_has_its_closing() -> None:
    case = twin()
    drop(case, "closing.yaml")
    [problem] = run(case, stage_rule)
    assert (problem.severity, problem.file, problem.missing) == (
        "error",
        "cases/twin-a1/closing.yaml",
        False,
    )


def test_a_case_without_case_management_does_not_close_as_achieved() -> None:
    for outcome in ("no_help_needed", "declined"):
        case = twin()
        edit(case, "need.yaml", lambda n: n["decision"].update(outcome=outcome))  # noqa: B023
        [problem] = run(case, stage_rule)
        assert (problem.file, problem.field) == ("cases/twin-a1/closing.yaml", ("reason",))
        assert problem.args == {"outcome": outcome}
        edit(case, "closing.yaml", lambda c: c.update(reason="no_longer_needed"))
        assert found(case, stage_rule) == []
    case = twin()
    edit(case, "need.yaml", lambda n: n["decision"].update(outcome="single_service"))
    assert found(case, stage_rule) == []


# -- referred -----------------------------------------------------------------------------------------


def test_a_referred_case_records_its_referrals() -> None:
    case = in_stage("referred", "closing.yaml")
    [problem] = run(case, stage_rule)
    assert (problem.file, problem.field) == ("cases/twin-a1/need.yaml", ("decision", "referrals"))
    edit(case, "need.yaml", lambda n: n["decision"].update(referrals=[{"to": "tk"}]))
    assert found(case, stage_rule) == []
    edit(case, "need.yaml", lambda n: n["decision"].pop("referrals"))
    edit(case, "assessment.yaml", lambda a: a.update(referrals=[{"to": "tk"}]))
    assert found(case, stage_rule) == []


# -- monitoring after the signature -------------------------------------------------------------------


def test_monitoring_before_the_plan_was_signed() -> None:
    case = twin()
    edit(case, SERVICE, lambda m: m.update(date="2026-02-01"))
    edit(case, CHANGE, lambda m: m.update(date="2026-02-01"))
    [problem] = run(case, stage_rule)  # said once
    assert (problem.file, problem.field) == (f"cases/twin-a1/{SERVICE}", ("date",))
    edit(case, SERVICE, lambda m: m.update(date="2026-02-02"))  # the day of the first signature
    assert [p.file for p in run(case, stage_rule)] == [f"cases/twin-a1/{CHANGE}"]


def test_monitoring_on_the_day_of_the_first_signature() -> None:
    case = twin()
    edit(case, SERVICE, lambda m: m.update(date="2026-02-02"))
    assert found(case, stage_rule) == []


def test_monitoring_of_a_plan_never_signed() -> None:
    case = twin()
    edit(case, "plan.yaml", lambda p: p.update(signatures=[]))
    assert [p.file for p in run(case, stage_rule)] == [f"cases/twin-a1/{SERVICE}"]
    edit(case, SERVICE, lambda m: m.update(date="20.2.2026"))
    assert [p.file for p in run(case, stage_rule)] == [f"cases/twin-a1/{CHANGE}"]


# -- drafts -------------------------------------------------------------------------------------------


def test_the_drafts_of_an_open_stage_are_its_document_and_the_later_ones() -> None:
    assert draft_names(in_stage("need")) == {
        "need.yaml",
        "assessment.yaml",
        "planning.yaml",
        "plan.yaml",
    }
    assert draft_names(in_stage("planning")) == {"planning.yaml", "plan.yaml"}
    assert draft_names(in_stage("plan")) == {"plan.yaml"}
    assert draft_names(in_stage("implementation")) == set()
    assert draft_names(in_stage("referred")) == set()


def test_in_evaluation_the_latest_evaluation_is_the_draft() -> None:
    case = in_stage("evaluation")
    assert draft_names(case) == {EVALUATION}
    put(case, "evaluations/2026-09-01-x1y2.yaml", "evaluation", {"date": "2026-09-01"})
    assert draft_names(case) == {"evaluations/2026-09-01-x1y2.yaml"}
    assert draft_names(in_stage("evaluation", EVALUATION)) == set()


def test_a_case_that_cannot_continue_leaves_its_stage_document_a_draft() -> None:
    def stopped(reason: str, *without: str) -> set[str]:
        case = twin()
        edit(case, "closing.yaml", lambda c: c.update(reason=reason))
        for name in (SERVICE, CHANGE, EVALUATION, *without):
            drop(case, name)
        return draft_names(case)

    assert stopped("cannot_continue") == {"plan.yaml"}
    assert stopped("transferred", "plan.yaml") == {"planning.yaml"}
    assert stopped("cannot_continue", "plan.yaml", PLANNING, "assessment.yaml") == {"need.yaml"}
    assert stopped("cannot_continue", "plan.yaml", PLANNING, "assessment.yaml", "need.yaml") == (
        set()
    )
    assert stopped("goals_achieved") == set()
    assert stopped("no_longer_needed") == set()


def test_once_monitored_or_evaluated_a_closed_case_has_no_draft() -> None:
    for kept in (SERVICE, EVALUATION):
        case = twin()
        edit(case, "closing.yaml", lambda c: c.update(reason="cannot_continue"))
        for name in {SERVICE, CHANGE, EVALUATION} - {kept}:
            drop(case, name)
        assert draft_names(case) == set(), kept
    case = twin()
    edit(case, "closing.yaml", lambda c: c.update(reason="cannot_continue"))
    edit(case, "case.yaml", lambda c: c.update(stage="referred"))
    for name in (SERVICE, CHANGE, EVALUATION):
        drop(case, name)
    assert draft_names(case) == set()
