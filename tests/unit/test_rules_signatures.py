"""I8, the plan signed by all its parties (juhis §4.2, §5.2, §8), on the twin in memory, one
edit each: which signatures hold for the plan as it stands, and what is said of the others."""

from __future__ import annotations

from typing import Any

from juhtum.model.case import Case
from juhtum.model.hashing import content_hash
from juhtum.model.invariants.signatures import i8_signatures, signature_state
from tests.unit.rules_twin import drop, edit, put, run, twin

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


# -- going without a signature (juhis §4.2) ------------------------------------------------------


def record(case: Case, party: str, status: str, **more: Any) -> None:
    current = content_hash(plan_of(case))
    entry = {"party": party, "status": status, "date": "2026-02-04", "version": 2}
    entry["content_hash"] = current
    entry.update(more)
    edit(case, PLAN, lambda p: p["signatures"].append(entry))


def without(case: Case, party: str) -> None:
    edit(
        case,
        PLAN,
        lambda p: p.update(signatures=[s for s in p["signatures"] if s["party"] != party]),
    )


def test_the_coordinator_may_go_without_a_network_members_refused_signature() -> None:
    case = twin()
    signed_now(case)
    without(case, "ode")
    assert parties(case) == ["ode"]
    record(case, "ode", "refused")
    [problem] = run(case, i8_signatures)
    assert problem.args["party"] == "ode"
    assert problem.args["status"] == "refused"
    record(case, "ode", "waived", recorded_by="kk2")
    assert run(case, i8_signatures) == []


def test_the_state_records_the_decision_to_go_without() -> None:
    case = twin()
    signed_now(case)
    without(case, "ode")
    record(case, "ode", "refused", content_hash="0" * 64)  # about another version: history
    record(case, "ode", "refused")
    record(case, "ode", "waived", recorded_by="kk2", reason="ei soovi")
    state = signature_state(case)
    assert state is not None
    assert state.not_signed == {"ode": plan_of(case)["signatures"][4]}
    assert state.waived == {"ode": plan_of(case)["signatures"][5]}
    assert state.waived["ode"]["reason"] == "ei soovi"


def test_a_refusal_of_another_version_does_not_hide_the_refusal_of_this_one() -> None:
    case = twin()
    signed_now(case)
    without(case, "ode")
    record(case, "ode", "refused", content_hash="0" * 64)
    record(case, "ode", "unable")
    assert [p.args.get("status") for p in run(case, i8_signatures)] == ["unable"]


def test_a_waiver_before_any_record_of_why() -> None:
    case = twin()
    signed_now(case)
    without(case, "ode")
    record(case, "ode", "waived", recorded_by="kk")  # a coordinator of the case, earlier
    problems = run(case, i8_signatures)
    assert [(p.field, p.args) for p in problems] == [
        (("signatures", 3, "status"), {"party": "ode"}),
        (("signatures",), {"party": "ode"}),
    ]
    assert "nothing records why" in problems[0].message
    assert not problems[0].missing


def test_only_a_coordinator_goes_without_and_never_without_a_provider_or_coordinator() -> None:
    for party, recorded_by in (("ode", "tk"), ("ode", None), ("tk", "kk2"), ("kk", "kk2")):
        case = twin()
        signed_now(case)
        without(case, party)
        record(case, party, "refused")
        record(case, party, "waived", **({"recorded_by": recorded_by} if recorded_by else {}))
        problems = run(case, i8_signatures)
        assert [p.field for p in problems][:1] == [("signatures", 4, "status")], party
        assert "only the coordinator can" in problems[0].message
        assert problems[0].args == {"party": party}


def test_a_party_who_is_a_specialist_provider_or_coordinator_is_not_gone_without() -> None:
    for role in ("specialist", "provider", "coordinator"):
        case = twin()
        signed_now(case)
        without(case, "ode")
        edit(case, "people/ode.yaml", lambda o: o.update(roles=["network", role]))  # noqa: B023
        record(case, "ode", "unable")
        record(case, "ode", "waived", recorded_by="kk2")
        assert "only the coordinator can" in run(case, i8_signatures)[0].message, role


def test_a_waiver_of_another_version_is_history() -> None:
    case = twin()
    signed_now(case)
    record(case, "ode", "waived", recorded_by="tk", content_hash="0" * 64)
    record(case, "muu", "waived", recorded_by="tk", content_hash="0" * 64)
    assert run(case, i8_signatures) == []
    record(case, "nobody", "waived", recorded_by="tk")
    record(case, "kk", "waived", recorded_by="tk")  # signed: the waiver is history
    assert parties(case) == ["nobody"]


# -- signatures that hold, earlier ones, void ones ------------------------------------------------


def test_a_record_without_a_status_is_a_signature_and_a_refusal_is_not() -> None:
    case = twin()
    signed_now(case)
    edit(case, PLAN, lambda p: p["signatures"][2].update(status="signed"))
    assert run(case, i8_signatures) == []
    edit(case, PLAN, lambda p: p["signatures"][2].update(status="refused"))
    [problem] = run(case, i8_signatures)
    assert problem.args == {
        "party": "tk",
        "status": "refused",
        "date": "2026-02-03",
        "id": "twin-a1",
    }
    assert (problem.field, problem.missing) == (("signatures",), True)
    edit(case, PLAN, lambda p: p["signatures"][2].update(status="lost"))
    assert [p.args for p in run(case, i8_signatures)] == [{"party": "tk"}]


def test_a_refusal_without_a_date_or_status_text() -> None:
    case = twin()
    signed_now(case)
    edit(case, PLAN, lambda p: p["signatures"][2].update(status="unable"))
    edit(case, PLAN, lambda p: p["signatures"][2].pop("date"))
    assert run(case, i8_signatures)[0].args["date"] == "?"


def test_a_refusal_of_an_earlier_version_holds_while_the_change_is_announced() -> None:
    case = twin()
    edit(case, PLAN, lambda p: p["signatures"][2].update(status="refused"))
    assert [p.args.get("status") for p in run(case, i8_signatures)] == ["refused"]
    edit(case, PLAN, lambda p: p["signatures"][2].update(version=2))  # this version, edited since
    assert [p.args for p in run(case, i8_signatures)] == [{"party": "tk"}]


def test_a_signature_of_a_party_not_named_is_not_one() -> None:
    case = twin()
    signed_now(case)
    edit(case, PLAN, lambda p: p["signatures"][2].update(party=["tk"]))
    assert [p.args for p in run(case, i8_signatures)] == [{"party": "tk"}]


def test_a_signature_with_a_version_that_is_not_a_number_is_void() -> None:
    for version in (True, "1", None):
        case = twin()
        edit(case, PLAN, lambda p: p["signatures"][2].update(version=version))  # noqa: B023
        [problem] = run(case, i8_signatures)
        assert (problem.field, problem.args) == (("signatures", 2, "content_hash"), {"party": "tk"})
    case = twin()
    edit(case, PLAN, lambda p: p.update(version="2"))
    assert parties(case) == ["client", "kk", "tk", "ode", "kk2"]


def test_a_void_signature_is_said_once_not_again_as_missing() -> None:
    case = twin()
    signed_now(case)
    edit(case, PLAN, lambda p: p["signatures"][3].update(content_hash="0" * 64))
    edit(case, PLAN, lambda p: p["signatures"][3].update(party=None))
    assert [(p.field, p.args) for p in run(case, i8_signatures)] == [
        (("signatures", 3, "content_hash"), {"party": "?"}),
        (("signatures",), {"party": "ode"}),
    ]


def test_the_current_coordinator_signs_when_no_coordinator_has() -> None:
    case = twin()
    edit(case, PLAN, lambda p: [a.update(responsible=["client"]) for a in p["actions"][3:]])
    signed_now(case)
    without(case, "kk")
    assert parties(case) == ["kk2"]
    edit(case, "case.yaml", lambda c: c.pop("coordinator"))
    edit(case, "handovers/2026-03-16-e5f6.yaml", lambda h: h.pop("to"))
    assert run(case, i8_signatures) == []  # no coordinator named: I2 says so


def test_a_party_responsible_twice_is_named_once() -> None:
    case = twin()
    edit(case, PLAN, lambda p: p["actions"][0].update(responsible=["client", "tk"]))
    signed_now(case)
    without(case, "tk")
    assert parties(case) == ["tk"]


# -- the announcement of a change (juhis §5.2, §6.3) ----------------------------------------------


def test_an_announcement_holds_for_its_version_and_hash_only() -> None:
    for change in ({"kind": "service_check"}, {"plan_version": 3}, {"plan_hash": "0" * 64}):
        case = twin()
        edit(case, CHANGE, lambda m: m.update(change))  # noqa: B023
        assert parties(case) == ["client", "tk", "ode", "kk", "kk2"], change


def test_an_evaluation_deciding_to_modify_asks_for_new_signatures() -> None:
    case = twin()
    evaluation = "evaluations/2026-06-15-j9k0.yaml"
    edit(case, evaluation, lambda e: e.update(decision="modify", date="2026-03-03"))
    assert parties(case) == ["client", "tk", "ode", "kk", "kk2"]
    edit(case, evaluation, lambda e: e.update(date="2026-03-02"))  # the day of the announcement
    assert run(case, i8_signatures) == []
    edit(case, evaluation, lambda e: e.update(decision="continue", date="2026-03-03"))
    assert run(case, i8_signatures) == []


def test_the_latest_announcement_of_the_version_counts() -> None:
    case = twin()
    edit(case, "evaluations/2026-06-15-j9k0.yaml", lambda e: e.update(decision="modify"))
    assert parties(case) == ["client", "tk", "ode", "kk", "kk2"]
    again = {**case.monitoring[1].fields, "date": "2026-06-16"}
    put(case, "monitoring/2026-06-16-k1k1.yaml", "monitoring", again)
    assert run(case, i8_signatures) == []


def test_a_plan_that_is_not_a_mapping_is_left_to_the_schema() -> None:
    case = twin()
    put(case, PLAN, "plan", [{"party": "client"}])
    assert run(case, i8_signatures) == []


def test_an_earlier_signature_without_a_party_name_is_skipped() -> None:
    case = twin()
    edit(case, PLAN, lambda p: p["signatures"][2].update(party=["tk"]))
    assert parties(case) == ["tk"]


def test_the_current_coordinator_responsible_for_an_action_is_named_once() -> None:
    case = twin()
    edit(case, PLAN, lambda p: p["actions"][3].update(responsible=["kk2"]))
    signed_now(case)
    without(case, "kk")
    assert parties(case) == ["kk2"]


def test_every_party_not_signed_is_named_after_a_refusal() -> None:
    case = twin()
    signed_now(case)
    without(case, "tk")
    without(case, "ode")
    record(case, "tk", "refused")
    assert [(p.args["party"], p.args.get("status")) for p in run(case, i8_signatures)] == [
        ("tk", "refused"),
        ("ode", None),
    ]
