"""A child's case (LasteKS): the child's view, the conclusions told to the child, the
notification decided in time, and the change of framework at 18; on the twin in memory made a
child's case, one edit each."""

from __future__ import annotations

from typing import Any

from juhtum.model.invariants.child import (
    child_told,
    child_views,
    framework_changes,
    notification_decided,
)
from tests.unit.twin_memory import edit, run, twin


def child(case: Any) -> Any:
    return edit(case, "case.yaml", lambda c: c.update(framework="child"))


def test_an_adults_case_has_none_of_a_childs_rules() -> None:
    case = twin()
    for rule in (child_views, child_told, notification_decided, framework_changes):
        assert run(rule, case) == [], rule.__name__
