"""The pure parts of a child's case (LasteKS): the framework on a date, coming of age, the
rules of model/invariants/child.py over hand-made cases, and due's items."""

from __future__ import annotations

import datetime as dt
from typing import Any

from juhtum.documents.schemas import field_index
from juhtum.model import child as child_model
from juhtum.model import due, personal_code
from juhtum.model.case import Case, Doc, Settings
from juhtum.model.invariants import Context
from juhtum.model.invariants.child import (
    child_told,
    child_views,
    framework_changes,
    notification_decided,
)

ID = "c-1"


def case(**docs: Any) -> Case:
    found = [Doc("case", f"cases/{ID}/case.yaml", "case.yaml", docs.pop("case", {}))]
    for name, data in docs.items():
        kind = name.split("/")[0].removesuffix("s") if "/" in name else name
        kind = {"people": "person"}.get(kind, kind)
        file = name if "/" in name else f"{name}.yaml"
        found.append(Doc(kind, f"cases/{ID}/{file}", file, data))
    return Case(ID, f"cases/{ID}", found)


def context(today: str = "2026-06-01") -> Context:
    return Context(dt.date.fromisoformat(today), Settings(), field_index)


def rules(found: Case, *checks: Any, today: str = "2026-06-01") -> list[tuple[str, str, bool]]:
    return [
        (p.severity, p.message, p.missing) for check in checks for p in check(found, context(today))
    ]


CHILD = {"id": ID, "stage": "plan", "framework": "child", "client": "client"}


def test_the_framework_on_a_date_follows_the_recorded_changes() -> None:
    changed = case(
        case={
            **CHILD,
            "framework": "adult",
            "framework_changes": [{"from": "child", "to": "adult", "date": "2026-10-15"}],
        }
    )
    assert changed.framework_on("2026-10-14") == "child"
    assert changed.framework_on("2026-10-15") == "adult"
    assert changed.framework_on(None) == "adult"
    assert case(case=CHILD).framework_on("2030-01-01") == "child"  # no change recorded


def test_coming_of_age_from_the_personal_code_or_the_birth_date() -> None:
    assert child_model.adult_on(dt.date(2008, 2, 29)) == dt.date(2026, 3, 1)
    born = dt.date(2008, 10, 15)
    code = personal_code.generate(born, "F", 3)
    assert child_model.birth_date(case(case=CHILD, **{"people/client": {"personal_code": code}}))
    by_date = case(case=CHILD, **{"people/client": {"birth_date": "2008-10-15"}})
    assert child_model.birth_date(by_date) == born
    encrypted = case(case=CHILD, **{"people/client": {"personal_code": "ENC[AES256_GCM,x]"}})
    assert child_model.birth_date(encrypted) is None


def test_the_childs_view_or_the_reason_why_not() -> None:
    view = {"date": "2026-05-01", "statement": "x", "weighed": "y"}
    assert (
        rules(case(case=CHILD, plan={"date": "2026-05-01", "child_view": view}), child_views) == []
    )
    missing = rules(case(case=CHILD, plan={"date": "2026-05-01"}), child_views)
    # a warning: documents written before child_view existed stay valid
    assert len(missing) == 1 and missing[0][0] == "warning"
    differs = {**view, "differs": True}
    found = rules(case(case=CHILD, plan={"date": "2026-05-01", "child_view": differs}), child_views)
    assert [m for _, m, _ in found] == [
        "the decision differs from the child's view: record why (child_view.differs_reason; "
        "LasteKS § 21)"
    ]
    excused = {"date": "2026-05-01", "not_possible": {"cause": "age", "reason": "z"}}
    assert (
        rules(case(case=CHILD, plan={"date": "2026-05-01", "child_view": excused}), child_views)
        == []
    )
    adult = {**CHILD, "framework": "adult"}
    assert rules(case(case=adult, plan={"date": "2026-05-01"}), child_views) == []


def test_the_conclusions_are_told_to_the_child() -> None:
    told = {"date": "2026-05-01", "shared_with": ["client", "ema"]}
    assert rules(case(case=CHILD, **{"evaluations/2026-05-01-a": told}), child_told) == []
    not_told = {"date": "2026-05-01", "shared_with": ["ema"]}
    found = rules(case(case=CHILD, **{"evaluations/2026-05-01-a": not_told}), child_told)
    assert [severity for severity, _, _ in found] == ["warning"]
    excused = {**not_told, "child_not_told": {"cause": "age", "reason": "z"}}
    assert rules(case(case=CHILD, **{"evaluations/2026-05-01-a": excused}), child_told) == []


def test_the_notification_is_decided_within_ten_days() -> None:
    def need(decided: str | None) -> Case:
        data: dict[str, Any] = {"notification": {"received": "2026-05-01", "channel": "phone"}}
        if decided:
            data["decision"] = {"date": decided}
        return case(case=CHILD, need=data)

    assert rules(need("2026-05-11"), notification_decided) == []
    assert [s for s, _, _ in rules(need("2026-05-12"), notification_decided)] == ["warning"]
    assert [s for s, _, _ in rules(need("2026-04-30"), notification_decided)] == ["error"]
    assert rules(need(None), notification_decided, today="2026-05-11") == []
    assert [s for s, _, _ in rules(need(None), notification_decided, today="2026-05-12")] == [
        "warning"
    ]


def test_a_framework_change_before_the_18th_birthday_is_an_error() -> None:
    people = {"people/client": {"birth_date": "2008-10-15"}}
    early = {
        **CHILD,
        "framework": "adult",
        "framework_changes": [{"from": "child", "to": "adult", "date": "2026-10-14"}],
    }
    found = rules(case(case=early, **people), framework_changes, today="2026-11-01")
    assert [s for s, _, _ in found] == ["error"]
    on_time = {
        **early,
        "framework_changes": [{"from": "child", "to": "adult", "date": "2026-10-15"}],
    }
    assert rules(case(case=on_time, **people), framework_changes, today="2026-11-01") == []
    still_child = rules(case(case=CHILD, **people), framework_changes, today="2026-10-15")
    assert [s for s, _, _ in still_child] == ["warning"]


def test_due_lists_the_notification_and_the_coming_of_age() -> None:
    notification: dict[str, Any] = {"received": "2026-05-01", "decided": None}
    facts: dict[str, Any] = {
        "id": ID,
        "stage": "need",
        "child": {"notification": notification, "adult_on": "2026-10-15"},
    }
    found = {i.kind: i for i in due.items(facts)}
    assert found["notification"].date == "2026-05-11"
    assert found["adult"].date == "2026-07-17"
    assert found["adult"].args["date"] == "2026-10-15"
    notification["decided"] = "2026-05-09"
    assert "notification" not in {i.kind for i in due.items(facts)}
