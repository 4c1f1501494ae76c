"""What the law asks a case plan to hold (määrus nr 10 § 1): I16 with --legal, on the twin in
memory, one edit each; and the organisation in juhtum.yaml."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from juhtum.model.case import Settings
from juhtum.model.invariants.legal import i16_legal, legal_repository
from tests.unit.twin_memory import edit, found, put, run, twin

Row = tuple[str, str, dict[str, str]]


def i16(case: Any, *, legal: bool = True) -> list[Row]:
    assert all(p.missing and p.severity == "error" for p in found(i16_legal, case, legal=legal))
    return [(f, w, a) for f, _, w, a in run(i16_legal, case, legal=legal)]


def drop(*keys: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        for key in keys:
            data.pop(key, None)

    return change


def test_the_twin_holds_what_the_law_asks() -> None:
    assert i16(twin()) == []


def test_only_with_legal_and_a_plan() -> None:
    case = edit(twin(), "people/client.yaml", drop("address"))
    assert len(i16(case)) == 1
    assert i16(case, legal=False) == []
    assert i16(put(case, "plan.yaml", None)) == []


def item(handle: str, what: str, clause: str, field: str | None = None) -> Row:
    return (
        f"people/{handle}.yaml",
        field or what,
        {"item": what, "handle": handle, "clause": clause},
    )


def test_the_persons_name_code_address_and_contacts() -> None:
    case = edit(twin(), "people/client.yaml", drop("name", "personal_code", "address", "phone"))
    assert i16(case) == sorted(
        [
            item("client", "name", "(1) 4"),
            item("client", "personal code", "(1) 4", "personal_code"),
            item("client", "address", "(1) 4"),
            (
                "people/client.yaml",
                "",
                {"item": "contacts (email or phone)", "handle": "client", "clause": "(1) 4"},
            ),
        ],
        key=str,
    )
    edit(
        case, "people/client.yaml", lambda p: p.update(name="Liina", personal_code="x", address="y")
    )
    edit(case, "people/client.yaml", lambda p: p.update(email="liina@example.org"))
    assert i16(case) == []


def test_the_coordinators_name_and_contacts() -> None:
    case = edit(twin(), "people/kk2.yaml", drop("email"))
    assert i16(case) == [
        (
            "people/kk2.yaml",
            "",
            {"item": "contacts (email or phone)", "handle": "kk2", "clause": "(1) 3"},
        )
    ]
    edit(case, "people/kk2.yaml", lambda p: p.update(phone="+372 600 0001", name=""))
    assert i16(case) == [item("kk2", "name", "(1) 3")]
    # nobody coordinates (the rule of one coordinator says so) or nobody registered: I17
    assert i16(edit(case, "case.yaml", drop("coordinator"))) == []
    edit(case, "case.yaml", lambda c: c.update(coordinator="kk2"))
    assert i16(put(case, "people/kk2.yaml", None)) == []


def test_each_representatives_basis_name_code_and_contacts() -> None:
    case = edit(twin(), "case.yaml", lambda c: c.update(representatives=["ode", "tk"]))
    put(case, "people/tk.yaml", None)  # I17 says tk is nobody
    assert i16(case) == sorted(
        [
            item("ode", "basis of representation", "(1) 5", "basis"),
            item("ode", "personal code", "(1) 5", "personal_code"),
        ],
        key=str,
    )
    edit(case, "people/ode.yaml", lambda p: p.update(basis="eestkoste", personal_code="x"))
    assert i16(case) == []


def test_the_need_for_help_covers_each_area_of_the_law() -> None:
    def only(*domains: str) -> Callable[[dict[str, Any]], None]:
        return lambda a: a.update(domains=[{"domain": d} for d in domains] + ["vigane"])

    case = edit(
        twin(),
        "assessment.yaml",
        only("relationships", "income", "housing", "daily_living", "education"),
    )
    assert i16(case) == []
    edit(case, "assessment.yaml", only("income", "housing", "health", "employment"))
    assert i16(case) == [
        (
            "assessment.yaml",
            "domains",
            {"area": "social network", "domains": "social_network, relationships"},
        )
    ]


def test_a_childs_need_for_help_is_weighed_by_the_childs_areas() -> None:
    case = edit(twin(), "case.yaml", lambda c: c.update(framework="child"))
    areas = {a["area"] for _, w, a in i16(case) if w == "domains"}
    assert areas == {"social network", "social status (work, study)"}
    # a child when assessed, an adult since
    change = [{"date": "2026-01-21", "from": "child", "to": "adult"}]
    edit(case, "case.yaml", lambda c: c.update(framework="adult", framework_changes=change))
    assert {a["area"] for _, w, a in i16(case) if w == "domains"} == areas
    edit(
        case,
        "case.yaml",
        lambda c: c.update(framework_changes=[{**change[0], "date": "2026-01-20"}]),
    )
    assert [w for _, w, _ in i16(case) if w == "domains"] == []


def test_the_summary_names_obstacles_and_resources_and_previous_assessments() -> None:
    case = edit(twin(), "assessment.yaml", lambda a: a.update(summary={"obstacles": ""}))
    edit(case, "assessment.yaml", drop("previous_assessments"))
    assert i16(case) == [
        ("assessment.yaml", "previous_assessments", {}),
        (
            "assessment.yaml",
            "summary.obstacles",
            {"what": "problems hindering work, study and participation"},
        ),
        ("assessment.yaml", "summary.resources", {"what": "supporting resources"}),
    ]
    assert i16(put(case, "assessment.yaml", None)) == []


def test_each_active_goal_names_what_hinders_it() -> None:
    def change(plan: dict[str, Any]) -> None:
        plan["goals"][0].pop("hindering_factors")
        plan["goals"][1].pop("id")
        plan["goals"][1]["hindering_factors"] = []
        plan["goals"].append({"id": "g3", "withdrawn": {"date": "2026-03-01", "reason": "x"}})

    assert i16(edit(twin(), "plan.yaml", change)) == [
        ("plan.yaml", "goals[0].hindering_factors", {"goal": "g1"}),
        ("plan.yaml", "goals[1].hindering_factors", {"goal": "2"}),
    ]


def test_a_childs_plan_says_how_the_caregiver_was_involved() -> None:
    case = edit(twin(), "case.yaml", lambda c: c.update(framework="child"))
    assert ("plan.yaml", "caregiver_involvement", {}) in i16(case)
    edit(case, "plan.yaml", lambda p: p.update(caregiver_involvement="Ema osales."))
    assert ("plan.yaml", "caregiver_involvement", {}) not in i16(case)
    # an adult's plan since the change of framework before it
    change = [{"date": "2026-02-02", "from": "child", "to": "adult"}]
    edit(case, "case.yaml", lambda c: c.update(framework="adult", framework_changes=change))
    edit(case, "plan.yaml", drop("caregiver_involvement"))
    assert ("plan.yaml", "caregiver_involvement", {}) not in i16(case)
    edit(
        case,
        "case.yaml",
        lambda c: c.update(framework_changes=[{**change[0], "date": "2026-02-03"}]),
    )
    assert ("plan.yaml", "caregiver_involvement", {}) in i16(case)


# -- the organisation (juhtum.yaml) ------------------------------------------------------------


def organisation(**org: str) -> list[tuple[str, str, str, dict[str, str]]]:
    problems = list(legal_repository(Settings(organisation=org), "juhtum.yaml"))
    assert {(p.rule, p.severity, p.file) for p in problems} <= {("I16", "error", "juhtum.yaml")}
    return [
        (p.rule, p.severity, ".".join(map(str, p.field)), {k: str(v) for k, v in p.args.items()})
        for p in problems
    ]


def test_the_organisation_has_a_name_an_address_and_a_contact() -> None:
    assert organisation(name="Vald", address="Kooli 1", phone="1") == []
    assert organisation(name="Vald", address="Kooli 1", email="a@b.example") == []
    assert organisation() == [
        ("I16", "error", "organisation.name", {"item": "name"}),
        ("I16", "error", "organisation.address", {"item": "address"}),
        ("I16", "error", "organisation", {}),
    ]
