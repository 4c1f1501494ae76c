"""The handover (juhis §8): I12 a complete handover, on the twin in memory, one edit each."""

from __future__ import annotations

from typing import Any

from juhtum.model.invariants.handover import i12_handover
from tests.cases import build
from tests.unit.twin_memory import edit, found, put, run, twin

HANDOVER = build.HANDOVER
EMPTY = "handovers/2026-03-01-aaaa.yaml"


def i12(case: Any) -> list[tuple[str, str, dict[str, str]]]:
    return [(f, w, a) for f, s, w, a in run(i12_handover, case)]


def test_the_twins_handover_is_complete() -> None:
    assert run(i12_handover, twin()) == []


def test_access_is_recorded_as_given() -> None:
    case = edit(twin(), HANDOVER, lambda h: h.update(access_granted="jah"))
    [problem] = found(i12_handover, case)
    assert (problem.field, problem.args, problem.missing, problem.severity) == (
        ("access_granted",),
        {"handle": "kk2"},
        True,
        "error",
    )
    # the schema asks for the record itself
    assert i12(edit(case, HANDOVER, lambda h: h.pop("access_granted"))) == []


def test_a_handover_to_nobody_named_still_says_what_it_can() -> None:
    case = edit(twin(), HANDOVER, lambda h: h.update(access_granted=False))
    edit(case, HANDOVER, lambda h: h.pop("to"))
    assert (HANDOVER, "access_granted", {"handle": "?"}) in i12(case)


def test_the_person_is_told_of_their_rights() -> None:
    case = edit(twin(), HANDOVER, lambda h: h["client_informed"].update(rights_explained=False))
    [problem] = found(i12_handover, case)
    assert (problem.field, problem.missing) == (("client_informed", "rights_explained"), True)
    # not yet said either way, or not recorded as told: the schema's business
    edit(case, HANDOVER, lambda h: h["client_informed"].pop("rights_explained"))
    assert i12(case) == []
    edit(case, HANDOVER, lambda h: h.update(client_informed=False))
    assert i12(case) == []


def test_an_empty_handover_is_skipped_and_the_next_still_checked() -> None:
    case = put(twin(), EMPTY, {})
    assert i12(case) == []
    edit(case, HANDOVER, lambda h: h.update(access_granted=False))
    assert [f for f, _, _ in i12(case)] == [HANDOVER]


def provider_ode(plan: dict[str, Any]) -> None:
    """ode's action becomes a service: the plan then has two providers."""
    plan["actions"][2]["kind"] = "service"


def test_every_provider_but_the_two_specialists_is_told() -> None:
    case = edit(twin(), "plan.yaml", provider_ode)
    edit(case, HANDOVER, lambda h: h.update(providers_notified=[]))
    [problem] = found(i12_handover, case)
    assert (problem.field, problem.args, problem.severity) == (
        ("providers_notified",),
        {"handles": "ode, tk"},
        "error",
    )
    edit(case, HANDOVER, lambda h: h.update({"from": "tk"}))  # the giver knows
    assert i12(case) == [(HANDOVER, "providers_notified", {"handles": "ode"})]
    edit(case, HANDOVER, lambda h: h.update({"from": "kk", "to": "ode"}))  # so does the taker
    assert i12(case) == [(HANDOVER, "providers_notified", {"handles": "tk"})]


def test_providers_are_told_only_of_a_handover_after_the_plan() -> None:
    case = edit(twin(), HANDOVER, lambda h: h.update(providers_notified=[]))
    assert i12(case) == [(HANDOVER, "providers_notified", {"handles": "tk"})]
    edit(case, HANDOVER, lambda h: h.pop("providers_notified"))
    assert i12(case) == []  # not recorded at all: the schema asks
    edit(case, HANDOVER, lambda h: h.update(providers_notified=[], date="16.03.2026"))
    assert i12(case) == []  # no date to compare
    edit(case, HANDOVER, lambda h: h.update(date="2026-03-16"))
    edit(case, "plan.yaml", lambda p: p.pop("date"))
    assert i12(case) == []
