"""I2, one coordinator (juhis §1.4, §8), on the twin in memory, one edit each: a case past the
need stage has a coordinator, changed only by a handover given by the coordinator of its day."""

from __future__ import annotations

from juhtum.model.invariants.need import i2_coordinator
from tests.unit.rules_twin import drop, edit, found, put, run, twin

NEED = "need.yaml"
HANDOVER = "handovers/2026-03-16-e5f6.yaml"


# -- I2 ----------------------------------------------------------------------------------------------


def test_past_the_need_stage_a_case_has_a_coordinator() -> None:
    for stage, expected in (
        ("need", []),
        ("assessment", [("error", "coordinator")]),
        ("evaluation", [("error", "coordinator")]),
        ("closed", []),
        ("referred", []),
    ):
        case = twin()
        edit(case, "case.yaml", lambda c: c.pop("coordinator"))
        edit(case, "case.yaml", lambda c: c.update(stage=stage))  # noqa: B023
        assert found(case, i2_coordinator) == expected, stage


def test_the_coordinator_changes_only_through_a_handover() -> None:
    case = twin()
    edit(case, "case.yaml", lambda c: c.update(coordinator="kk"))
    [problem] = run(case, i2_coordinator)
    assert (problem.file, problem.field) == ("cases/twin-a1/case.yaml", ("coordinator",))
    assert problem.args == {"coordinator": "kk", "expected": "kk2"}
    edit(case, HANDOVER, lambda h: h.pop("to"))
    assert found(case, i2_coordinator) == []  # the holder stays kk


def test_a_handover_is_given_by_the_coordinator_of_the_time() -> None:
    case = twin()
    edit(case, HANDOVER, lambda h: h.update(**{"from": "tk"}))
    [problem] = run(case, i2_coordinator)
    assert (problem.file, problem.field) == ("cases/twin-a1/" + HANDOVER, ("from",))
    assert problem.args == {"giver": "tk", "expected": "kk"}


def test_a_handover_before_the_assignment_is_given_by_the_specialist() -> None:
    case = twin()
    edit(case, NEED, lambda n: n.update(specialist="tk"))
    edit(case, NEED, lambda n: n["coordinator_assignment"].update(date="2026-03-17"))
    assert [p.args for p in run(case, i2_coordinator)] == [{"giver": "kk", "expected": "tk"}]
    edit(case, NEED, lambda n: n["coordinator_assignment"].update(date="2026-03-16"))
    assert found(case, i2_coordinator) == []  # on the day of the assignment: its coordinator
    edit(case, NEED, lambda n: n.pop("coordinator_assignment"))
    assert [p.args for p in run(case, i2_coordinator)] == [{"giver": "kk", "expected": "tk"}]
    edit(case, NEED, lambda n: n.pop("specialist"))
    assert found(case, i2_coordinator) == []  # nobody to compare with


def test_an_undated_assignment_or_handover_is_the_coordinators() -> None:
    case = twin()
    edit(case, NEED, lambda n: n.update(specialist="tk"))
    edit(case, NEED, lambda n: n["coordinator_assignment"].pop("date"))
    assert found(case, i2_coordinator) == []
    case = twin()
    edit(case, NEED, lambda n: n.update(specialist="tk"))
    edit(case, HANDOVER, lambda h: h.pop("date"))
    assert found(case, i2_coordinator) == []


def test_handovers_chain_from_one_holder_to_the_next() -> None:
    case = twin()
    second = "handovers/2026-04-01-z9z9.yaml"
    put(case, second, "handover", {"date": "2026-04-01", "from": "kk2", "to": "kk3"})
    edit(case, "case.yaml", lambda c: c.update(coordinator="kk3"))
    assert found(case, i2_coordinator) == []
    edit(case, second, lambda h: h.update(**{"from": "kk"}))
    assert [p.args for p in run(case, i2_coordinator)] == [{"giver": "kk", "expected": "kk2"}]
    edit(case, second, lambda h: h.pop("from"))
    assert found(case, i2_coordinator) == []


def test_without_an_assignment_or_a_handover_case_yaml_names_the_coordinator() -> None:
    case = twin()
    drop(case, HANDOVER)
    edit(case, NEED, lambda n: n.pop("coordinator_assignment"))
    edit(case, "case.yaml", lambda c: c.update(coordinator="tk"))
    assert found(case, i2_coordinator) == []
