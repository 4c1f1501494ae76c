"""Participation is checked, not only recorded (issue 12 item 6), and legal representatives
over time (item 4), on the valid twin with one edit each.

Where the guideline says the person is informed, heard or agrees (§1, §1.2, §1.3, §2, §4.2,
§5.2, §6, §6.2, §6.3) a ``false`` or a missing record is an error unless ``not_possible``
gives the reason; the representatives are those in force on each record's own date.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.cases import build
from tests.conftest import copy_fixture
from tests.unit.test_invariants import problems

NEED = "need.yaml"
ASSESSMENT = "assessment.yaml"
PLAN = "plan.yaml"
CHANGE = build.MONITORING_CHANGE
EVALUATION = build.EVALUATION


@pytest.fixture
def twin(tmp_path: Path) -> build.Case:
    return build.Case(copy_fixture(build.TWIN, tmp_path))


def messages(case: build.Case, rule: str) -> list[tuple[str, str, str]]:
    return problems(case, rule)


def said(case: build.Case, rule: str, words: str) -> list[tuple[str, str, str]]:
    return [p for p in problems(case, rule) if words in p[2]]


def representative(case: build.Case, handle: str, **representation: str) -> None:
    """Register ``handle`` as the person's legal representative with this period."""
    person: dict[str, Any] = {"case": "twin-a1", "name": "Ülle Test", "roles": ["representative"]}
    if representation:
        person["representation"] = representation
    case.save(f"people/{handle}.yaml", person)
    case.edit(
        "case.yaml", lambda d: d.update(representatives=[*d.get("representatives", []), handle])
    )


def test_the_twin_takes_part_everywhere(twin: build.Case) -> None:
    for rule in ("I1", "I3", "I8", "I9", "I10"):
        assert [p for p in problems(twin, rule) if p[0] != "warning"] == [], rule


# -- §1: the decision with the person, informed, explained ---------------------------------------


def test_the_decision_is_made_with_the_person_or_a_representative_then(twin: build.Case) -> None:
    twin.edit(NEED, lambda d: d["decision"].update(**{"with": "tk"}))
    assert said(twin, "I1", "{where} names {handle}") == [
        (
            "error",
            "decision.with",
            "{where} names {handle}, who on {date} was neither the person nor their legal "
            "representative: the decision and the agreement are made with them (juhis §1, §1.5)",
        )
    ]
    representative(twin, "eestkostja", basis="guardianship", **{"from": "2026-01-01"})
    twin.edit(NEED, lambda d: d["decision"].update(**{"with": "eestkostja"}))
    assert said(twin, "I1", "{where} names") == []
    # appointed only after the decision: not the person's representative on its day
    representative(twin, "hiljem", basis="guardianship", **{"from": "2026-05-01"})
    twin.edit(NEED, lambda d: d["agreement"].update(**{"with": "hiljem"}))
    assert [p[1] for p in said(twin, "I1", "{where} names")] == ["agreement.with"]


def test_a_decision_not_explained_needs_the_reason_it_was_not_possible(twin: build.Case) -> None:
    twin.edit(NEED, lambda d: d["decision"].update(explained_to_client=False))
    assert [p[1] for p in said(twin, "I1", "not_possible.explained_to_client")] == [
        "decision.explained_to_client"
    ]
    twin.edit(NEED, lambda d: d.update(not_possible={"explained_to_client": "Isik on koomas."}))
    assert problems(twin, "I1") == []


def test_what_the_person_was_told_is_recorded_or_excused(twin: build.Case) -> None:
    twin.edit(NEED, lambda d: d["initial_info"].pop("informed"))
    assert [p[1] for p in said(twin, "I1", "not_possible.informed")] == ["initial_info.informed"]
    twin.edit(NEED, lambda d: d.update(not_possible={"informed": "Isik ei olnud teadvusel."}))
    assert problems(twin, "I1") == []
    twin.edit(
        NEED,
        lambda d: d["initial_info"].update(
            informed={"purpose": False, "rights_obligations": True, "duty_to_report_changes": True}
        ),
    )
    assert problems(twin, "I1") == []  # excused
    twin.edit(NEED, lambda d: d.pop("not_possible"))
    assert [p[1] for p in problems(twin, "I1")] == ["initial_info.informed.purpose"]


# -- §2 ------------------------------------------------------------------------------------------


def test_the_person_is_told_about_the_assessment_or_the_reason_is_given(
    twin: build.Case,
) -> None:
    twin.edit(ASSESSMENT, lambda d: d.update(client_informed=False))
    assert [p[1] for p in said(twin, "I3", "not_possible.client_informed")] == ["client_informed"]
    twin.edit(ASSESSMENT, lambda d: d.update(not_possible={"client_informed": "Haiglas."}))
    assert problems(twin, "I3") == []


# -- §4.2 the person's view of the plan -----------------------------------------------------------


def test_the_persons_view_of_the_plan_is_heard(twin: build.Case) -> None:
    def without_the_person(plan: dict[str, Any]) -> None:
        plan["signatures"] = [s for s in plan["signatures"] if s["party"] != "client"]

    twin.edit(PLAN, without_the_person)
    view = said(twin, "I8", "record the person's view of the plan")
    assert [p[:2] for p in view] == [("error", "client_view")]
    # a record that the person could not sign says why their view could not be had
    unable = {
        "party": "client",
        "role": "client",
        "date": "2026-02-03",
        "status": "unable",
        "cause": "in_hospital",
        "reason": "Haiglas.",
        "recorded_by": "kk",
        "version": 2,
        "content_hash": "0" * 64,
    }
    twin.edit(PLAN, lambda d: d["signatures"].append(unable))
    assert said(twin, "I8", "record the person's view of the plan") == []
    twin.edit(PLAN, lambda d: d["signatures"].pop())
    build.Case.edit(
        twin,
        PLAN,
        lambda d: d.update(
            client_view={"date": "2026-02-03", "who": "client", "statement": "Nõus."}
        ),
    )
    assert said(twin, "I8", "record the person's view of the plan") == []


# -- §5.2 a plan change is told to the person and the representatives ---------------------------


def test_a_plan_change_is_told_to_the_person_and_the_representatives_of_its_day(
    twin: build.Case,
) -> None:
    twin.edit(CHANGE, lambda d: d.update(notified=["tk", "ode", "kk"]))
    assert [p[:2] for p in said(twin, "I9", "was not told to")] == [("error", "notified")]
    twin.edit(CHANGE, lambda d: d.update(not_possible={"notified": "Ei olnud kättesaadav."}))
    assert said(twin, "I9", "was not told to") == []
    twin.edit(CHANGE, lambda d: d.pop("not_possible"))
    twin.edit(CHANGE, lambda d: d.update(notified=["client", "tk", "ode", "kk"]))
    # a representative whose period ended before the change need not be told; one in force must
    representative(twin, "vana", basis="custody", until="2026-02-01")
    assert said(twin, "I9", "was not told to") == []
    representative(twin, "uus", basis="guardianship", **{"from": "2026-02-02"})
    assert [p[1] for p in said(twin, "I9", "was not told to")] == ["notified"]


# -- §6 the evaluation --------------------------------------------------------------------------


def test_the_persons_view_of_the_evaluation_is_recorded_or_excused(twin: build.Case) -> None:
    twin.edit(EVALUATION, lambda d: d.pop("client_view"))
    assert [p[1] for p in said(twin, "I10", "record the person's view of the evaluation")] == [
        "client_view"
    ]
    assert problems(twin, "schema") == []  # no longer a bare schema error
    twin.edit(EVALUATION, lambda d: d.update(not_possible={"client_view": "Haiglas."}))
    assert problems(twin, "I10") == []


def test_the_person_is_told_of_the_evaluation(twin: build.Case) -> None:
    twin.edit(EVALUATION, lambda d: d.update(announced_to=["tk", "ode"]))
    assert [p[1] for p in said(twin, "I10", "not_possible.announced_to")] == ["announced_to"]
    twin.edit(EVALUATION, lambda d: d.update(not_possible={"announced_to": "Kolis ära."}))
    assert problems(twin, "I10") == []


def test_the_decision_is_taken_with_the_person(twin: build.Case) -> None:
    twin.edit(EVALUATION, lambda d: d.update(team=["kk2", "tk"]))
    assert [p[1] for p in said(twin, "I10", "not_possible.decided_with")] == ["team"]
    twin.edit(EVALUATION, lambda d: d.update(decided_with=["kk2"]))
    assert [p[1] for p in said(twin, "I10", "not_possible.decided_with")] == ["decided_with"]
    twin.edit(EVALUATION, lambda d: d.update(decided_with=["kk2", "client"]))
    assert problems(twin, "I10") == []
    twin.edit(EVALUATION, lambda d: d.update(decided_with=["kk2"]))
    twin.edit(EVALUATION, lambda d: d.update(not_possible={"decided_with": "Suri."}))
    assert problems(twin, "I10") == []


# -- representatives over time (item 4) ---------------------------------------------------------


def test_a_representative_without_a_period_is_in_force_always(twin: build.Case) -> None:
    representative(twin, "ema")
    twin.edit(NEED, lambda d: d["initial_info"]["consent"].update(given_by="ema"))
    assert problems(twin, "I1") == []
    # and signs the plan like every representative: the old behaviour
    assert [p[1] for p in said(twin, "I8", "not signed by {party}")] == ["signatures"]


def test_consent_is_given_by_representatives_in_force_on_its_day(twin: build.Case) -> None:
    representative(twin, "ema", basis="custody", until="2026-01-04")
    representative(twin, "isa", basis="custody")
    twin.edit(
        NEED,
        lambda d: d["initial_info"]["consent"].update(given_by="ema", also_given_by=["isa"]),
    )
    assert [p[1] for p in said(twin, "I1", "when they were not")] == [
        "initial_info.consent.given_by"
    ]
    twin.edit(
        NEED, lambda d: d["initial_info"]["consent"].update(given_by="isa", also_given_by=["tk"])
    )
    assert [p[1] for p in said(twin, "I1", "neither the person")] == [
        "initial_info.consent.also_given_by[0]"
    ]


def test_a_representative_whose_period_ended_is_not_asked_to_sign(twin: build.Case) -> None:
    representative(twin, "ema", basis="custody", **{"from": "2025-01-01"}, until="2026-01-31")
    assert said(twin, "I8", "not signed") == []
    assert problems(twin, "I14") == []
    # a period that ends in the future is not recorded: dates record what has happened
    twin.edit("people/ema.yaml", lambda d: d["representation"].update(until="2027-01-31"))
    assert [p[1] for p in problems(twin, "I14")] == ["representation.until"]


def test_a_childs_representatives_all_ended(twin: build.Case) -> None:
    twin.edit("case.yaml", lambda d: d.update(framework="child"))
    twin.edit(build.EVALUATION, lambda d: d.update(shared_with=["client", "tk", "ode", "ema"]))
    representative(twin, "ema", basis="custody", until="2026-06-30")
    assert [p[1] for p in said(twin, "I8", "has ended: register the one in force")] == [
        "signatures"
    ]
    # a representative in force signs; the one whose period ended is no longer asked to
    representative(twin, "isa", basis="custody")
    assert said(twin, "I8", "has ended: register the one in force") == []
    assert [p[2] for p in said(twin, "I8", "not signed by {party}")] == [
        "the plan is not signed by {party} (juhis §4.2: signed by all parties)"
    ]
    from tests.unit.test_invariants import args_of

    assert {"party": "isa"} in args_of(twin, "I8")
    assert {"party": "ema"} not in args_of(twin, "I8")
