"""The life of a case beyond one cycle (juhis §7, §8): a referral after case management, a
transfer to another organisation, and related cases; on the twin in memory, one edit each."""

from __future__ import annotations

from typing import Any

from juhtum.model.invariants.lifecycle import (
    closing_referred,
    closing_transferred,
    related_links,
)
from tests.unit.twin_memory import edit, run, twin

CLOSING = "closing.yaml"


def test_the_twin_closes_in_order() -> None:
    case = twin()
    for rule in (closing_referred, closing_transferred, related_links):
        assert run(rule, case) == [], rule.__name__


def test_a_referral_without_case_management_is_no_closing() -> None:
    case = edit(twin(), CLOSING, lambda c: c.update(reason="referred"))
    assert run(closing_referred, case) == []
    edit(case, "need.yaml", lambda n: n["decision"].update(outcome="referred"))
    assert run(closing_referred, case) == [(CLOSING, "error", "reason", {"outcome": "referred"})]


def relate(*entries: dict[str, Any]) -> Any:
    return lambda c: c.update(related=list(entries))


def test_a_case_does_not_relate_to_itself_nor_twice_to_another() -> None:
    case = edit(
        twin(),
        "case.yaml",
        relate(
            {"case": "twin-a1", "relation": "other"},
            {"case": "twin-a2", "relation": "sibling"},
            {"case": "twin-a2", "relation": "sibling"},
        ),
    )
    assert run(related_links, case) == [
        ("case.yaml", "error", "related[0].case", {"id": "twin-a1"}),
        ("case.yaml", "error", "related[2]", {"other": "twin-a2", "relation": "sibling"}),
    ]
