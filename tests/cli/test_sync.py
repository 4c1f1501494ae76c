"""Two specialists, two clones of one bare remote: sharing a case loses nothing.

Entries both add offline (monitoring, meetings, the people the meetings bring)
merge without conflict. When both change the plan, sync stops before merging,
even though git could merge the text, keeps both versions, and the case is
recovered with the command the message names.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from juhtum import yamlio
from tests.cli import casebuild
from tests.conftest import Run, git

CASE = casebuild.CASE


@pytest.fixture
def clones(tmp_path: Path) -> tuple[Path, Path]:
    base = casebuild.build(tmp_path / "base", upto="implementation")
    subprocess.run(
        ["git", "clone", "-q", "--bare", str(base), str(tmp_path / "remote.git")], check=True
    )
    for name in ("anu", "tiit"):
        subprocess.run(
            ["git", "clone", "-q", str(tmp_path / "remote.git"), str(tmp_path / name)], check=True
        )
    return tmp_path / "anu", tmp_path / "tiit"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def offline_work(juhtum: Callable[..., Run], clone: Path, handle: str, name: str, day: str) -> None:
    r = ["--repo", str(clone), "--today", day]
    assert (
        juhtum(*r, "people", CASE, "--add", handle, "--name", name, "--role", "network").code == 0
    )
    monitoring = write(
        clone.parent / f"{handle}-monitoring.yaml",
        "kind: contact\ncontacts: [client]\nprogress: Liina käis nõustamisel.\n",
    )
    assert juhtum(*r, "monitor", CASE, "-f", monitoring).code == 0
    meeting = write(
        clone.parent / f"{handle}-meeting.yaml",
        f"""\
place: vallamaja
participants: [client, kk, {handle}]
client_present: true
purpose: Kuidas {name} saab Liinat toetada.
agreements:
  - activity: {name} käib Liinaga kaasas.
    responsible: {handle}
    deadline: 2026-04-30
copies_sent_to: [client, kk, {handle}]
""",
    )
    assert juhtum(*r, "meeting", CASE, "-f", meeting).code == 0


def files(clone: Path, folder: str) -> list[str]:
    return sorted(p.name for p in (clone / "cases" / CASE / folder).glob("*.yaml"))


def test_entries_made_offline_on_both_sides_merge_without_conflict(
    clones: tuple[Path, Path], juhtum: Callable[..., Run]
) -> None:
    anu, tiit = clones
    offline_work(juhtum, anu, "naaber", "Nele Nael", "2026-02-10")
    offline_work(juhtum, tiit, "vend", "Vello Vaher", "2026-02-11")
    for clone in (anu, tiit, anu):
        run = juhtum("--repo", clone, "sync")
        assert run.code == 0, run.output
    assert git(anu, "rev-parse", "HEAD") == git(tiit, "rev-parse", "HEAD")
    for clone in (anu, tiit):
        assert len(files(clone, "monitoring")) == 2
        assert len(files(clone, "meetings")) == 2
        assert {"naaber.yaml", "vend.yaml"} <= set(files(clone, "people"))
        assert juhtum("--repo", clone, "validate").code == 0


def commit_graph_has_path_filters(clone: Path) -> bool:
    """git's commit-graph (split into layers) holds changed-path Bloom filters (chunk BIDX)."""
    layers = clone / ".git" / "objects" / "info" / "commit-graphs"
    return any(b"BIDX" in layer.read_bytes() for layer in layers.glob("graph-*.graph"))


def test_sync_gives_a_clone_the_settings_and_the_commit_graph_for_fast_history(
    clones: tuple[Path, Path], juhtum: Callable[..., Run]
) -> None:
    anu, _ = clones
    # a clone over the network gets no commit-graph (a local clone copies the objects folder)
    shutil.rmtree(anu / ".git" / "objects" / "info" / "commit-graphs", ignore_errors=True)
    assert git(anu, "config", "--local", "--get", "transfer.fsckObjects", check=False) == ""
    assert not commit_graph_has_path_filters(anu)
    offline_work(juhtum, anu, "naaber", "Nele Nael", "2026-02-10")
    assert juhtum("--repo", anu, "sync").code == 0
    assert git(anu, "config", "--local", "--get", "transfer.fsckObjects") == "true"
    assert git(anu, "config", "--local", "--get", "fetch.writeCommitGraph") == "true"
    assert commit_graph_has_path_filters(anu)
    assert juhtum("--repo", anu, "history", CASE).code == 0


def changed_plan(clone: Path, action: str, deadline: str) -> Path:
    plan = yamlio.load_file(clone / "cases" / CASE / "plan.yaml", path="plan.yaml").data
    for item in plan["actions"]:
        if item["id"] == action:
            item["deadline"] = deadline
    plan.pop("signatures")
    return write(clone.parent / f"{clone.name}-plan.yaml", yamlio.dumps(plan))


def test_both_change_the_plan_sync_stops_and_the_case_is_recovered(
    clones: tuple[Path, Path], juhtum: Callable[..., Run]
) -> None:
    anu, tiit = clones
    # different actions: git could merge these lines, but a merged plan is one nobody agreed to
    r = ["--today", "2026-03-02"]
    assert (
        juhtum(
            "--repo",
            anu,
            *r,
            "plan",
            CASE,
            "-f",
            changed_plan(anu, "a2", "2026-05-29"),
            "--agreed-by",
            "tk",
        ).code
        == 0
    )
    assert (
        juhtum(
            "--repo",
            tiit,
            *r,
            "plan",
            CASE,
            "-f",
            changed_plan(tiit, "a3", "2026-04-15"),
            "--agreed-by",
            "tk",
        ).code
        == 0
    )
    assert juhtum("--repo", anu, "sync").code == 0
    tiit_head = git(tiit, "rev-parse", "HEAD")
    stopped = juhtum("--repo", tiit, "sync")
    assert stopped.code == 1
    assert f"case {CASE}, plan.yaml: changed here and by someone else" in stopped.err
    assert f"juhtum sync --theirs cases/{CASE}/plan.yaml" in stopped.err
    assert "2026-05-29" in stopped.err and "2026-04-15" in stopped.err
    # nothing merged, nothing lost: both versions in git and side by side
    assert git(tiit, "rev-parse", "HEAD") == tiit_head
    kept = tiit / ".juhtum" / "sync" / "cases" / CASE / "plan.yaml"
    assert "2026-04-15" in kept.read_text() and "2026-05-29" in Path(f"{kept}.theirs").read_text()
    assert git(tiit, "status", "--porcelain").strip() == ""
    # recovered by the command the message names
    resolved = juhtum("--repo", tiit, "sync", "--theirs", f"cases/{CASE}/plan.yaml")
    assert resolved.code == 0, resolved.output
    assert juhtum("--repo", anu, "sync").code == 0
    assert git(anu, "rev-parse", "HEAD") == git(tiit, "rev-parse", "HEAD")
    plan = (tiit / "cases" / CASE / "plan.yaml").read_text()
    assert "2026-05-29" in plan and "2026-04-15" not in plan
    assert "2026-04-15" in git(tiit, "show", f"{tiit_head.strip()}:cases/{CASE}/plan.yaml")
    for clone in (anu, tiit):
        assert juhtum("--repo", clone, "validate").code == 0


def test_sync_needs_a_remote(tmp_path: Path, juhtum: Callable[..., Run]) -> None:
    root = tmp_path / "alone"
    juhtum("init", root)
    run = juhtum("--repo", root, "sync")
    assert run.code == 1
    assert "git remote add origin" in run.err
