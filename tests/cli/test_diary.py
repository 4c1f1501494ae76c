"""The case diary and urgent help (juhis §3 "tööpäevik", §5.1; issue 12 item 3).

``juhtum note ID`` adds an append-only diary entry in any state without moving the case;
``history`` and ``show`` list the entries; help given before the plan is signed is recorded
there, and the plan names it in ``prior_help``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from juhtum.documents import yamlio
from tests.cli import casebuild
from tests.conftest import Run, git

Juhtum = Callable[..., Run]

URGENT = """\
kind: urgent_help
with: [client]
summary: >-
  Liina helistas: elektri väljalülitamise hoiatus. Kokkulepe energiaettevõttega maksegraafikuks
  tehti samal päeval, enne juhtumiplaani allkirjastamist (juhis §5.1).
"""

PASSED = """\
kind: information_passed
with: [tk]
summary: Töötukassale edastati Liina nõusolekul tema tööotsingu eelistused.
"""


def stage_of(root: Path, case: str) -> str:
    path = root / "cases" / case / "case.yaml"
    return str(yamlio.load_file(path, path="case.yaml").data["stage"])


def diary_of(root: Path, case: str) -> list[Path]:
    return sorted((root / "cases" / case / "diary").glob("*.yaml"))


def test_a_note_in_the_need_state_moves_nothing(repo: Path, juhtum: Juhtum, tmp_path: Path) -> None:
    r = ("--repo", str(repo), "--today", "2026-01-05")
    case = juhtum(*r, "new", "--client", "Mari Maasikas").out.strip().splitlines()[-1]
    entry = tmp_path / "call.yaml"
    entry.write_text("by: client\nsummary: Mari helistas ja kirjeldas muret.\n", encoding="utf-8")
    noted = juhtum(*r, "note", case, "--kind", "call", "-f", entry)
    assert noted.code == 0, noted.output
    assert "state: need" in noted.out
    assert stage_of(repo, case) == "need"
    [written] = diary_of(repo, case)
    data = yamlio.load_file(written, path="x").data
    assert data["kind"] == "call" and data["date"] == "2026-01-05" and data["case"] == case
    assert git(repo, "log", "-1", "--format=%s").startswith(f"{case}: diary: call")
    assert juhtum(*r, "validate").code == 0


def test_help_before_the_signature_is_recorded_and_the_plan_names_it(
    tmp_path: Path, juhtum: Juhtum
) -> None:
    root = casebuild.build(tmp_path / "repo", upto="plan")
    r = ("--repo", str(root), "--today", "2026-02-03")
    urgent = tmp_path / "urgent.yaml"
    urgent.write_text(URGENT, encoding="utf-8")
    noted = juhtum(*r, "note", "tw-1", "-f", urgent)
    assert noted.code == 0, noted.output
    assert stage_of(root, "tw-1") == "plan"
    [entry] = diary_of(root, "tw-1")
    name = f"diary/{entry.name}"
    assert yamlio.load_file(entry, path="x").data["by"] == "kk"  # the coordinator by default
    # the plan refers to the help given before it
    plan = casebuild.plan_version_1(tmp_path)
    text = plan.read_text(encoding="utf-8").replace("case: tw-1\n", "")
    missing = tmp_path / "plan-missing.yaml"
    missing.write_text(text + "prior_help: [diary/2026-01-01-zzzz.yaml]\n", encoding="utf-8")
    refused = juhtum(*r, "plan", "tw-1", "-f", missing)
    assert refused.code == 1
    assert "diary/2026-01-01-zzzz.yaml is no diary entry of this case" in refused.err
    plan.write_text(text + f"prior_help: [{name}]\n", encoding="utf-8")
    planned = juhtum(*r, "plan", "tw-1", "-f", plan)
    assert planned.code == 0, planned.output
    for party in ("client", "kk", "tk", "ode"):
        signed = juhtum(*r, "sign", "tw-1", "--party", party)
        assert signed.code == 0, signed.output
    assert stage_of(root, "tw-1") == "implementation"
    # information passed on needs its legal basis
    passed = tmp_path / "passed.yaml"
    passed.write_text(PASSED, encoding="utf-8")
    later = ("--repo", str(root), "--today", "2026-02-10")
    without = juhtum(*later, "note", "tw-1", "-f", passed)
    assert without.code == 1
    assert "legal_basis" in without.err
    passed.write_text(
        PASSED + "legal_basis: Liina kirjalik nõusolek 2026-01-12\n", encoding="utf-8"
    )
    assert juhtum(*later, "note", "tw-1", "-f", passed).code == 0
    assert stage_of(root, "tw-1") == "implementation"
    # show and history list the entries
    show = juhtum(*later, "show", "tw-1")
    assert "Case diary (juhis §3):" in show.out
    assert f"2026-02-03  urgent help  {name}" in show.out  # labelled
    history = juhtum(*later, "history", "tw-1")
    assert "diary: urgent_help" in history.out and "diary: information_passed" in history.out
    valid = juhtum(*later, "validate")
    assert valid.code == 0, valid.output
    assert "0 errors" in valid.out


def test_a_diary_entry_is_append_only(tmp_path: Path, juhtum: Juhtum) -> None:
    root = casebuild.build(tmp_path / "repo", upto="implementation")
    r = ("--repo", str(root), "--today", "2026-02-10")
    urgent = tmp_path / "urgent.yaml"
    urgent.write_text(URGENT, encoding="utf-8")
    assert juhtum(*r, "note", "tw-1", "-f", urgent).code == 0
    revision = git(root, "rev-parse", "HEAD")
    [entry] = diary_of(root, "tw-1")
    entry.write_text(entry.read_text(encoding="utf-8").replace("Liina", "Mari"), encoding="utf-8")
    checked = juhtum(*r, "validate", "--changed-since", revision, cwd=root)
    assert checked.code == 1
    assert "append-only" in checked.out


def test_an_unknown_kind_is_a_usage_error(tmp_path: Path, juhtum: Juhtum) -> None:
    root = casebuild.build(tmp_path / "repo", upto="plan")
    result = juhtum("--repo", str(root), "note", "tw-1", "--kind", "gossip", "-f", "-")
    assert result.code == 2
    assert "--kind is one of contact, call, visit" in result.err
