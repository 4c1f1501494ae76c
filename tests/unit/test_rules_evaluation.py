"""The person takes part in the evaluation (juhis §6, §6.2, §6.3): I10's participation rules,
on the twin in memory, one edit each."""

from __future__ import annotations

from typing import Any

from juhtum.model.invariants.evaluation import i10_participation
from tests.cases import build
from tests.unit.twin_memory import edit, found, put, run, twin

EVALUATION = build.EVALUATION
EARLIER = "evaluations/2026-04-15-aaaa.yaml"


def i10(case: Any) -> list[tuple[str, str, dict[str, str]]]:
    assert all(p.severity == "error" and p.missing for p in found(i10_participation, case))
    return [(f, w, a) for f, _, w, a in run(i10_participation, case)]


def excused(*steps: str) -> Any:
    return lambda e: e.update(not_possible=dict.fromkeys(steps, "Liina oli haiglas."))


def test_the_person_took_part_in_the_twins_evaluation() -> None:
    assert i10(twin()) == []


def test_the_persons_view_is_recorded_or_why_it_could_not_be_heard() -> None:
    case = edit(twin(), EVALUATION, lambda e: e.pop("client_view"))
    assert i10(case) == [(EVALUATION, "client_view", {})]
    assert i10(edit(case, EVALUATION, excused("client_view"))) == []
    assert i10(edit(case, EVALUATION, excused("announced_to", "decided_with"))) == [
        (EVALUATION, "client_view", {})
    ]


def test_the_person_or_a_representative_is_told_of_the_evaluation() -> None:
    case = edit(twin(), EVALUATION, lambda e: e.update(announced_to=["tk", "ode"]))
    assert i10(case) == [(EVALUATION, "announced_to", {})]
    assert i10(edit(case, EVALUATION, excused("announced_to"))) == []
    edit(case, EVALUATION, excused("client_view"))
    assert i10(case) == [(EVALUATION, "announced_to", {})]
    # a representative in force on the evaluation's day was told
    edit(case, "case.yaml", lambda c: c.update(representatives=["ode"]))
    assert i10(case) == []
    edit(case, EVALUATION, lambda e: e.pop("announced_to"))  # the schema asks for it
    assert i10(case) == []


def test_a_representative_counts_only_on_the_days_they_represent() -> None:
    case = edit(twin(), EVALUATION, lambda e: e.update(announced_to=["ode"], team=["kk2", "ode"]))
    edit(case, "case.yaml", lambda c: c.update(representatives=["ode"]))
    period = {"basis": "guardianship", "from": "2026-01-01", "until": "2026-06-14"}
    edit(case, "people/ode.yaml", lambda p: p.update(representation=period))
    assert i10(case) == [
        (EVALUATION, "announced_to", {}),
        (EVALUATION, "team", {"where": "team"}),
    ]
    edit(case, "people/ode.yaml", lambda p: p["representation"].update(until="2026-06-15"))
    assert i10(case) == []


def test_the_decision_is_taken_with_the_person() -> None:
    case = edit(twin(), EVALUATION, lambda e: e.update(team=["kk2", "tk"]))
    assert i10(case) == [(EVALUATION, "team", {"where": "team"})]
    edit(case, EVALUATION, lambda e: e.update(decided_with=["ode"]))
    assert i10(case) == [(EVALUATION, "decided_with", {"where": "decided_with"})]
    edit(case, EVALUATION, lambda e: e.update(decided_with=["client"]))
    assert i10(case) == []
    edit(case, EVALUATION, lambda e: e.update(decided_with=[]))
    edit(case, EVALUATION, excused("decided_with"))
    assert i10(case) == []


def test_before_a_decision_nobody_decided_with_anyone() -> None:
    case = edit(twin(), EVALUATION, lambda e: e.update(team=["kk2", "tk"], decision=""))
    assert i10(case) == []
    edit(case, EVALUATION, lambda e: e.pop("decision"))
    assert i10(case) == []
    # a later evaluation that decided is still asked
    put(case, "evaluations/2026-07-01-bbbb.yaml", {"date": "2026-07-01", "decision": "close"})
    assert i10(case) == [
        ("evaluations/2026-07-01-bbbb.yaml", "client_view", {}),
        ("evaluations/2026-07-01-bbbb.yaml", "team", {"where": "team"}),
    ]


def test_an_evaluation_that_is_no_mapping_is_skipped_and_the_next_still_checked() -> None:
    case = put(twin(), EARLIER, ["not", "a", "mapping"])
    assert i10(case) == []
    edit(case, EVALUATION, lambda e: e.pop("client_view"))
    assert i10(case) == [(EVALUATION, "client_view", {})]
