"""Network meeting protocols (seed 004): I13, on the twin in memory, one edit each."""

from __future__ import annotations

from typing import Any

from juhtum.model.invariants.meetings import i13_meetings
from tests.cases import build
from tests.unit.twin_memory import edit, found, run, twin

MEETING = build.MEETING


def i13(case: Any) -> list[tuple[str, str, str, dict[str, str]]]:
    return [(f, s, w, a) for f, s, w, a in run(i13_meetings, case)]


def test_the_twins_meeting_is_in_order() -> None:
    assert i13(twin()) == []


def second_agreement(deadline: Any) -> Any:
    def change(meeting: dict[str, Any]) -> None:
        meeting["agreements"].append(
            {"activity": "Mare helistab.", "responsible": "ode", "deadline": deadline}
        )

    return change


def test_each_agreements_deadline_is_on_or_after_the_meeting() -> None:
    case = edit(twin(), MEETING, second_agreement("2026-03-19"))
    [problem] = found(i13_meetings, case)
    assert (problem.field, problem.severity, problem.args) == (
        ("agreements", 1, "deadline"),
        "error",
        {"deadline": "2026-03-19", "date": "2026-03-20"},
    )
    edit(case, MEETING, lambda m: m["agreements"][1].update(deadline="2026-03-20"))
    assert i13(case) == []


def test_a_deadline_without_a_meeting_date_or_no_date_at_all() -> None:
    case = edit(twin(), MEETING, second_agreement("2026-03-19"))
    edit(case, MEETING, lambda m: m.pop("date"))
    assert i13(case) == []
    edit(case, MEETING, lambda m: m.update(date="2026-03-20"))
    edit(case, MEETING, lambda m: m["agreements"][1].update(deadline="kevadel"))
    assert i13(case) == []
    edit(case, MEETING, lambda m: m["agreements"].append("Liina helistab."))
    assert i13(case) == []


def test_copies_of_the_protocol_go_to_every_participant() -> None:
    case = edit(twin(), MEETING, lambda m: m.update(copies_sent_to=["client"]))
    [problem] = found(i13_meetings, case)
    assert (problem.field, problem.severity, problem.args) == (
        ("copies_sent_to",),
        "warning",
        {"handles": "kk2, ode, tk"},
    )
    edit(case, MEETING, lambda m: m.pop("copies_sent_to"))
    assert [a for _, _, _, a in i13(case)] == [{"handles": "client, kk2, ode, tk"}]


def test_a_meeting_without_participants_sends_no_copies() -> None:
    case = edit(twin(), MEETING, lambda m: m.update(participants=[], copies_sent_to=[]))
    assert i13(case) == []
