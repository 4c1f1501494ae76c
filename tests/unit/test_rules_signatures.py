"""I8, the plan signed by all its parties (juhis §4.2, §5.2, §8), on the twin in memory, one
edit each: which signatures hold for the plan as it stands, and what is said of the others."""

from __future__ import annotations

from typing import Any

from juhtum.model.case import Case
from juhtum.model.hashing import content_hash
from juhtum.model.invariants.signatures import i8_signatures
from tests.unit.rules_twin import drop, edit, run, twin

PLAN = "plan.yaml"
CHANGE = "monitoring/2026-03-02-c3d4.yaml"


def plan_of(case: Case) -> dict[str, Any]:
    doc = case.doc("plan")
    assert doc is not None
    data: dict[str, Any] = doc.data
    return data


def signed_now(case: Case) -> None:
    """Every signature given to the plan as it stands (version 2, its hash)."""
    current = content_hash(plan_of(case))
    edit(case, PLAN, lambda p: [s.update(version=2, content_hash=current) for s in p["signatures"]])


def said(case: Case) -> list[tuple[str, str, dict[str, Any]]]:
    return [(p.severity, p.message.split(" ")[1], dict(p.args)) for p in run(case, i8_signatures)]


def parties(case: Case) -> list[str]:
    return [str(p.args.get("party")) for p in run(case, i8_signatures)]


def test_the_twin_is_signed() -> None:
    assert run(twin(), i8_signatures) == []
    case = twin()
    signed_now(case)
    assert run(case, i8_signatures) == []


def test_without_a_plan_nothing_is_checked() -> None:
    case = twin()
    drop(case, PLAN)
    assert run(case, i8_signatures) == []


def test_without_the_announcement_the_earlier_signatures_do_not_hold() -> None:
    case = twin()
    drop(case, CHANGE)
    problems = run(case, i8_signatures)
    assert [p.args["party"] for p in problems] == ["client", "tk", "ode", "kk", "kk2"]
    assert all(
        (p.rule, p.severity, p.field, p.missing) == ("I8", "error", ("signatures",), True)
        for p in problems
    )


def test_a_signature_of_this_version_with_another_hash_is_void() -> None:
    case = twin()
    signed_now(case)
    edit(case, PLAN, lambda p: p["signatures"][2].update(content_hash="0" * 64))
    [problem] = run(case, i8_signatures)
    assert (problem.field, problem.args, problem.missing) == (
        ("signatures", 2, "content_hash"),
        {"party": "tk"},
        True,
    )
    # signed again since: the void one is history
    edit(case, PLAN, lambda p: p["signatures"].append({**p["signatures"][0], "party": "tk"}))
    assert run(case, i8_signatures) == []


def test_a_plan_without_a_canonical_form_cannot_be_signed() -> None:
    case = twin()
    edit(case, PLAN, lambda p: p.update(budget=float("nan")))
    [problem] = run(case, i8_signatures)
    assert (problem.severity, problem.field, problem.args) == ("error", (), {})
    assert "canonical" in problem.message
