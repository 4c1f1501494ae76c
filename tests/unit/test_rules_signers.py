"""I8 for the person's side (juhis §4.2): a representative signs within their period, one
appointed after the plan signs the plan in force, a child's plan is signed by a representative,
and the person's view of the plan is heard; on the twin in memory, one edit each."""

from __future__ import annotations

from juhtum.model.invariants.signatures import i8_signatures
from tests.unit.rules_twin import edit, representative, run, twin
from tests.unit.test_rules_signatures import PLAN, parties, record, signed_now, without

# -- representatives: their period, appointed later, a child's plan -----------------------------


def test_a_representative_signing_outside_their_period_does_not_count() -> None:
    case = twin()
    representative(
        case, "ema", basis="guardianship", **{"from": "2026-01-01", "until": "2026-02-01"}
    )
    signed_now(case)
    record(case, "ema", "signed")  # on 2026-02-04
    problems = run(case, i8_signatures)
    assert [(p.severity, p.field, p.args) for p in problems] == [
        (
            "error",
            ("signatures", 4, "date"),
            {"party": "ema", "date": "2026-02-04", "start": "2026-01-01", "end": "2026-02-01"},
        )
    ]
    assert not problems[0].missing
    edit(case, "people/ema.yaml", lambda e: e["representation"].pop("from"))
    edit(case, PLAN, lambda p: p["signatures"][4].pop("date"))
    # without a date a representative is in force: the schema reports the date
    assert run(case, i8_signatures) == []


def test_a_representative_responsible_for_an_action_signs_as_a_party() -> None:
    case = twin()
    representative(case, "ema", basis="other", until="2026-02-01")
    edit(case, PLAN, lambda p: p["actions"][2].update(responsible=["ode", "ema"]))
    signed_now(case)
    record(case, "ema", "signed")
    assert run(case, i8_signatures) == []


def test_an_open_period_is_shown_as_such() -> None:
    case = twin()
    representative(case, "ema", basis="custody", **{"from": "2026-03-01"})
    signed_now(case)
    record(case, "ema", "signed")
    problem, late = run(case, i8_signatures)
    assert problem.args == {"party": "ema", "date": "2026-02-04", "start": "2026-03-01", "end": "…"}
    # the signature before the period does not count: they are yet to sign the plan in force
    assert (late.severity, late.args["party"]) == ("warning", "ema")
    edit(
        case,
        "people/ema.yaml",
        lambda e: e["representation"].update({"from": None, "until": "2026-02-01"}),
    )
    [problem] = run(case, i8_signatures)
    assert (problem.args["start"], problem.args["end"]) == ("…", "2026-02-01")
    edit(case, PLAN, lambda p: p["signatures"][4].update(date=None))
    edit(case, "people/ema.yaml", lambda e: e["representation"].update(until="2026-02-01"))
    assert run(case, i8_signatures) == []


def test_a_representative_appointed_after_the_plan_signs_the_plan_in_force() -> None:
    case = twin()
    signed_now(case)
    representative(case, "eestkostja", basis="guardianship", **{"from": "2026-04-01"})
    [problem] = run(case, i8_signatures)
    assert (problem.severity, problem.field, problem.missing) == ("warning", ("signatures",), False)
    assert problem.args == {"party": "eestkostja", "date": "2026-04-01", "id": "twin-a1"}
    record(case, "eestkostja", "signed", date="2026-04-02")
    assert run(case, i8_signatures) == []


def test_a_representative_of_the_plans_day_is_not_late() -> None:
    case = twin()
    signed_now(case)
    representative(case, "ema", basis="custody", **{"from": "2026-02-02"})
    assert [(p.severity, p.args) for p in run(case, i8_signatures)] == [("error", {"party": "ema"})]
    case = twin()
    signed_now(case)
    representative(case, "ema", basis="custody")
    assert parties(case) == ["ema"]


def test_late_only_when_everyone_else_has_signed_and_someone_for_the_person() -> None:
    case = twin()
    signed_now(case)
    without(case, "tk")
    representative(case, "eestkostja", basis="guardianship", **{"from": "2026-04-01"})
    assert [(p.severity, p.args) for p in run(case, i8_signatures)] == [
        ("error", {"party": "eestkostja"}),
        ("error", {"party": "tk"}),
    ]
    case = twin()
    edit(case, PLAN, lambda p: p.update(client_view={"statement": "nõus"}))
    signed_now(case)
    without(case, "client")
    representative(case, "eestkostja", basis="guardianship", **{"from": "2026-04-01"})
    assert [p.args["party"] for p in run(case, i8_signatures)][-2:] == ["client", "eestkostja"]


def test_late_representatives_after_a_plan_without_a_date() -> None:
    case = twin()
    edit(case, PLAN, lambda p: p.pop("date"))
    signed_now(case)
    representative(case, "eestkostja", basis="guardianship", **{"from": "2026-04-01"})
    assert [(p.severity, p.args) for p in run(case, i8_signatures)] == [
        ("error", {"party": "eestkostja"})
    ]


def test_a_childs_plan_is_signed_by_a_representative() -> None:
    case = twin()
    signed_now(case)
    edit(case, "case.yaml", lambda c: c.update(framework="child"))
    problems = run(case, i8_signatures)
    assert [(p.severity, p.field, p.missing) for p in problems] == [
        ("error", ("signatures",), True)
    ]
    assert "lists no representatives" in problems[0].message
    representative(case, "ema", basis="custody", until="2026-05-01")
    problems = run(case, i8_signatures)
    assert [(p.severity, p.field, p.missing, p.args) for p in problems] == [
        ("error", ("signatures",), True, {"id": "twin-a1"})
    ]
    representative(case, "isa", basis="custody")
    assert parties(case) == ["isa"]
    record(case, "isa", "signed")
    assert run(case, i8_signatures) == []


def test_a_child_who_came_of_age_signs_their_own_plan() -> None:
    case = twin()
    signed_now(case)
    edit(
        case,
        "case.yaml",
        lambda c: c.update(
            framework_changes=[{"from": "child", "to": "adult", "date": "2026-02-01"}]
        ),
    )
    assert run(case, i8_signatures) == []
    edit(case, "case.yaml", lambda c: c["framework_changes"][0].update(date="2026-02-03"))
    assert "lists no representatives" in run(case, i8_signatures)[0].message


# -- the person's view of the plan ---------------------------------------------------------------


def test_the_persons_view_of_the_plan() -> None:
    case = twin()
    signed_now(case)
    without(case, "client")
    view = [p for p in run(case, i8_signatures) if p.field == ("client_view",)]
    assert [(p.severity, p.missing) for p in view] == [("error", True)]
    for status in ("refused", "oral", "unable"):
        again = twin()
        signed_now(again)
        without(again, "client")
        record(again, "client", status)
        assert [p for p in run(again, i8_signatures) if p.field == ("client_view",)] == []
    record(case, "client", "waived", recorded_by="kk2")
    assert [p.field for p in run(case, i8_signatures)].count(("client_view",)) == 1
    edit(case, PLAN, lambda p: p.update(not_possible={"client_view": "in a coma"}))
    assert [p.field for p in run(case, i8_signatures)].count(("client_view",)) == 0


def test_a_representatives_signature_gives_the_view_on_a_day_they_are_one() -> None:
    case = twin()
    signed_now(case)
    without(case, "client")
    representative(case, "ema", basis="custody", **{"from": "2026-02-05"})
    record(case, "ema", "oral")  # on 2026-02-04: before their period
    assert [p.field for p in run(case, i8_signatures)].count(("client_view",)) == 1
    record(case, "ema", "oral", date="2026-02-05")
    assert [p.field for p in run(case, i8_signatures)].count(("client_view",)) == 0
    edit(case, PLAN, lambda p: p["signatures"].insert(0, "client"))
    assert [p.field for p in run(case, i8_signatures)].count(("client_view",)) == 0


def test_a_party_gone_without_counts_as_given_for_a_late_representative() -> None:
    case = twin()
    signed_now(case)
    without(case, "ode")
    record(case, "ode", "refused")
    record(case, "ode", "waived", recorded_by="kk2")
    representative(case, "eestkostja", basis="guardianship", **{"from": "2026-04-01"})
    assert [(p.severity, p.args["party"]) for p in run(case, i8_signatures)] == [
        ("warning", "eestkostja")
    ]


def test_a_signature_of_someone_who_is_no_representative_is_not_out_of_period() -> None:
    case = twin()
    signed_now(case)
    record(case, "kk2", "signed")  # the coordinator after the handover, responsible for nothing
    assert run(case, i8_signatures) == []


def test_late_only_when_someone_signed_for_the_child() -> None:
    case = twin()
    edit(case, "case.yaml", lambda c: c.update(framework="child"))
    representative(case, "ema", basis="custody", until="2026-03-01")
    signed_now(case)
    without(case, "client")
    edit(case, PLAN, lambda p: p.update(not_possible={"client_view": "a baby"}))
    signed_now(case)
    without(case, "client")
    representative(case, "isa", basis="custody", **{"from": "2026-04-01"})
    assert [(p.severity, p.args) for p in run(case, i8_signatures)] == [("error", {"party": "isa"})]
    record(case, "ema", "signed", date="2026-02-05")
    assert [(p.severity, p.args["party"]) for p in run(case, i8_signatures)] == [("warning", "isa")]
