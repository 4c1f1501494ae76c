"""Participation is checked, not only recorded (issue 12 item 6; juhis §1.3, §2, §5.2, §6).

Driven through the real CLI on a real git repository (the twin case of ``casebuild`` in
implementation): a record that the person was not told, or that the decision was taken
without them, used to be accepted as it was written; now each is refused unless the
document says why it was not possible, and a case whose person is in hospital goes on with
those reasons, ending with ``validate`` clean.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from juhtum.documents import yamlio
from tests.cli import casebuild
from tests.conftest import Run

Juhtum = Callable[..., Run]
CASE = casebuild.CASE
FOLDER = Path("cases") / CASE


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return casebuild.build(tmp_path / "repo", upto="implementation")


def load(root: Path, name: str) -> dict[str, Any]:
    data = yamlio.load_file(root / FOLDER / name, path=name).data
    assert isinstance(data, dict)
    return data


def written(tmp_path: Path, name: str, data: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(yamlio.dumps(data), encoding="utf-8")
    return path


def test_a_decision_not_explained_is_refused_unless_the_reason_is_given(
    root: Path, tmp_path: Path, juhtum: Juhtum
) -> None:
    r = ("--repo", str(root), "--today", "2026-02-10")
    need = load(root, "need.yaml")
    need["decision"]["explained_to_client"] = False
    refused = juhtum(*r, "edit", CASE, "need", "-f", str(written(tmp_path, "n1.yaml", need)))
    assert refused.code == 1
    assert "not_possible.explained_to_client" in refused.output
    assert load(root, "need.yaml")["decision"]["explained_to_client"] is True
    need["not_possible"] = {"explained_to_client": "Isik oli teadvuseta; selgitatakse hiljem."}
    accepted = juhtum(*r, "edit", CASE, "need", "-f", str(written(tmp_path, "n2.yaml", need)))
    assert accepted.code == 0, accepted.output
    # the decision is made with the person or their representative, not a provider
    need["decision"]["with"] = "tk"
    wrong = juhtum(*r, "edit", CASE, "need", "-f", str(written(tmp_path, "n3.yaml", need)))
    assert wrong.code == 1
    assert "decision.with" in wrong.output
    # an assessment the person was not told of
    assessment = load(root, "assessment.yaml")
    assessment["client_informed"] = False
    told = juhtum(*r, "edit", CASE, "assess", "-f", str(written(tmp_path, "a.yaml", assessment)))
    assert told.code == 1
    assert "not_possible.client_informed" in told.output


def test_a_person_in_hospital_the_plan_change_and_the_evaluation_go_on_with_reasons(
    root: Path, tmp_path: Path, juhtum: Juhtum
) -> None:
    day = ("--repo", str(root), "--today", "2026-03-02")
    plan = {k: v for k, v in load(root, "plan.yaml").items() if k != "signatures"}
    plan["problem_summary"] = f"{plan['problem_summary']} Klient on haiglas."
    source = written(tmp_path, "plan.yaml", plan)
    # told only to the provider: refused, the person is told of every change (§5.2)
    silent = juhtum(*day, "plan", CASE, "-f", str(source), "--notify", "tk,ode,kk")
    assert silent.code == 1
    assert "the plan change was not told to client" in silent.output
    # the person cannot be reached: the reason stands in for the notification
    changed = juhtum(
        *day,
        "plan",
        CASE,
        "-f",
        str(source),
        "--notify",
        "tk,ode,kk",
        "--not-told",
        "Klient on intensiivravis; teavitatakse pärast haiglast lahkumist.",
    )
    assert changed.code == 0, changed.output
    entries = sorted((root / FOLDER / "monitoring").glob("*.yaml"))
    entry = yamlio.load_file(entries[-1], path="m").data
    assert entry["not_possible"] == {
        "notified": "Klient on intensiivravis; teavitatakse pärast haiglast lahkumist."
    }
    # the evaluation without the person: their view and the decision need the reasons
    later = ("--repo", str(root), "--today", "2026-04-20")
    evaluation: dict[str, Any] = {
        "case": CASE,
        "date": "2026-04-20",
        "team": ["kk", "tk"],
        "purpose": "Vahehindamine.",
        "announced_to": ["client", "tk", "ode"],
        "views": [{"who": "tk", "view": "Teenus jätkub."}],
        "goal_results": [
            {"goal": g["id"], "result": "partly", "evidence": "pooleli"} for g in plan["goals"]
        ],
        "shared_with": ["client", "tk", "ode"],
        "recommendations": "Jätkata.",
        "decision": "continue",
        "next_review": "2026-06-15",
    }
    refused = juhtum(*later, "evaluate", CASE, "-f", str(written(tmp_path, "e1.yaml", evaluation)))
    assert refused.code == 1
    assert "not_possible.client_view" in refused.output
    assert "not_possible.decided_with" in refused.output
    evaluation["not_possible"] = {
        "client_view": "Klient on haiglas ega saa suhelda.",
        "decided_with": "Klient on haiglas; otsus arutatakse temaga läbi hiljem.",
    }
    accepted = juhtum(*later, "evaluate", CASE, "-f", str(written(tmp_path, "e2.yaml", evaluation)))
    assert accepted.code == 0, accepted.output
    checked = juhtum(*later, "validate", cwd=root)
    assert checked.code == 0, checked.output
    assert "0 errors" in checked.output
