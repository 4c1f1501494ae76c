"""Legal representatives over time (issue 12 item 4; määrus nr 10 § 1 (1) 5, juhis §1.2, §4.2).

Driven through the real CLI on a real git repository: the child case of
``test_practice_signatures`` (kaasiku's documents; parents ``ema`` and ``isa`` share
custody) is signed by everyone and implemented; then a court appoints a guardian. The
parents' periods end, the guardian signs the plan in force (no new version), and what the
parents did before (consent, signatures) stays valid.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from juhtum.documents import yamlio
from tests.cli.test_practice_signatures import (
    CHILD_DAY,
    CHILD_ID,
    CHILD_SIGNERS,
    child_case,
    plan_of,
    stage_of,
)
from tests.conftest import Run, git

Juhtum = Callable[..., Run]
COURT = "2026-09-10"
LATER = "2026-09-15"


def implemented(root: Path, juhtum: Juhtum) -> Path:
    """The child case with every party's signature: in implementation."""
    child_case(root, juhtum)
    r = ("--repo", str(root), "--today", CHILD_DAY)
    for party in (*CHILD_SIGNERS, "isa"):
        signed = juhtum(*r, "sign", CHILD_ID, "--party", party)
        assert signed.code == 0, signed.output
    assert stage_of(root, CHILD_ID) == "implementation"
    return root


def person(root: Path, handle: str) -> dict[str, object]:
    path = root / "cases" / CHILD_ID / "people" / f"{handle}.yaml"
    data = yamlio.load_file(path, path=path.name).data
    assert isinstance(data, dict)
    return data


def changed_plan(root: Path, target: Path) -> Path:
    """The plan as it stands with its problem summary changed (a §5.2 change)."""
    plan = {k: v for k, v in plan_of(root, CHILD_ID).items() if k != "signatures"}
    plan["problem_summary"] = f"{plan['problem_summary']} Eestkostja on määratud."
    target.write_text(yamlio.dumps(plan), encoding="utf-8")
    return target


def appoint_guardian(root: Path, juhtum: Juhtum, day: str = COURT) -> Run:
    return juhtum(
        "--repo",
        str(root),
        "--today",
        day,
        "people",
        CHILD_ID,
        "--add",
        "eestkostja",
        "--name",
        "Eeva Kask",
        "--role",
        "representative",
        "--basis",
        "guardianship",
        "--from",
        COURT,
        "--reference",
        "Kaasiku Maakohus 2-26-4411, 09.09.2026",
    )


def test_a_guardian_appointed_during_implementation_signs_the_plan_in_force(
    tmp_path: Path, juhtum: Juhtum
) -> None:
    root = implemented(tmp_path / "repo", juhtum)
    before = plan_of(root, CHILD_ID)
    commits = int(git(root, "rev-list", "--count", "HEAD"))
    # the court appoints a guardian: registered with the basis and the first day
    added = appoint_guardian(root, juhtum)
    assert added.code == 0, added.output
    guardian = person(root, "eestkostja")
    assert guardian["representation"] == {
        "basis": "guardianship",
        "from": COURT,
        "reference": "Kaasiku Maakohus 2-26-4411, 09.09.2026",
    }
    r = ("--repo", str(root), "--today", LATER)
    # the parents' custody ended the day before: each a commit of its own
    for parent in ("ema", "isa"):
        ended = juhtum(*r, "people", CHILD_ID, "--end", parent, "--date", "2026-09-09")
        assert ended.code == 0, ended.output
        representation = person(root, parent)["representation"]
        assert isinstance(representation, dict) and representation["until"] == "2026-09-09"
    assert int(git(root, "rev-list", "--count", "HEAD")) == commits + 3
    assert "people: ema represents until 2026-09-09" in git(root, "log", "-3", "--format=%s")
    # the plan stays in force; the guardian's signature is asked for, as a warning
    checked = juhtum(*r, "validate", cwd=root)
    assert checked.code == 0, checked.output
    assert "eestkostja became a legal representative on 2026-09-10" in checked.output
    assert stage_of(root, CHILD_ID) == "implementation"
    # the guardian signs the plan in force: no new version
    signed = juhtum(*r, "sign", CHILD_ID, "--party", "eestkostja")
    assert signed.code == 0, signed.output
    after = plan_of(root, CHILD_ID)
    assert after["version"] == before["version"]
    new = after["signatures"][-1]
    assert (new["party"], new["version"], new["content_hash"]) == (
        "eestkostja",
        before["version"],
        before["signatures"][0]["content_hash"],
    )
    # a plan change is told to the person and the guardian, not to the parents of before
    plan = changed_plan(root, root.parent / "plan-v2.yaml")
    changed = juhtum(*r, "plan", CHILD_ID, "-f", str(plan))
    assert changed.code == 0, changed.output
    entry = sorted((root / "cases" / CHILD_ID / "monitoring").glob("*.yaml"))[-1]
    told = yamlio.load_file(entry, path=entry.name).data["notified"]
    assert {"client", "eestkostja"} <= set(told)
    # the past stays valid: the parents' consent and signatures, and validate is clean
    final = juhtum(*r, "validate", cwd=root)
    assert final.code == 0, final.output
    assert "0 errors" in final.output
    assert "became a legal representative" not in final.output


def test_no_signature_or_consent_outside_a_representatives_period(
    tmp_path: Path, juhtum: Juhtum
) -> None:
    root = implemented(tmp_path / "repo", juhtum)
    assert appoint_guardian(root, juhtum).code == 0
    r = ("--repo", str(root), "--today", LATER)
    assert juhtum(*r, "people", CHILD_ID, "--end", "isa", "--date", "2026-09-09").code == 0
    # a signature dated before the guardian's period would not count: refused
    early = juhtum(*r, "sign", CHILD_ID, "--party", "eestkostja", "--date", "2026-09-05")
    assert early.code == 1
    assert "signed on 2026-09-05, outside their period as legal representative" in early.output
    # isa still signs a new version: he is responsible for actions of the plan (a party)
    work = changed_plan(root, tmp_path / "plan.yaml")
    assert juhtum(*r, "plan", CHILD_ID, "-f", str(work)).code == 0
    assert juhtum(*r, "sign", CHILD_ID, "--party", "isa").code == 0
    # a consent written as given by him after his period is an I1 error
    need = root / "cases" / CHILD_ID / "need.yaml"
    data = yamlio.load_file(need, path="need.yaml").data
    data["initial_info"]["consent"]["given_by"] = "isa"
    data["initial_info"]["consent"]["date"] = "2026-09-12"
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    (copy / "cases" / CHILD_ID / "need.yaml").write_text(yamlio.dumps(data), encoding="utf-8")
    checked = juhtum("--today", LATER, "validate", cwd=copy)
    assert checked.code == 1
    assert "consent was given by isa on 2026-09-12, when they were not" in checked.output


def test_joint_custody_consent_and_the_period_options(tmp_path: Path, juhtum: Juhtum) -> None:
    root = implemented(tmp_path / "repo", juhtum)
    r = ("--repo", str(root), "--today", LATER)
    # both parents gave the consent: also_given_by is checked like given_by
    need = root / "cases" / CHILD_ID / "need.yaml"
    data = yamlio.load_file(need, path="need.yaml").data
    data["initial_info"]["consent"]["also_given_by"] = ["isa"]
    need.write_text(yamlio.dumps(data), encoding="utf-8")
    assert juhtum("--today", LATER, "validate", cwd=root).code == 0
    data["initial_info"]["consent"]["also_given_by"] = ["psyh"]
    need.write_text(yamlio.dumps(data), encoding="utf-8")
    wrong = juhtum("--today", LATER, "validate", cwd=root)
    assert wrong.code == 1
    assert "also_given_by[1]" in wrong.output
    git(root, "checkout", "--", ".")
    # the options are checked before anything is written
    for args, words in (
        (("--end", "isa"), "--end needs --date"),
        (("--end", "isa", "--date", "2026-09-31"), "is not a real date"),
        (("--end", "isa", "--date", "2026-12-01"), "later than today"),
        (("--end", "psyh", "--date", "2026-09-01"), "is not a legal representative"),
        (
            ("--add", "x", "--name", "X Y", "--role", "network", "--from", "2026-09-01"),
            "go with --add HANDLE --role representative",
        ),
        (
            ("--add", "x", "--name", "X Y", "--role", "representative", "--basis", "other"),
            "--basis other needs --basis-text",
        ),
        (("--date", "2026-09-01"), "--date goes with --end"),
    ):
        refused = juhtum(*r, "people", CHILD_ID, *args)
        assert refused.code != 0, args
        assert words in refused.output, refused.output
    # ending the last representative of a child is refused: register the one in force first
    assert juhtum(*r, "people", CHILD_ID, "--end", "isa", "--date", "2026-09-09").code == 0
    last = juhtum(*r, "people", CHILD_ID, "--end", "ema", "--date", "2026-09-09")
    assert last.code == 1
    assert "register the one in force" in last.output
    assert "representation" not in person(root, "ema")


def test_the_example_shows_each_representatives_basis_and_period(
    tmp_path: Path, juhtum: Juhtum
) -> None:
    from tests.conftest import EXAMPLES, copy_fixture

    root = copy_fixture(EXAMPLES / "kaasiku", tmp_path)
    case = "kaasiku-e2v6ts"
    listed = juhtum("--lang", "et", "--repo", str(root), "people", case)
    assert listed.code == 0, listed.output
    assert "vanaema: Maie Kuusik (esindaja, võrgustik; kohtu eestkostemäärus, 12.03.2024 – " in (
        listed.out
    )
    assert "tadi: Piret Rebane (esindaja, võrgustik; kohtu eestkostemäärus, 15.06.2026 – …)" in (
        listed.out
    )
    as_json = juhtum("--repo", str(root), "people", case, "--json")
    assert '"until": "2026-06-14"' in as_json.out
    # the printed plan names the representative in force; the one released signed before
    printed = juhtum("--lang", "et", "--repo", str(root), "export", case, "-f", "md").out
    representatives = [line for line in printed.splitlines() if "Seaduslik esindaja" in line]
    assert len(representatives) == 1 and "Piret Rebane" in representatives[0]
    assert "Maie Kuusik" in printed  # her signature of 16.04.2026 stands
