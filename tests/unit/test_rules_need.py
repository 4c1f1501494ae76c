"""The rules of the need stage (juhis §1) on the twin in memory, one edit each: I1 consent
before information, told and decided with the person; I2 one coordinator, changed only by a
handover."""

from __future__ import annotations

from typing import Any

from juhtum.model.invariants.need import i1_consent, i2_coordinator
from tests.unit.rules_twin import drop, edit, found, representative, run, twin

NEED = "need.yaml"
HANDOVER = "handovers/2026-03-16-e5f6.yaml"


def info(change: Any) -> Any:
    return lambda need: change(need["initial_info"])


def test_the_twin_keeps_i1_and_i2() -> None:
    case = twin()
    assert found(case, i1_consent) == []
    assert found(case, i2_coordinator) == []


def test_without_a_need_document_or_case_file_nothing_is_checked() -> None:
    case = twin()
    edit(case, NEED, lambda n: n["decision"].update(explained_to_client=False))
    drop(case, NEED)
    assert found(case, i1_consent) == []
    case = twin()
    edit(case, "case.yaml", lambda c: c.update(coordinator="tk"))
    drop(case, "case.yaml")
    assert found(case, i2_coordinator) == []


# -- I1: consent or a legal basis -----------------------------------------------------------------


def test_information_gathered_needs_consent_or_a_legal_basis() -> None:
    case = twin()
    edit(case, NEED, info(lambda i: i.pop("consent")))
    [problem] = run(case, i1_consent)
    assert (problem.rule, problem.severity, problem.field, problem.missing) == (
        "I1",
        "error",
        ("initial_info",),
        True,
    )
    assert problem.file == "cases/twin-a1/need.yaml"
    edit(case, NEED, info(lambda i: i.update(legal_basis="SHS § 29")))
    assert found(case, i1_consent) == []


def test_when_the_first_information_sufficed_consent_is_not_asked() -> None:
    case = twin()
    edit(case, NEED, info(lambda i: i.pop("consent")))
    edit(case, NEED, info(lambda i: i.pop("informed")))
    edit(case, NEED, lambda n: n.update(info_sufficient=True))
    assert found(case, i1_consent) == []
    edit(case, NEED, lambda n: n.pop("info_sufficient"))
    assert found(case, i1_consent) == []


def test_no_information_gathered_needs_no_consent() -> None:
    case = twin()
    edit(case, NEED, lambda n: n.update(initial_info={}))
    assert found(case, i1_consent) == []


def test_consent_by_someone_who_is_not_the_persons_side() -> None:
    case = twin()
    edit(case, NEED, info(lambda i: i["consent"].update(given_by="ode")))
    [problem] = run(case, i1_consent)
    assert (problem.severity, problem.field) == ("error", ("initial_info", "consent", "given_by"))
    assert problem.args == {"handle": "ode"}
    assert problem.message.startswith("consent was given by {handle}, who is neither")
    assert not problem.missing


def test_consent_by_a_representative_only_when_in_force_on_its_date() -> None:
    case = twin()
    representative(case, "ema", basis="custody", **{"from": "2026-01-06"})
    edit(case, NEED, info(lambda i: i["consent"].update(given_by="ema")))
    assert found(case, i1_consent) == []  # appointed on the very day
    representative(case, "isa", basis="custody", **{"from": "2026-01-07"})
    edit(case, NEED, info(lambda i: i["consent"].update(also_given_by=["ema", "isa"])))
    [problem] = run(case, i1_consent)
    assert problem.field == ("initial_info", "consent", "also_given_by", 1)
    assert problem.args == {"handle": "isa", "date": "2026-01-06"}
    assert "when they were not the person's legal representative" in problem.message
    edit(case, NEED, info(lambda i: i["consent"].pop("date")))
    edit(case, NEED, info(lambda i: i["consent"].update(also_given_by=["ode"])))
    [problem] = run(case, i1_consent)
    assert problem.field == ("initial_info", "consent", "also_given_by", 0)
    assert problem.args == {"handle": "ode"}


def test_consent_without_a_date_names_the_unknown_day() -> None:
    case = twin()
    representative(case, "ema", basis="custody", until="2026-01-01")
    edit(case, NEED, info(lambda i: i["consent"].update(given_by="ema", date="6.1.2026")))
    # without a date a representative is taken as in force: the schema reports the date
    assert found(case, i1_consent) == []
    case = twin()
    representative(case, "ema", basis="custody", until="2026-01-01")
    edit(case, NEED, info(lambda i: i["consent"].update(given_by="ema")))
    [problem] = run(case, i1_consent)
    assert problem.args == {"handle": "ema", "date": "2026-01-06"}


# -- I1: told before information was gathered ------------------------------------------------------


def test_what_the_person_was_told_is_recorded_or_why_not() -> None:
    case = twin()
    edit(case, NEED, info(lambda i: i.pop("informed")))
    [problem] = run(case, i1_consent)
    assert (problem.severity, problem.field, problem.missing) == (
        "error",
        ("initial_info", "informed"),
        True,
    )
    edit(case, NEED, lambda n: n.update(not_possible={"informed": True}))  # not a reason
    assert len(run(case, i1_consent)) == 1
    edit(case, NEED, lambda n: n.update(not_possible={"informed": ""}))
    assert len(run(case, i1_consent)) == 1
    edit(case, NEED, lambda n: n.update(not_possible={"informed": "the person was unconscious"}))
    assert found(case, i1_consent) == []


def test_each_thing_the_person_was_not_told() -> None:
    case = twin()
    edit(case, NEED, info(lambda i: i["informed"].update(purpose=False)))
    edit(case, NEED, info(lambda i: i["informed"].update(duty_to_report_changes="jah")))
    problems = run(case, i1_consent)
    assert [p.field for p in problems] == [
        ("initial_info", "informed", "purpose"),
        ("initial_info", "informed", "duty_to_report_changes"),
    ]
    assert all(p.missing and p.severity == "error" for p in problems)
    assert [str(p.args["what"]) for p in problems] == [
        "the purpose and process of gathering information",
        "their duty to report changes",
    ]
    edit(case, NEED, info(lambda i: i["informed"].pop("purpose")))
    assert [p.field[-1] for p in run(case, i1_consent)] == ["duty_to_report_changes"]
    edit(case, NEED, lambda n: n.update(not_possible={"informed": "no contact"}))
    assert found(case, i1_consent) == []


# -- I1: information obtained before the consent ---------------------------------------------------


def test_information_obtained_before_the_consent() -> None:
    case = twin()
    edit(case, NEED, info(lambda i: i["sources"][1].update(obtained="2026-01-05")))
    [problem] = run(case, i1_consent)
    assert (problem.severity, problem.field, problem.missing) == (
        "error",
        ("initial_info", "sources", 1, "obtained"),
        False,
    )
    assert problem.args == {"obtained": "2026-01-05", "consent": "2026-01-06"}
    edit(case, NEED, info(lambda i: i["sources"][1].update(obtained="2026-01-06")))
    assert found(case, i1_consent) == []  # on the day of the consent


def test_a_register_may_be_read_before_the_consent() -> None:
    case = twin()
    edit(case, NEED, info(lambda i: i["sources"][0].update(obtained="2025-12-01")))
    assert found(case, i1_consent) == []
    edit(case, NEED, info(lambda i: i["sources"][0].update(kind="client")))
    assert found(case, i1_consent) == [("error", "initial_info.sources[0].obtained")]


def test_without_a_consent_date_no_source_is_compared() -> None:
    case = twin()
    edit(case, NEED, info(lambda i: i["sources"][1].update(obtained="2026-01-01")))
    edit(case, NEED, info(lambda i: i["consent"].pop("date")))
    assert found(case, i1_consent) == []


# -- I1: disclosures, the decision, the agreement --------------------------------------------------


def test_the_person_is_told_of_each_disclosure() -> None:
    case = twin()
    edit(case, NEED, lambda n: n.update(info_sufficient=True))  # disclosures are checked still
    edit(case, NEED, info(lambda i: i["disclosures"][0].update(client_informed=False)))
    [problem] = run(case, i1_consent)
    assert (problem.severity, problem.field, problem.missing) == (
        "error",
        ("initial_info", "disclosures", 0, "client_informed"),
        True,
    )
    assert problem.args == {"handle": "tk"}
    edit(case, NEED, info(lambda i: i["disclosures"][0].pop("to")))
    assert [p.args for p in run(case, i1_consent)] == [{"handle": "?"}]
    edit(case, NEED, lambda n: n.update(not_possible={"disclosures": "urgent danger"}))
    assert found(case, i1_consent) == []


def test_an_unrecorded_disclosure_answer_is_not_a_refusal() -> None:
    case = twin()
    edit(case, NEED, info(lambda i: i["disclosures"][0].pop("client_informed")))
    assert found(case, i1_consent) == []


def test_the_decision_and_agreement_with_a_specialist_or_the_coordinator() -> None:
    case = twin()
    edit(case, NEED, lambda n: n["agreement"].update(**{"with": "kk"}))
    [problem] = run(case, i1_consent)
    assert (problem.field, problem.args) == (
        ("agreement", "with"),
        {"where": "agreement.with", "handle": "kk", "date": "2026-01-12"},
    )
    edit(case, NEED, lambda n: n["agreement"].pop("date"))
    assert [p.args["date"] for p in run(case, i1_consent)] == ["?"]
    case = twin()
    edit(case, NEED, lambda n: n["decision"].update(**{"with": "spec"}))
    assert found(case, i1_consent) == []  # nobody registered: I17 says so
    problems = run(case, i1_consent, specialists=frozenset({"spec"}))
    assert [(p.field, p.args["handle"]) for p in problems] == [(("decision", "with"), "spec")]


def test_the_decision_with_the_person_under_another_handle() -> None:
    case = twin()
    edit(case, "case.yaml", lambda c: c.update(client="liina"))
    edit(case, NEED, info(lambda i: i["consent"].update(given_by="liina")))
    edit(case, NEED, lambda n: n["decision"].update(**{"with": "liina"}))
    edit(case, NEED, lambda n: n["agreement"].update(**{"with": "liina"}))
    assert found(case, i1_consent) == []


def test_the_decision_is_explained_or_why_not() -> None:
    case = twin()
    edit(case, NEED, lambda n: n["decision"].update(explained_to_client=False))
    assert found(case, i1_consent) == [("error", "decision.explained_to_client")]
    assert run(case, i1_consent)[0].missing
    edit(case, NEED, lambda n: n["decision"].update(explained_to_client=None))
    assert found(case, i1_consent) == []
    edit(case, NEED, lambda n: n["decision"].update(explained_to_client=False))
    edit(case, NEED, lambda n: n.update(not_possible={"explained_to_client": "in hospital"}))
    assert found(case, i1_consent) == []


def test_every_giver_of_the_consent_is_checked() -> None:
    case = twin()
    representative(case, "ema", basis="custody", until="2026-01-01")
    edit(case, NEED, info(lambda i: i["consent"].update(given_by="ema", also_given_by=["ode"])))
    assert [(p.field[-1], p.args["handle"]) for p in run(case, i1_consent)] == [
        ("given_by", "ema"),
        (0, "ode"),
    ]


def test_an_unregistered_decision_partner_does_not_hide_the_agreements() -> None:
    case = twin()
    edit(case, NEED, lambda n: n["decision"].update(**{"with": "nobody"}))
    edit(case, NEED, lambda n: n["agreement"].update(**{"with": "tk"}))
    assert found(case, i1_consent) == [("error", "agreement.with")]
