"""The life of a case beyond one cycle (juhis §7, §8): a referral after case management, a
transfer to another organisation, and related cases; on the twin in memory, one edit each."""

from __future__ import annotations

from typing import Any

from juhtum.model.invariants.lifecycle import (
    closing_referred,
    closing_transferred,
    related_across,
    related_links,
)
from tests.unit.twin_memory import edit, found, run, twin

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


def test_a_referral_decided_with_an_unreadable_outcome() -> None:
    case = edit(twin(), CLOSING, lambda c: c.update(reason="referred"))
    edit(case, "need.yaml", lambda n: n["decision"].update(outcome=["referred"]))
    assert run(closing_referred, case) == [(CLOSING, "error", "reason", {"outcome": "-"})]
    edit(case, "need.yaml", lambda n: n["decision"].pop("outcome"))
    assert run(closing_referred, case) == []  # the need decision's schema asks for it
    edit(case, CLOSING, lambda c: c.update(reason="goals_achieved"))
    edit(case, "need.yaml", lambda n: n["decision"].update(outcome="referred"))
    assert run(closing_referred, case) == []  # not a referral


# -- a transfer to another organisation -------------------------------------------------------


def transferred(**transfer: Any) -> Any:
    def change(closing: dict[str, Any]) -> None:
        closing.update(reason="transferred", transfer=transfer)

    return change


TOLD = {
    "date": "2026-06-20",
    "client_informed": True,
    "consent": {"given_by": "client"},
    "providers_notified": ["tk"],
}


def test_a_complete_transfer() -> None:
    assert run(closing_transferred, edit(twin(), CLOSING, transferred(**TOLD))) == []


def test_the_person_is_told_of_the_transfer() -> None:
    case = edit(twin(), CLOSING, transferred(**{**TOLD, "client_informed": "jah"}))
    [problem] = found(closing_transferred, case)
    assert (problem.rule, problem.field, problem.missing) == (
        "I12",
        ("transfer", "client_informed"),
        True,
    )
    edit(case, CLOSING, transferred(**{k: v for k, v in TOLD.items() if k != "client_informed"}))
    assert run(closing_transferred, case) == []  # the schema asks for the record


def test_the_consent_to_pass_the_data_on_is_the_persons() -> None:
    case = edit(twin(), CLOSING, transferred(**{**TOLD, "consent": {"given_by": "tk"}}))
    assert run(closing_transferred, case) == [
        (CLOSING, "error", "transfer.consent.given_by", {"handle": "tk"})
    ]
    edit(case, "case.yaml", lambda c: c.update(representatives=["tk"]))
    assert run(closing_transferred, case) == []
    edit(case, CLOSING, transferred(**{**TOLD, "consent": {}}))
    assert run(closing_transferred, case) == []


def test_the_consent_of_a_representative_in_force_on_its_day() -> None:
    consent = {"given_by": "ode", "date": "2026-06-20", "form": "written"}
    case = edit(twin(), CLOSING, transferred(**{**TOLD, "consent": consent}))
    edit(case, "case.yaml", lambda c: c.update(representatives=["ode"]))
    period = {"basis": "custody", "from": "2026-01-01", "until": "2026-06-19"}
    edit(case, "people/ode.yaml", lambda p: p.update(representation=period))
    # custody had ended: no longer the person's representative
    assert run(closing_transferred, case) == [
        (CLOSING, "error", "transfer.consent.given_by", {"handle": "ode"})
    ]
    edit(case, "people/ode.yaml", lambda p: p["representation"].update(until="2026-06-20"))
    assert run(closing_transferred, case) == []


def test_every_provider_is_told_of_a_transfer_after_the_plan() -> None:
    case = edit(twin(), "plan.yaml", lambda p: p["actions"][2].update(kind="service"))
    edit(case, CLOSING, transferred(**{**TOLD, "providers_notified": []}))
    [problem] = found(closing_transferred, case)
    assert (problem.field, problem.severity, problem.args) == (
        ("transfer", "providers_notified"),
        "error",
        {"handles": "ode, tk"},
    )
    edit(case, CLOSING, transferred(**{**TOLD, "providers_notified": [], "date": "2026-02-02"}))
    assert len(run(closing_transferred, case)) == 1  # on the plan's own day
    for before in ({"date": "2026-02-01"}, {"date": None}):
        edit(case, CLOSING, transferred(**{**TOLD, "providers_notified": [], **before}))
        assert run(closing_transferred, case) == [], before
    edit(case, CLOSING, transferred(**{k: v for k, v in TOLD.items() if k != "providers_notified"}))
    assert run(closing_transferred, case) == []
    edit(case, "plan.yaml", lambda p: p.pop("date"))
    edit(case, CLOSING, transferred(**{**TOLD, "providers_notified": []}))
    assert run(closing_transferred, case) == []


def test_only_a_transfer_is_checked_so() -> None:
    case = edit(twin(), CLOSING, transferred(**{**TOLD, "client_informed": False}))
    edit(case, CLOSING, lambda c: c.update(reason="cannot_continue"))
    assert run(closing_transferred, case) == []
    edit(case, CLOSING, transferred())
    assert run(closing_transferred, case) == []  # nothing recorded: the schema asks


# -- related cases ------------------------------------------------------------------------------


def test_an_incomplete_link_is_left_to_the_schema() -> None:
    case = edit(
        twin(),
        "case.yaml",
        relate(
            {"case": "twin-a1"},
            {"relation": "sibling"},
            {"case": "twin-a2", "relation": "sibling"},
            {"case": "twin-a2", "relation": "other"},
            {"case": "twin-a1", "relation": "other"},
        ),
    )
    assert run(related_links, case) == [
        ("case.yaml", "error", "related[4].case", {"id": "twin-a1"})
    ]


def test_links_across_the_repository() -> None:
    links = {
        "a": [
            (0, "a", "other"),
            (1, "b", "sibling"),
            (2, "gone", "other"),
            (3, "c", "foo"),
            (4, "b", "other"),
        ],
        "b": [(0, "a", "sibling")],
        "c": [
            (0, "a", "reopened_from"),
            (1, "d", "transferred_to"),
            (2, "b", "other"),
            (3, "a", "foo"),  # a relation unknown to juhtum is its own inverse
        ],
        "d": [(0, "c", "transferred_from")],
    }
    problems = list(
        related_across(links, lambda c: c in {"a", "b", "c", "d"}, lambda c: f"cases/{c}.yaml")
    )
    assert [(p.file, p.rule, p.severity, p.field, dict(p.args)) for p in problems] == [
        (
            "cases/a.yaml",
            "I17",
            "error",
            ("related", 2, "case"),
            {"other": "gone", "id": "a"},
        ),
        (
            "cases/a.yaml",
            "I17",
            "warning",
            ("related", 4),
            {"other": "b", "relation": "other", "id": "a"},
        ),
        (
            "cases/c.yaml",
            "I17",
            "warning",
            ("related", 0),
            {"other": "a", "relation": "reopened_from", "id": "c"},
        ),
        (
            "cases/c.yaml",
            "I17",
            "warning",
            ("related", 2),
            {"other": "b", "relation": "other", "id": "c"},
        ),
    ]


def test_a_link_to_a_case_without_links_is_not_recorded_back() -> None:
    problems = list(related_across({"a": [(0, "b", "sibling")]}, lambda c: True, str))
    assert [(p.file, p.severity, dict(p.args)) for p in problems] == [
        ("a", "warning", {"other": "b", "relation": "sibling", "id": "a"})
    ]
