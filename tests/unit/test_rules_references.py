"""References and dates: I14 real dates in their own case, I17 every reference resolves, and
the plan's prior help; on the twin in memory, one edit each."""

from __future__ import annotations

from juhtum.model.invariants.references import i14_dates_and_case, i17_references, plan_prior_help
from tests.unit.twin_memory import run, twin


def test_the_twins_references_resolve_and_its_dates_are_past() -> None:
    case = twin()
    for rule in (i14_dates_and_case, i17_references, plan_prior_help):
        assert run(rule, case) == [], rule.__name__
