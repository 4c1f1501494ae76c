"""Signatures in real life (juhis §4.2, issue 12 item 1): a party refuses, cannot sign or agrees
only orally; the coordinator puts the plan in force without them, with a reason and a legal basis.

Driven through the real CLI on real git repositories: the adult twin case of
``casebuild`` (its network member ``ode`` has not signed) and a child case built from the
kaasiku example's documents, where one parent refuses to sign.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from juhtum.documents import yamlio
from tests.cli import casebuild
from tests.conftest import EXAMPLES, Run, git

Juhtum = Callable[..., Run]
CHILD = EXAMPLES / "kaasiku" / "cases" / "kaasiku-m4t8qe"
CHILD_ID = "ch-1"
CHILD_DAY = "2026-08-27"
CHILD_SIGNERS = ("ema", "psyh", "lepitaja", "sotsosakond", "sotsped", "vanaema", "kk-ms")


def plan_of(root: Path, case: str) -> dict[str, Any]:
    path = root / "cases" / case / "plan.yaml"
    data = yamlio.load_file(path, path=path.name).data
    assert isinstance(data, dict)
    return data


def stage_of(root: Path, case: str) -> str:
    path = root / "cases" / case / "case.yaml"
    data = yamlio.load_file(path, path=path.name).data
    return str(data["stage"])


@pytest.fixture
def adult(tmp_path: Path) -> Path:
    """The twin case in state plan: client, kk and tk signed; ode (network) has not."""
    return casebuild.build(tmp_path / "repo", upto="plan")


def child_case(root: Path, juhtum: Juhtum) -> Path:
    """A child case (kaasiku's documents) in state plan with no signature yet."""
    assert juhtum("init", root, "--organisation", "Testvald", "--language", "en").code == 0
    shutil.copytree(EXAMPLES / "kaasiku" / "services", root / "services")
    git(root, "add", "services")
    git(root, "commit", "-qm", "catalogue")
    work = root.parent / "child-documents"
    work.mkdir()
    day = ("--repo", str(root), "--today", CHILD_DAY)
    created = juhtum(
        *day, "new", "--client", "Oskar Test", "--framework", "child", "--id", CHILD_ID
    )
    assert created.code == 0, created.output

    def own(source: Path, name: str, *, drop_signatures: bool = False) -> Path:
        text = source.read_text(encoding="utf-8").replace("kaasiku-m4t8qe", CHILD_ID)
        if drop_signatures:
            text = text.split("\nsignatures:")[0] + "\n"
        target = work / name
        target.write_text(text, encoding="utf-8")
        return target

    for person in sorted((CHILD / "people").glob("*.yaml")):
        if person.stem == "client":
            continue
        added = juhtum(
            *day, "people", CHILD_ID, "--add", person.stem, "--file", own(person, person.name)
        )
        assert added.code == 0, added.output
    for command, name in (("need", "need"), ("assess", "assessment"), ("measures", "planning")):
        step = juhtum(*day, command, CHILD_ID, "-f", own(CHILD / f"{name}.yaml", f"{name}.yaml"))
        assert step.code == 0, step.output
    planned = juhtum(
        *day, "plan", CHILD_ID, "-f", own(CHILD / "plan.yaml", "plan.yaml", drop_signatures=True)
    )
    assert planned.code == 0, planned.output
    return root


def test_a_parent_who_refuses_no_longer_blocks_a_childs_plan(
    tmp_path: Path, juhtum: Juhtum
) -> None:
    root = child_case(tmp_path / "repo", juhtum)
    r = ("--repo", str(root), "--today", CHILD_DAY)
    for party in CHILD_SIGNERS:
        assert juhtum(*r, "sign", CHILD_ID, "--party", party).code == 0
    # the father refuses: the plan waits, and says how the coordinator can decide
    refused = juhtum(
        *r, "sign", CHILD_ID, "--party", "isa", "--refused", "--reason", "Ei nõustu plaaniga."
    )
    assert refused.code == 0, refused.output
    assert stage_of(root, CHILD_ID) == "plan"
    status = juhtum(*r, "status", CHILD_ID)
    assert "isa: refused to sign on 2026-08-27 (recorded by kk-ms, version 1)" in status.out
    assert "--party isa --in-force" in status.out
    assert juhtum(*r, "monitor", CHILD_ID, "-f", "-").code == 1  # not in force yet
    # the coordinator decides, in the child's interest
    decided = juhtum(
        *r,
        "sign",
        CHILD_ID,
        "--party",
        "isa",
        "--in-force",
        "--reason",
        "Plaan on lapse huvides; isa on kaasatud.",
        "--basis",
        "LasteKS § 21 ja § 28: lapse huvid",
    )
    assert decided.code == 0, decided.output
    assert "plan -> implementation" in decided.out
    assert stage_of(root, CHILD_ID) == "implementation"
    records = [s for s in plan_of(root, CHILD_ID)["signatures"] if s["party"] == "isa"]
    assert [s["status"] for s in records] == ["refused", "waived"]
    assert records[1]["recorded_by"] == "kk-ms"
    assert records[1]["basis"].startswith("LasteKS")
    assert "method" not in records[0]
    # monitoring works once the plan is in force
    entry = tmp_path / "monitoring.yaml"
    entry.write_text("kind: contact\ncontacts: [ema]\nprogress: Kohtumine emaga.\n")
    monitored = juhtum(
        "--repo", str(root), "--today", "2026-09-02", "monitor", CHILD_ID, "-f", entry
    )
    assert monitored.code == 0, monitored.output
    # status, show, due and the printed plan say who did not sign and why
    later = ("--repo", str(root), "--today", "2026-09-02")
    status = juhtum(*later, "status", CHILD_ID)
    assert "isa: the plan is in force without their signature, decided by kk-ms" in status.out
    show = juhtum(*later, "show", CHILD_ID)
    assert "isa: refused to sign on 2026-08-27; the plan is in force without it" in show.out
    shown = json.loads(juhtum(*later, "show", CHILD_ID, "--json").out)
    assert shown["not_signed"][0]["party"] == "isa"
    assert shown["not_signed"][0]["in_force"] == CHILD_DAY
    due = juhtum(*later, "due", "--within", "120d")
    assert "the plan is in force without isa's signature (refused on 2026-08-27)" in due.out
    printed = juhtum(*later, "export", CHILD_ID, "--format", "md")
    assert "## Not signed (juhis §4.2)" in printed.out
    assert "refused to sign" in printed.out and "LasteKS § 21" in printed.out
    assert "Ei nõustu plaaniga" not in printed.out + status.out + show.out  # sensitive
    valid = juhtum(*later, "validate")
    assert valid.code == 0, valid.output
    assert "0 errors" in valid.out


def test_the_decision_needs_a_recorded_reason_first(adult: Path, juhtum: Juhtum) -> None:
    r = ("--repo", str(adult), "--today", "2026-02-04")
    early = juhtum(
        *r, "sign", "tw-1", "--party", "ode", "--in-force", "--reason", "x", "--basis", "y"
    )
    assert early.code == 1
    assert "first record why ode did not sign" in early.err
    assert stage_of(adult, "tw-1") == "plan"


def test_a_provider_or_coordinator_cannot_be_gone_without(adult: Path, juhtum: Juhtum) -> None:
    root = adult
    r = ("--repo", str(root), "--today", "2026-02-04")
    plan = root / "cases" / "tw-1" / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    # drop tk's signature by hand, as if tk had not signed yet, and commit it
    kept = [s for s in plan_of(root, "tw-1")["signatures"] if s["party"] != "tk"]
    data = plan_of(root, "tw-1")
    data["signatures"] = kept
    plan.write_text(yamlio.dumps(data), encoding="utf-8")
    git(root, "commit", "-qam", "tk not signed")
    assert juhtum(*r, "sign", "tw-1", "--party", "tk", "--refused", "--reason", "Ei").code == 0
    waived = juhtum(
        *r, "sign", "tw-1", "--party", "tk", "--in-force", "--reason", "x", "--basis", "y"
    )
    assert waived.code == 1
    assert "a provider who will not sign sends the plan back to planning" in waived.err
    # a waiver written by hand for the provider does not count, and validate says why
    data = plan_of(root, "tw-1")
    refusal = data["signatures"][-1]
    data["signatures"].append({**refusal, "status": "waived", "reason": "x", "basis": "y"})
    plan.write_text(yamlio.dumps(data), encoding="utf-8")
    checked = juhtum(*r, "validate", "cases/tw-1", cwd=root)
    assert checked.code == 1
    assert "not tk's (juhis §4.2)" in checked.out
    plan.write_text(text, encoding="utf-8")
    assert juhtum(*r, "validate", "cases/tw-1", cwd=root).code == 0


def test_unable_oral_dissent_date_and_reference(adult: Path, juhtum: Juhtum) -> None:
    r = ("--repo", str(adult), "--today", "2026-02-04")
    future = juhtum(*r, "sign", "tw-1", "--party", "ode", "--date", "2026-02-05")
    assert future.code == 1
    assert "--date 2026-02-05 is later than today (2026-02-04)" in future.err
    bad = juhtum(*r, "sign", "tw-1", "--party", "ode", "--unable", "asleep")
    assert bad.code == 2
    both = juhtum(*r, "sign", "tw-1", "--party", "ode", "--oral", "--refused", "--reason", "x")
    assert both.code == 2
    unable = juhtum(
        *r, "sign", "tw-1", "--party", "ode", "--unable", "in_hospital", "--date", "2026-02-03"
    )
    assert unable.code == 0, unable.output
    assert "ode: cannot sign: in_hospital" in juhtum(*r, "status", "tw-1").out
    oral = juhtum(*r, "sign", "tw-1", "--party", "ode", "--oral", "--dissent", "Tähtaeg lühike.")
    assert oral.code == 0, oral.output
    signed = juhtum(
        *r,
        "sign",
        "tw-1",
        "--party",
        "ode",
        "--date",
        "2026-02-04",
        "--reference",
        "DHS 1-7/123",
        "--dissent",
        "Tähtaeg on lühike.",
    )
    assert signed.code == 0, signed.output
    assert stage_of(adult, "tw-1") == "implementation"
    status = juhtum(*r, "status", "tw-1").out
    assert "ode: with a dissent (juhis §4.2)" in status
    assert "ode: agreed orally, did not sign, on 2026-02-04 (recorded by kk)" in status
    last = plan_of(adult, "tw-1")["signatures"][-1]
    assert last["reference"] == "DHS 1-7/123"
    assert last["dissent"] == "Tähtaeg on lühike."
    assert last["method"] == "paper" and "status" not in last
    statuses = [
        s.get("status") for s in plan_of(adult, "tw-1")["signatures"] if s["party"] == "ode"
    ]
    assert statuses == ["unable", "oral", None]
    valid = juhtum(*r, "validate")
    assert valid.code == 0, valid.output


def test_a_refusal_is_no_signature(adult: Path, juhtum: Juhtum, tmp_path: Path) -> None:
    """A refusal recorded for every party does not count as signing (monitoring and the closing
    rules look for a real signature or the coordinator's decision)."""
    copy = shutil.copytree(adult, tmp_path / "copy")
    r = ("--repo", str(copy), "--today", "2026-02-04")
    assert juhtum(*r, "sign", "tw-1", "--party", "ode", "--refused", "--reason", "Ei").code == 0
    assert stage_of(copy, "tw-1") == "plan"
    listed = juhtum(*r, "due", "--within", "30d")
    assert "the plan waits for the signatures of ode (refused)" in listed.out
