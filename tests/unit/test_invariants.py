"""Rules of the guideline at their edges, each on the valid twin with one edit.

The invalid fixtures (tests/cases/invalid) hold one breach per rule; these tests
pin the boundaries and branches a single fixture cannot: a deadline on the very
day an action starts, a warning beside an error, a child's case, an evaluation
on the plan's own date. Each was a mutant that survived the suite (issue 9).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from juhtum.check import runner
from juhtum.check.result import Options, Result
from juhtum.model.problems import Problem, field_text
from juhtum.storage import Repository
from tests.cases import build
from tests.conftest import TODAY, copy_fixture

PLAN = "plan.yaml"
EVALUATION = build.EVALUATION


@pytest.fixture
def twin(tmp_path: Path) -> build.Case:
    return build.Case(copy_fixture(build.TWIN, tmp_path))


def problems(case: build.Case, rule: str, today: str = TODAY) -> list[tuple[str, str, str]]:
    """``(severity, field, message template)`` of every problem of ``rule``, the cache
    unused."""
    result = runner.validate(
        Repository(case.root.parents[1]),
        Options(dt.date.fromisoformat(today), legal=True),
        use_cache=False,
    )
    return sorted((p.severity, field_text(p.field), p.message) for p in found(result, rule))


def found(result: Result, rule: str) -> list[Problem]:
    return [p for p in result.problems if p.rule == rule]


def args_of(case: build.Case, rule: str) -> list[dict[str, Any]]:
    result = runner.validate(
        Repository(case.root.parents[1]),
        Options(dt.date.fromisoformat(TODAY), legal=True),
        use_cache=False,
    )
    return [dict(p.args) for p in found(result, rule)]


def action(case: build.Case, action_id: str, **change: Any) -> None:
    def edit(plan: dict[str, Any]) -> None:
        item = build.by_id(plan["actions"], action_id)
        for key, value in change.items():
            if value is None:
                item.pop(key, None)
            else:
                item[key] = value

    case.edit(PLAN, edit)


def test_the_twin_breaks_none_of_these_rules(twin: build.Case) -> None:
    for rule in ("I4", "I8", "I10"):
        assert problems(twin, rule) == [], rule


# -- I4 -------------------------------------------------------------------------------------------


def test_an_action_may_end_on_the_day_it_starts(twin: build.Case) -> None:
    action(twin, "a1", start="2026-03-02", deadline="2026-03-02")
    assert problems(twin, "I4") == []


def test_an_action_ending_the_day_before_it_starts_is_an_error(twin: build.Case) -> None:
    action(twin, "a1", start="2026-03-02", deadline="2026-03-01")
    assert [(s, f) for s, f, _ in problems(twin, "I4")] == [("error", "actions[0].deadline")]


def test_a_service_action_without_frequency_is_warned_of(twin: build.Case) -> None:
    action(twin, "a2", frequency=None)
    [(severity, where, message)] = problems(twin, "I4")
    assert (severity, where) == ("warning", "actions[1]")
    assert "no frequency" in message
    # only a service is given at a frequency: another kind of action needs none
    action(twin, "a2", frequency="kord nädalas")
    action(twin, "a1", frequency=None)
    assert problems(twin, "I4") == []


def test_an_action_without_resources_is_warned_of(twin: build.Case) -> None:
    action(twin, "a3", resources=None)
    [(severity, where, message)] = problems(twin, "I4")
    assert (severity, where) == ("warning", "actions[2]")
    assert "resources" in message


# -- I8 -------------------------------------------------------------------------------------------


def test_a_childs_plan_without_representatives_is_not_signed_by_them(twin: build.Case) -> None:
    twin.edit("case.yaml", lambda c: c.update(framework="child"))
    i8 = problems(twin, "I8")
    assert ("error", "signatures", i8[0][2]) in i8
    assert any("lists no representatives" in message for _, _, message in i8), i8


# -- I10 ------------------------------------------------------------------------------------------


def test_the_last_evaluation_is_shared_with_the_providers(twin: build.Case) -> None:
    twin.edit(EVALUATION, lambda e: e.update(shared_with=["client", "ode"]))
    assert args_of(twin, "I10") == [{"handles": "tk"}]
    assert [f for _, f, _ in problems(twin, "I10")] == ["shared_with"]


def test_an_evaluation_on_the_plans_own_date_is_shared_with_the_providers(
    twin: build.Case,
) -> None:
    plan_date = str(twin.load(PLAN)["date"])
    twin.edit(EVALUATION, lambda e: e.update(date=plan_date, shared_with=["client", "ode"]))
    assert args_of(twin, "I10") == [{"handles": "tk"}]


def test_an_evaluation_before_the_plan_is_shared_with_the_person_only(
    twin: build.Case,
) -> None:
    twin.edit(EVALUATION, lambda e: e.update(date="2026-01-30", shared_with=["client"]))
    assert args_of(twin, "I10") == []
    twin.edit(EVALUATION, lambda e: e.update(shared_with=["ode"]))
    assert args_of(twin, "I10") == [{"handles": "client"}]


def test_handles_not_told_are_listed_sorted_and_comma_separated(twin: build.Case) -> None:
    twin.edit(EVALUATION, lambda e: e.update(shared_with=["ode"]))
    assert args_of(twin, "I10") == [{"handles": "client, tk"}]


# -- what a draft may still leave out -------------------------------------------------------------


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A case in state plan (its plan the draft), signed by three of its four parties."""
    from tests.cli import casebuild

    return casebuild.build(tmp_path_factory.mktemp("planned") / "repo", upto="plan")


def test_in_the_draft_what_is_not_yet_written_is_a_todo_and_a_contradiction_an_error(
    planned: Path, tmp_path: Path
) -> None:
    from tests.cli import casebuild

    root = copy_fixture(planned, tmp_path)

    def plan_problems() -> list[tuple[str, str, str]]:
        result = runner.validate(Repository(root), Options(dt.date(2026, 2, 4)), use_cache=False)
        return sorted(
            (p.rule, p.severity, field_text(p.field))
            for p in result.problems
            if p.file.endswith("/plan.yaml")
        )

    assert plan_problems() == [("I8", "todo", "signatures")]  # ode has not signed yet
    plan = root / "cases" / casebuild.CASE / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    start = "start: 2026-02-02"
    assert text.count(start) >= 1
    plan.write_text(text.replace(start, "start: 2026-12-01", 1), encoding="utf-8")
    assert ("I4", "error", "actions[0].deadline") in plan_problems()


# -- months -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2026-01-15", 0, "2026-01-15"),
        ("2026-01-15", 1, "2026-02-15"),
        ("2026-01-31", 1, "2026-02-28"),  # the month's last day when it is shorter
        ("2024-01-31", 1, "2024-02-29"),
        ("2026-11-30", 3, "2027-02-28"),  # into the next year
        ("2026-12-15", 1, "2027-01-15"),
        ("2026-10-15", 2, "2026-12-15"),  # December stays in its year
        ("2026-06-15", 12, "2027-06-15"),
        ("2026-01-15", 25, "2028-02-15"),
        ("2026-03-31", -1, "2026-02-28"),
    ],
)
def test_add_months(day: str, months: int, expected: str) -> None:
    from juhtum.model.invariants.common import add_months

    assert add_months(dt.date.fromisoformat(day), months) == dt.date.fromisoformat(expected)


# -- I16: the organisation in juhtum.yaml -----------------------------------------------------------


def organisation(case: build.Case, **change: str | None) -> list[tuple[str, str, dict[str, Any]]]:
    """Set (or with None drop) fields of juhtum.yaml's organisation; what --legal says of the
    file then: ``(severity, field, args)``."""
    import yaml

    config_path = case.root.parents[1] / "juhtum.yaml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    for key, value in change.items():
        if value is None:
            config["organisation"].pop(key, None)
        else:
            config["organisation"][key] = value
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    result = runner.validate(
        Repository(case.root.parents[1]),
        Options(dt.date.fromisoformat(TODAY), legal=True),
        use_cache=False,
    )
    return sorted(
        (p.severity, field_text(p.field), {k: str(v) for k, v in p.args.items()})
        for p in found(result, "I16")
        if p.file == "juhtum.yaml"
    )


def test_the_organisation_needs_a_name_an_address_and_a_contact(twin: build.Case) -> None:
    assert organisation(twin) == []
    assert organisation(twin, address=None) == [
        ("error", "organisation.address", {"item": "address"})
    ]
    assert organisation(twin, address="Kooli 1", name="") == [
        ("error", "organisation.name", {"item": "name"})
    ]
    assert organisation(twin, name="Vald", email=None) == []  # a phone is enough
    assert organisation(twin, phone=None) == [("error", "organisation", {})]
    assert organisation(twin, email="sotsiaal@naidiskula.example") == []  # so is an email


# -- I1: consent before information -----------------------------------------------------------------

NEED = "need.yaml"


def i1(case: build.Case, change: Any) -> list[tuple[str, str, dict[str, str]]]:
    """``(severity, field, args)`` of each I1 problem after ``change`` to need.yaml."""
    case.edit(NEED, change)
    result = runner.validate(
        Repository(case.root.parents[1]),
        Options(dt.date.fromisoformat(TODAY), legal=True),
        use_cache=False,
    )
    return sorted(
        (p.severity, field_text(p.field), {k: str(v) for k, v in p.args.items()})
        for p in found(result, "I1")
    )


def test_information_gathered_needs_consent_or_a_legal_basis(twin: build.Case) -> None:
    def no_consent(need: dict[str, Any]) -> None:
        del need["initial_info"]["consent"]

    assert i1(twin, no_consent) == [("error", "initial_info", {})]
    basis = "sotsiaalhoolekande seadus § 8"
    assert i1(twin, lambda n: n["initial_info"].update(legal_basis=basis)) == []
    # information that sufficed at once was not gathered: nothing to consent to
    assert i1(twin, lambda n: n["initial_info"].pop("legal_basis")) != []
    assert i1(twin, lambda n: n.update(info_sufficient=True)) == []


def test_consent_is_given_by_the_person_or_their_representative(twin: build.Case) -> None:
    def consent(who: str) -> Callable[[dict[str, Any]], None]:
        return lambda n: n["initial_info"]["consent"].update(given_by=who)

    assert i1(twin, consent("ode")) == [
        ("error", "initial_info.consent.given_by", {"handle": "ode"})
    ]
    twin.edit("case.yaml", lambda c: c.update(representatives=["ode"]))
    assert i1(twin, consent("ode")) == []
    assert i1(twin, consent("client")) == []


@pytest.mark.parametrize(
    ("key", "what"),
    [
        ("purpose", "the purpose and process of gathering information"),
        ("rights_obligations", "their rights and obligations"),
        ("duty_to_report_changes", "their duty to report changes"),
    ],
)
def test_the_person_is_told_before_information_is_gathered(
    twin: build.Case, key: str, what: str
) -> None:
    [(severity, where, args)] = i1(
        twin, lambda n: n["initial_info"]["informed"].update({key: False})
    )
    assert (severity, where) == ("error", f"initial_info.informed.{key}")
    assert args == {"what": what}
    assert i1(twin, lambda n: n["initial_info"]["informed"].update({key: True})) == []


def test_information_obtained_before_consent_unless_from_a_register(twin: build.Case) -> None:
    def early(need: dict[str, Any]) -> None:
        need["initial_info"]["sources"][1]["obtained"] = "2026-01-05"

    assert i1(twin, early) == [
        (
            "error",
            "initial_info.sources[1].obtained",
            {"obtained": "2026-01-05", "consent": "2026-01-06"},
        )
    ]
    assert i1(twin, lambda n: n["initial_info"]["sources"][1].update(obtained="2026-01-06")) == []
    assert i1(twin, lambda n: n["initial_info"]["sources"][0].update(kind="client")) != []


def test_the_person_is_told_of_each_disclosure(twin: build.Case) -> None:
    def untold(need: dict[str, Any]) -> None:
        need["initial_info"]["disclosures"][0]["client_informed"] = False

    assert i1(twin, untold) == [
        ("error", "initial_info.disclosures[0].client_informed", {"handle": "tk"})
    ]
    # to nobody named: the schema says what is missing, and the rule still says what it can
    assert ("error", "initial_info.disclosures[0].client_informed", {"handle": "?"}) in i1(
        twin, lambda n: n["initial_info"]["disclosures"][0].pop("to")
    )


def rule(case: build.Case, name: str) -> list[tuple[str, str, str, dict[str, str]]]:
    """``(file in the case, severity, field, args)`` of each problem of rule ``name``."""
    result = runner.validate(
        Repository(case.root.parents[1]),
        Options(dt.date.fromisoformat(TODAY), legal=True),
        use_cache=False,
    )
    return sorted(
        (
            (
                p.file.removeprefix(f"cases/{build.CASE.split('/')[-1]}/"),
                p.severity,
                field_text(p.field),
                {k: str(v) for k, v in p.args.items()},
            )
            for p in found(result, name)
        ),
        key=str,
    )


# -- I2: one coordinator ------------------------------------------------------------------------------

HANDOVER = build.HANDOVER


def test_case_yaml_names_the_coordinator_the_handovers_lead_to(twin: build.Case) -> None:
    twin.edit("case.yaml", lambda c: c.update(coordinator="kk"))
    assert rule(twin, "I2") == [
        ("case.yaml", "error", "coordinator", {"coordinator": "kk", "expected": "kk2"})
    ]


def test_a_case_past_need_has_a_coordinator(twin: build.Case) -> None:
    twin.edit("case.yaml", lambda c: c.update(coordinator=None))
    assert rule(twin, "I2") == []  # closed: nobody coordinates it any more
    twin.edit("case.yaml", lambda c: c.update(stage="implementation"))
    assert rule(twin, "I2") == [("case.yaml", "error", "coordinator", {})]


def test_a_case_is_handed_over_by_its_coordinator_of_the_time(twin: build.Case) -> None:
    twin.edit(HANDOVER, lambda h: h.update({"from": "tk"}))
    assert rule(twin, "I2") == [(HANDOVER, "error", "from", {"giver": "tk", "expected": "kk"})]


def test_before_the_assignment_the_specialist_hands_over(twin: build.Case) -> None:
    twin.edit(NEED, lambda n: n.update(specialist="tk"))
    assert rule(twin, "I2") == []  # handed over after the assignment: by the coordinator, kk
    twin.edit(HANDOVER, lambda h: h.update(date="2026-01-08"))
    assert rule(twin, "I2") == [(HANDOVER, "error", "from", {"giver": "kk", "expected": "tk"})]
    twin.edit(HANDOVER, lambda h: h.update(date="2026-01-09"))  # the assignment's own day
    assert rule(twin, "I2") == []


# -- I3: a balanced assessment ------------------------------------------------------------------------

ASSESSMENT = "assessment.yaml"


def each_domain(key: str) -> Callable[[dict[str, Any]], None]:
    def drop(assessment: dict[str, Any]) -> None:
        for domain in assessment["domains"]:
            domain.pop(key, None)

    return drop


def test_an_assessment_records_risks(twin: build.Case) -> None:
    twin.edit(ASSESSMENT, each_domain("risks"))
    assert rule(twin, "I3") == [(ASSESSMENT, "error", "domains", {})]


def test_an_assessment_records_resources_in_a_domain_or_its_summary(twin: build.Case) -> None:
    twin.edit(ASSESSMENT, each_domain("resources"))
    assert rule(twin, "I3") == []  # the summary names them
    twin.edit(ASSESSMENT, lambda a: a["summary"].pop("resources"))
    assert rule(twin, "I3") == [(ASSESSMENT, "error", "domains", {})]


def test_the_persons_view_of_the_assessment_is_recorded(twin: build.Case) -> None:
    twin.edit(ASSESSMENT, lambda a: a["client_view"].pop("statement"))
    assert rule(twin, "I3") == [(ASSESSMENT, "error", "client_view", {})]
    twin.edit(ASSESSMENT, lambda a: a["client_view"].update(declined=True))
    assert rule(twin, "I3") == []


def test_a_person_who_disagrees_has_their_dissent_recorded(twin: build.Case) -> None:
    twin.edit(ASSESSMENT, lambda a: a["client_view"].update(agrees=False))
    assert rule(twin, "I3") == [(ASSESSMENT, "error", "client_view.dissent", {})]
    twin.edit(ASSESSMENT, lambda a: a["client_view"].update(dissent="Liina arvab teisiti."))
    assert rule(twin, "I3") == []


# -- I5, I6: goals served, not only a services plan ----------------------------------------------------


def test_every_goal_is_served_by_an_action(twin: build.Case) -> None:
    action(twin, "a3", goals=["g1"])
    assert rule(twin, "I5") == []  # a4 still serves g2
    action(twin, "a4", goals=["g1"])
    assert rule(twin, "I5") == [(PLAN, "error", "goals[1]", {"goal": "g2"})]


def test_the_person_has_an_action_of_their_own(twin: build.Case) -> None:
    action(twin, "a1", kind="service")
    assert rule(twin, "I6") == []  # the person is still responsible for it
    action(twin, "a1", responsible=["tk"])
    assert rule(twin, "I6") == [(PLAN, "error", "actions", {})]
    action(twin, "a1", kind="client")
    assert rule(twin, "I6") == []


def test_the_coordinator_has_an_action(twin: build.Case) -> None:
    action(twin, "a4", kind="service")  # kk's, who handed the case over to kk2
    assert rule(twin, "I6") == [(PLAN, "error", "actions", {})]
    action(twin, "a4", responsible=["kk2"])
    assert rule(twin, "I6") == []


def test_a_plan_without_the_network_is_warned_of(twin: build.Case) -> None:
    action(twin, "a3", kind="client")
    assert rule(twin, "I6") == [(PLAN, "warning", "actions", {})]


# -- I7: reviews ---------------------------------------------------------------------------------------


def reviews(case: build.Case, *dates: str) -> list[tuple[str, str, str, dict[str, str]]]:
    case.edit(
        PLAN,
        lambda p: p.update(
            reviews=[{"date": d, "responsible": "kk", "method": "kohtumine"} for d in dates]
        ),
    )
    return rule(case, "I7")


def test_a_review_is_not_before_the_plan(twin: build.Case) -> None:
    assert reviews(twin, "2026-02-02") == []
    assert reviews(twin, "2026-04-01", "2026-02-01") == [
        (PLAN, "error", "reviews[1].date", {"date": "2026-02-01", "plan_date": "2026-02-02"})
    ]


def test_the_first_review_is_within_the_review_period(twin: build.Case) -> None:
    assert reviews(twin, "2026-05-02") == []  # the plan's date and three months
    late = {"date": "2026-05-03", "months": "3", "limit": "2026-05-02"}
    assert reviews(twin, "2026-05-03") == [(PLAN, "warning", "reviews[0].date", late)]
    assert reviews(twin, "2026-08-01", "2026-05-03") == [(PLAN, "warning", "reviews[1].date", late)]
    assert reviews(twin, "2026-08-01", "2026-04-01") == []  # the first one counts


def test_the_review_period_comes_from_juhtum_yaml(twin: build.Case) -> None:
    config = twin.root.parents[1] / "juhtum.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("review_period_months: 3", "review_period_months: 2"))
    assert reviews(twin, "2026-04-02") == []
    assert reviews(twin, "2026-04-03") == [
        (
            PLAN,
            "warning",
            "reviews[0].date",
            {"date": "2026-04-03", "months": "2", "limit": "2026-04-02"},
        )
    ]


# -- I11: closing prepared with the person -------------------------------------------------------------

CLOSING = "closing.yaml"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("feedback", None),
        ("feedback", "hea"),  # said, but not as the record of feedback
        ("rights_explained", False),
        ("consequences_explained", None),
        ("strategies", ""),
        ("resources", None),
        ("help_contacts", []),
    ],
)
def test_closing_records_what_was_prepared_with_the_person(
    twin: build.Case, key: str, value: Any
) -> None:
    def change(closing: dict[str, Any]) -> None:
        if value is None:
            closing.pop(key)
        else:
            closing[key] = value

    twin.edit(CLOSING, change)
    # (a value of the wrong form is also a schema problem of the same field and rule)
    assert {(f, s, w) for f, s, w, _ in rule(twin, "I11")} == {(CLOSING, "error", key)}


def test_a_case_that_never_came_to_case_management_closes_without_it(twin: build.Case) -> None:
    twin.edit(CLOSING, lambda c: c.update(rights_explained=False))
    assert [w for _, _, w, _ in rule(twin, "I11")] == ["rights_explained"]
    twin.edit(NEED, lambda n: n["decision"].update(outcome="referred"))
    assert rule(twin, "I11") == []


# -- I12: the handover ---------------------------------------------------------------------------------


def test_a_handover_grants_access_and_tells_the_person_their_rights(twin: build.Case) -> None:
    twin.edit(HANDOVER, lambda h: h.update(access_granted=False))
    assert rule(twin, "I12") == [(HANDOVER, "error", "access_granted", {"handle": "kk2"})]
    twin.edit(HANDOVER, lambda h: h.update(access_granted=True))
    twin.edit(HANDOVER, lambda h: h["client_informed"].update(rights_explained=False))
    assert rule(twin, "I12") == [(HANDOVER, "error", "client_informed.rights_explained", {})]


def test_a_handover_after_the_plan_is_told_to_its_providers(twin: build.Case) -> None:
    twin.edit(HANDOVER, lambda h: h.update(providers_notified=[]))
    assert rule(twin, "I12") == [(HANDOVER, "error", "providers_notified", {"handles": "tk"})]
    twin.edit(HANDOVER, lambda h: h.update(date="2026-02-02"))  # the plan's own day
    assert rule(twin, "I12") == [(HANDOVER, "error", "providers_notified", {"handles": "tk"})]
    twin.edit(HANDOVER, lambda h: h.update(date="2026-02-01"))  # before the plan: none yet
    assert rule(twin, "I12") == []
    twin.edit(HANDOVER, lambda h: h.update(date="2026-03-16", to="tk"))  # to the provider
    assert [w for _, _, w, _ in rule(twin, "I12")] == []


# -- I13: meeting protocols ----------------------------------------------------------------------------

MEETING = build.MEETING


def test_an_agreement_may_be_due_on_the_meeting_day_not_before(twin: build.Case) -> None:
    twin.edit(MEETING, lambda m: m["agreements"][0].update(deadline="2026-03-20"))
    assert rule(twin, "I13") == []
    twin.edit(MEETING, lambda m: m["agreements"][0].update(deadline="2026-03-19"))
    assert rule(twin, "I13") == [
        (
            MEETING,
            "error",
            "agreements[0].deadline",
            {"deadline": "2026-03-19", "date": "2026-03-20"},
        )
    ]


def test_every_participant_gets_a_copy_of_the_protocol(twin: build.Case) -> None:
    twin.edit(MEETING, lambda m: m.update(copies_sent_to=["kk2", "client"]))
    assert rule(twin, "I13") == [(MEETING, "warning", "copies_sent_to", {"handles": "ode, tk"})]


# -- I14: dates that record the past, documents in their own case --------------------------------------


def test_a_date_that_records_the_past_is_not_in_the_future(twin: build.Case) -> None:
    def on(day: str) -> list[tuple[str, str, str, dict[str, str]]]:
        result = runner.validate(
            Repository(twin.root.parents[1]),
            Options(dt.date.fromisoformat(day), legal=True),
            use_cache=False,
        )
        return sorted(
            (p.file.removeprefix("cases/twin-a1/"), p.severity, field_text(p.field), {})
            for p in found(result, "I14")
        )

    assert on("2026-06-20") == []  # the closing's own day
    assert on("2026-06-19") == [
        (CLOSING, "error", "date", {}),
        (CLOSING, "error", "feedback.date", {}),
    ]


def test_a_document_names_the_case_of_its_folder(twin: build.Case) -> None:
    twin.edit(MEETING, lambda m: m.update(case="twin-b2"))
    assert rule(twin, "I14") == [
        (MEETING, "error", "case", {"value": "twin-b2", "folder": "twin-a1"})
    ]
    twin.edit(MEETING, lambda m: m.update(case="twin-a1"))
    twin.edit("case.yaml", lambda c: c.update(id="twin-b2"))
    assert rule(twin, "I14") == [
        ("case.yaml", "error", "id", {"value": "twin-b2", "folder": "twin-a1"})
    ]


# -- I15: every problem answered -----------------------------------------------------------------------


def domains(case: build.Case, change: Callable[[list[dict[str, Any]]], object]) -> None:
    def edit(assessment: dict[str, Any]) -> None:
        change(assessment["domains"])

    case.edit(ASSESSMENT, edit)


def test_a_domain_of_another_framework_or_rated_twice(twin: build.Case) -> None:
    domains(twin, lambda d: d[2].update(domain="income"))
    assert rule(twin, "I15") == [(ASSESSMENT, "error", "domains[2].domain", {"domain": "income"})]
    domains(twin, lambda d: d[2].update(domain="school"))
    [(file, severity, where, args)] = rule(twin, "I15")
    assert (file, severity, where) == (ASSESSMENT, "error", "domains[2].domain")
    assert args["domain"] == "school" and args["framework"] == "adult"
    assert "employment" in args["allowed"].split(", ")


def test_a_domain_rated_unknown_is_warned_of(twin: build.Case) -> None:
    domains(twin, lambda d: d[3].update(rating="unknown"))
    assert rule(twin, "I15") == [(ASSESSMENT, "warning", "domains[3].rating", {"domain": "health"})]


def test_a_problem_is_answered_by_a_goal_or_listed_as_unaddressed(twin: build.Case) -> None:
    domains(twin, lambda d: d[3].update(rating="problem"))
    assert rule(twin, "I15") == [(PLAN, "error", "goals", {"domain": "health"})]
    twin.edit(
        PLAN,
        lambda p: p.update(
            unaddressed=[{"domain": "health", "reason": "Liina ei soovi praegu abi."}]
        ),
    )
    assert rule(twin, "I15") == []
    twin.edit(PLAN, lambda p: p.pop("unaddressed"))
    twin.edit(PLAN, lambda p: p["goals"][0].update(domains=["employment", "health"]))
    assert rule(twin, "I15") == []


# -- I16: what the regulation asks a case plan to hold (--legal) ---------------------------------------


def legal(case: build.Case, *, on: bool = True) -> list[tuple[str, str, str, dict[str, str]]]:
    result = runner.validate(
        Repository(case.root.parents[1]),
        Options(dt.date.fromisoformat(TODAY), legal=on),
        use_cache=False,
    )
    return sorted(
        (
            (
                p.file.removeprefix("cases/twin-a1/"),
                p.severity,
                field_text(p.field),
                {k: str(v) for k, v in p.args.items()},
            )
            for p in found(result, "I16")
        ),
        key=str,
    )


def person(case: build.Case, handle: str, **change: Any) -> None:
    def edit(data: dict[str, Any]) -> None:
        for key, value in change.items():
            data.pop(key) if value is None else data.update({key: value})

    case.edit(f"people/{handle}.yaml", edit)


def test_the_people_of_the_plan_as_the_regulation_asks(twin: build.Case) -> None:
    person(twin, "client", address=None)
    client = {"item": "address", "handle": "client", "clause": "(1) 4"}
    assert legal(twin) == [("people/client.yaml", "error", "address", client)]
    assert legal(twin, on=False) == []  # only with --legal
    person(twin, "client", address="Pargi 3-4", phone=None)
    contacts = {"item": "contacts (email or phone)", "handle": "client", "clause": "(1) 4"}
    assert legal(twin) == [("people/client.yaml", "error", "", contacts)]
    person(twin, "client", email="liina@example.org")
    assert legal(twin) == []
    person(twin, "kk2", email=None)  # the coordinator now
    assert [(f, w, a["clause"]) for f, _, w, a in legal(twin)] == [("people/kk2.yaml", "", "(1) 3")]


def test_a_representative_as_the_regulation_asks(twin: build.Case) -> None:
    twin.edit("case.yaml", lambda c: c.update(representatives=["ode"]))
    found = {(f, w, a["item"], a["clause"]) for f, _, w, a in legal(twin)}
    assert ("people/ode.yaml", "basis", "basis of representation", "(1) 5") in found
    assert ("people/ode.yaml", "personal_code", "personal code", "(1) 5") in found
    assert all(f == "people/ode.yaml" for f, _, _, _ in found)


def test_the_need_for_help_covers_each_area_and_its_summary(twin: build.Case) -> None:
    domains(twin, lambda d: d.pop(3))  # health, the only one of health and coping
    assert [(f, w, a["area"]) for f, _, w, a in legal(twin)] == [
        (ASSESSMENT, "domains", "health and coping")
    ]
    domains(twin, lambda d: d.append({"domain": "daily_living", "rating": "no_problem"}))
    assert legal(twin) == []
    twin.edit(ASSESSMENT, lambda a: a["summary"].pop("obstacles"))
    assert [w for _, _, w, _ in legal(twin)] == ["summary.obstacles"]
    twin.edit(ASSESSMENT, lambda a: a["summary"].update(obstacles="Pikk tööpaus."))
    twin.edit(ASSESSMENT, lambda a: a.pop("previous_assessments"))
    assert [w for _, _, w, _ in legal(twin)] == ["previous_assessments"]


def test_each_goal_names_what_hinders_it(twin: build.Case) -> None:
    twin.edit(PLAN, lambda p: p["goals"][1].pop("hindering_factors"))
    assert legal(twin) == [(PLAN, "error", "goals[1].hindering_factors", {"goal": "g2"})]


# -- I9: announced changes -----------------------------------------------------------------------------

CHANGE = build.MONITORING_CHANGE


def test_an_announced_change_lets_the_earlier_signatures_stand(twin: build.Case) -> None:
    assert rule(twin, "I9") == [
        (PLAN, "warning", "version", {"version": "2", "date": "2026-03-02", "signed": "1"})
    ]
    assert problems(twin, "I8") == []


def test_a_change_is_announced_to_everyone_responsible_for_an_action(twin: build.Case) -> None:
    twin.edit(CHANGE, lambda m: m.update(notified=["client", "kk"]))
    assert [(f, s, w, a.get("handles")) for f, s, w, a in rule(twin, "I9")] == [
        (CHANGE, "error", "notified", "ode, tk"),
        (PLAN, "warning", "version", None),
    ]


def test_an_entry_cannot_announce_a_version_the_plan_does_not_have(twin: build.Case) -> None:
    twin.edit(CHANGE, lambda m: m.update(plan_version=3))
    assert rule(twin, "I9") == [
        (CHANGE, "error", "plan_version", {"announced": "3", "version": "2"})
    ]
    # without the announcement the version-1 signatures hold no more
    assert {w for _, w, _ in problems(twin, "I8")} == {"signatures"}


# -- I17: every reference resolves ---------------------------------------------------------------------

PLANNING = "planning.yaml"
SERVICE_CHECK = build.MONITORING_SERVICE


def test_a_handle_names_somebody_of_the_case(twin: build.Case) -> None:
    twin.edit(MEETING, lambda m: m.update(participants=["client", "kk2", "tk", "ode", "zz"]))
    assert (MEETING, "error", "participants[4]", {"handle": "zz", "id": "twin-a1"}) in rule(
        twin, "I17"
    )


def test_the_client_and_representatives_have_their_role(twin: build.Case) -> None:
    person(twin, "client", roles=["network"])
    assert rule(twin, "I17") == [
        ("case.yaml", "error", "client", {"handle": "client", "role": "client"})
    ]
    person(twin, "client", roles=["client"])
    twin.edit("case.yaml", lambda c: c.update(representatives=["ode"]))
    assert rule(twin, "I17") == [
        (
            "case.yaml",
            "error",
            "representatives[0]",
            {"handle": "ode", "role": "representative"},
        )
    ]


def test_an_id_is_never_used_twice(twin: build.Case) -> None:
    twin.edit(PLAN, lambda p: p["actions"][3].update(id="a1"))
    assert (PLAN, "error", "actions[3].id", {"id": "a1"}) in rule(twin, "I17")
    twin.edit(PLAN, lambda p: p["actions"][3].update(id="a4"))
    twin.edit(PLAN, lambda p: p["goals"][1].update(id="g1"))
    assert (PLAN, "error", "goals[1].id", {"id": "g1"}) in rule(twin, "I17")


def unknown(what: str, value: str) -> dict[str, str]:
    return {"what": what, "value": value}


def test_references_to_goals_measures_actions_and_evaluations_resolve(twin: build.Case) -> None:
    twin.edit(PLANNING, lambda p: p["options"][0].update(goal="g9"))
    twin.edit(PLANNING, lambda p: p["measures"][0].update(goals=["g1", "g8"]))
    twin.edit(PLAN, lambda p: p["actions"][0].update(goals=["g7"]))
    twin.edit(PLAN, lambda p: p["actions"][1].update(measure="m9"))
    twin.edit(SERVICE_CHECK, lambda m: m["services"][0].update(measure="m8"))
    twin.edit(SERVICE_CHECK, lambda m: m["action_updates"][0].update(action="a9"))
    twin.edit(EVALUATION, lambda e: e["goal_results"][1].update(goal="g6"))
    found = rule(twin, "I17")
    for expected in (
        (PLANNING, "error", "options[0].goal", unknown("goal", "g9")),
        (PLANNING, "error", "measures[0].goals[1]", unknown("goal", "g8")),
        (PLAN, "error", "actions[0].goals[0]", unknown("goal", "g7")),
        (PLAN, "error", "actions[1].measure", unknown("measure", "m9")),
        (SERVICE_CHECK, "error", "services[0].measure", unknown("measure", "m8")),
        (SERVICE_CHECK, "error", "action_updates[0].action", unknown("action", "a9")),
        (EVALUATION, "error", "goal_results[1].goal", unknown("goal", "g6")),
    ):
        assert expected in found, expected


def test_a_plan_goal_is_defined_by_the_assessment(twin: build.Case) -> None:
    twin.edit(PLAN, lambda p: p["goals"][1].update(id="g5"))
    assert (PLAN, "error", "goals[1].id", {"goal": "g5"}) in rule(twin, "I17")


def test_closing_names_an_evaluation_that_exists(twin: build.Case) -> None:
    twin.edit(CLOSING, lambda c: c.update(evaluation="evaluations/2026-06-16-zzzz.yaml"))
    assert rule(twin, "I17") == [
        (
            CLOSING,
            "error",
            "evaluation",
            unknown("evaluation", "evaluations/2026-06-16-zzzz.yaml"),
        )
    ]


# -- the current stage's document is a draft: what is not yet written there is a to-do ----------------


def at_stage(case: build.Case, stage: str) -> None:
    case.edit("case.yaml", lambda c: c.update(stage=stage))


def drop_resources(assessment: dict[str, Any]) -> None:
    each_domain("resources")(assessment)
    assessment["summary"].pop("resources")


DRAFT_EDITS: list[tuple[str, str, Callable[[Any], Any], str, str]] = [
    (NEED, "I1", lambda n: n["initial_info"].pop("consent"), "I1", "initial_info"),
    (
        NEED,
        "I1",
        lambda n: n["initial_info"]["informed"].update(purpose=False),
        "I1",
        "initial_info.informed.purpose",
    ),
    (
        NEED,
        "I1",
        lambda n: n["initial_info"]["disclosures"][0].update(client_informed=False),
        "I1",
        "initial_info.disclosures[0].client_informed",
    ),
    (ASSESSMENT, "I3", each_domain("risks"), "I3", "domains"),
    (ASSESSMENT, "I3", drop_resources, "I3", "domains"),
    (ASSESSMENT, "I3", lambda a: a["client_view"].pop("statement"), "I3", "client_view"),
    (
        ASSESSMENT,
        "I3",
        lambda a: a["client_view"].update(agrees=False),
        "I3",
        "client_view.dissent",
    ),
    (ASSESSMENT, "I16", lambda a: a["summary"].pop("obstacles"), "I16", "summary.obstacles"),
    (ASSESSMENT, "I16", lambda a: a.pop("previous_assessments"), "I16", "previous_assessments"),
    (ASSESSMENT, "I16", lambda a: a["domains"].pop(3), "I16", "domains"),
    (ASSESSMENT, "I15", lambda a: a["domains"][3].update(rating="problem"), "I15", "goals"),
    (PLAN, "I5", lambda p: [a.update(goals=["g1"]) for a in p["actions"]], "I5", "goals[1]"),
    (
        PLAN,
        "I6",
        lambda p: p["actions"][0].update(kind="service", responsible=["tk"]),
        "I6",
        "actions",
    ),
    (PLAN, "I6", lambda p: p["actions"][3].update(kind="service"), "I6", "actions"),
    (
        PLAN,
        "I16",
        lambda p: p["goals"][1].pop("hindering_factors"),
        "I16",
        "goals[1].hindering_factors",
    ),
    (PLAN, "I8", lambda p: p["signatures"].pop(3), "I8", "signatures"),
    ("case.yaml", "I8", lambda c: c.update(framework="child"), "I8", "signatures"),
    (
        PLAN,
        "I8",
        lambda p: p["signatures"][3].update(version=2, content_hash="0" * 64),
        "I8",
        "signatures[3].content_hash",
    ),
]


@pytest.mark.parametrize(
    ("document", "name", "change", "rule_name", "where"),
    DRAFT_EDITS,
    ids=[f"{e[1]}-{e[4]}" for e in DRAFT_EDITS],
)
def test_in_a_draft_what_is_not_yet_written_is_a_todo(
    twin: build.Case,
    document: str,
    name: str,
    change: Callable[[Any], Any],
    rule_name: str,
    where: str,
) -> None:
    twin.edit(document, change)
    # the problem is in the document edited, but a problem left unanswered is the plan's
    shown = PLAN if rule_name == "I15" or document == "case.yaml" else document
    written = {(f, s, w) for f, s, w, _ in rule(twin, rule_name)}
    assert (shown, "error", where) in written  # a stage done: an error
    at_stage(twin, "need")  # need, assessment, planning and plan are drafts then
    written = {(f, s, w) for f, s, w, _ in rule(twin, rule_name)}
    assert (shown, "todo", where) in written
    assert (shown, "error", where) not in written


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda e: e.update(shared_with=["client", "ode"]), "shared_with"),
        (lambda e: e["goal_results"].pop(1), "goal_results"),
    ],
    ids=["shared_with", "goal_results"],
)
def test_in_the_evaluation_in_progress_what_is_missing_is_a_todo(
    twin: build.Case, change: Callable[[Any], Any], where: str
) -> None:
    twin.edit(EVALUATION, change)
    assert (EVALUATION, "error", where) in {(f, s, w) for f, s, w, _ in rule(twin, "I10")}
    at_stage(twin, "evaluation")
    written = {(f, s, w) for f, s, w, _ in rule(twin, "I10")}
    assert (EVALUATION, "todo", where) in written
    assert (EVALUATION, "error", where) not in written


# -- I8: signed by all parties -------------------------------------------------------------------------


def signatures(case: build.Case, change: Callable[[list[dict[str, Any]]], object]) -> None:
    def edit(plan: dict[str, Any]) -> None:
        change(plan["signatures"])

    case.edit(PLAN, edit)


def test_a_party_that_has_not_signed_is_named(twin: build.Case) -> None:
    signatures(twin, lambda s: s.pop(3))  # ode's
    assert rule(twin, "I8") == [(PLAN, "error", "signatures", {"party": "ode"})]


def test_a_signature_of_this_version_made_before_a_change_no_longer_holds(
    twin: build.Case,
) -> None:
    signatures(twin, lambda s: s[3].update(version=2, content_hash="0" * 64))
    assert rule(twin, "I8") == [(PLAN, "error", "signatures[3].content_hash", {"party": "ode"})]
    # signed again since: the void signature is only history
    current = rule(twin, "I9")[0]  # the plan as it stands is announced: take its hash
    assert current[1] == "warning"
    plan_hash = str(twin.load(build.MONITORING_CHANGE)["plan_hash"])
    signatures(
        twin,
        lambda s: s.append(
            {
                "party": "ode",
                "role": "network",
                "date": "2026-03-03",
                "method": "paper",
                "version": 2,
                "content_hash": plan_hash,
            }
        ),
    )
    assert rule(twin, "I8") == []


def test_a_plan_without_canonical_form_cannot_be_signed(twin: build.Case) -> None:
    twin.edit(PLAN, lambda p: p.update(version=2**60))
    assert [(f, s, w) for f, s, w, _ in rule(twin, "I8")] == [(PLAN, "error", "")]


# -- I10: no closing without the evaluation that decided it -------------------------------------------


def test_closing_as_achieved_names_the_evaluation_that_decided_to_close(twin: build.Case) -> None:
    twin.edit(CLOSING, lambda c: c.pop("evaluation"))
    assert rule(twin, "I10") == [(CLOSING, "error", "evaluation", {})]
    twin.edit(CLOSING, lambda c: c.update(evaluation=EVALUATION))
    twin.edit(EVALUATION, lambda e: e.update(decision="modify"))
    assert rule(twin, "I10") == [
        (CLOSING, "error", "evaluation", {"path": EVALUATION, "decision": "modify"})
    ]


def test_closing_as_achieved_needs_every_goal_achieved(twin: build.Case) -> None:
    twin.edit(EVALUATION, lambda e: e["goal_results"][1].update(result="partly_achieved"))
    assert rule(twin, "I10") == [(CLOSING, "error", "reason", {"path": EVALUATION, "goal": "g2"})]
    twin.edit(CLOSING, lambda c: c.update(reason="no_longer_needed"))  # that reason may
    assert rule(twin, "I10") == []


def test_a_case_that_cannot_continue_is_not_closed_into_danger(twin: build.Case) -> None:
    def cannot_continue(closing: dict[str, Any]) -> None:
        closing.update(
            reason="cannot_continue",
            safety={"endangers_life_or_health": True, "assessment": "Oht elule."},
        )

    twin.edit(CLOSING, cannot_continue)
    assert (CLOSING, "error", "safety.endangers_life_or_health", {}) in rule(twin, "I10")
    twin.edit(CLOSING, lambda c: c["safety"].update(endangers_life_or_health=False))
    assert (CLOSING, "error", "safety.endangers_life_or_health", {}) not in rule(twin, "I10")


def test_i4_names_the_action_and_its_dates(twin: build.Case) -> None:
    action(twin, "a1", start="2026-03-02", deadline="2026-03-01")
    action(twin, "a2", frequency=None)
    action(twin, "a3", resources=None)
    assert rule(twin, "I4") == [
        (
            PLAN,
            "error",
            "actions[0].deadline",
            {"action": "a1", "deadline": "2026-03-01", "start": "2026-03-02"},
        ),
        (PLAN, "warning", "actions[1]", {"action": "a2"}),
        (PLAN, "warning", "actions[2]", {"action": "a3"}),
    ]
    # an action without an id (the schema says so) is named by its place, counted from 1
    twin.edit(PLAN, lambda p: p["actions"][2].pop("id"))
    assert (PLAN, "warning", "actions[2]", {"action": "3"}) in rule(twin, "I4")


def test_resources_in_the_domains_suffice_without_the_summary(twin: build.Case) -> None:
    twin.edit(ASSESSMENT, lambda a: a["summary"].pop("resources"))
    assert rule(twin, "I3") == []


def test_the_current_coordinator_signs_when_no_coordinator_has(twin: build.Case) -> None:
    signatures(twin, lambda s: s.pop(1))  # kk's, the coordinator before the handover
    # kk is required as a signer of the plan; kk2, coordinating now, signs for the coordinator
    assert rule(twin, "I8") == [
        (PLAN, "error", "signatures", {"party": "kk"}),
        (PLAN, "error", "signatures", {"party": "kk2"}),
    ]


def test_every_void_signature_is_said_beside_one_signed_again(twin: build.Case) -> None:
    plan_hash = str(twin.load(build.MONITORING_CHANGE)["plan_hash"])

    def change(s: list[dict[str, Any]]) -> None:
        s.pop(2)  # tk's signature of version 1
        s[2].update(version=2, content_hash="0" * 64)  # ode's, void
        s.append({**s[2], "party": "tk", "role": "provider"})  # tk's, void
        s.append({**s[2], "content_hash": plan_hash})  # ode's again: holds

    signatures(twin, change)
    assert rule(twin, "I8") == [(PLAN, "error", "signatures[3].content_hash", {"party": "tk"})]
    signatures(twin, lambda s: s[3].pop("party"))
    assert (PLAN, "error", "signatures[3].content_hash", {"party": "?"}) in rule(twin, "I8")


def test_an_announcement_before_an_evaluation_that_decided_to_modify_does_not_carry(
    twin: build.Case,
) -> None:
    twin.edit(EVALUATION, lambda e: e.update(decision="modify", date="2026-03-02"))
    assert problems(twin, "I8") == []  # announced that same day: it carries
    twin.edit(EVALUATION, lambda e: e.update(date="2026-03-03"))
    assert {p[0] for p in rule(twin, "I8")} == {PLAN}
    assert [w for _, _, w, _ in rule(twin, "I9")] == []


def test_a_plan_that_is_not_a_mapping_is_a_schema_problem_not_a_crash(twin: build.Case) -> None:
    (twin.root / PLAN).write_text("- a list\n", encoding="utf-8")
    assert rule(twin, "I8") == []


def test_only_an_integer_version_is_announced(twin: build.Case) -> None:
    from juhtum.model.hashing import content_hash

    twin.edit(PLAN, lambda p: p.update(version="2"))
    plan_hash = content_hash(twin.load(PLAN))
    twin.edit(build.MONITORING_CHANGE, lambda m: m.update(plan_version="2", plan_hash=plan_hash))
    # no announcement holds: none is said to, and the signatures do not stand for this plan
    # (the schema says the versions are not whole numbers)
    assert [w for f, _, w, _ in rule(twin, "I9") if f == PLAN] == []
    assert rule(twin, "I8") != []
