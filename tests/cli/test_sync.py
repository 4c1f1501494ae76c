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

from juhtum.documents import yamlio
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


# -- a git failure never deletes a record; a merge writes only documents (issue 9) -----------


def plans_both_changed(juhtum: Callable[..., Run], anu: Path, tiit: Path) -> str:
    """Anu and Tiit both change the plan; Anu shares first, Tiit's sync stops. Returns
    Tiit's HEAD."""
    r = ["--today", "2026-03-02"]
    for clone, action, deadline in ((anu, "a2", "2026-05-29"), (tiit, "a3", "2026-04-15")):
        changed = changed_plan(clone, action, deadline)
        assert (
            juhtum("--repo", clone, *r, "plan", CASE, "-f", changed, "--agreed-by", "tk").code == 0
        )
    assert juhtum("--repo", anu, "sync").code == 0
    assert juhtum("--repo", tiit, "sync").code == 1
    return git(tiit, "rev-parse", "HEAD")


def unchanged(clone: Path, head: str) -> None:
    """Nothing merged, nothing lost: the same commit, a clean tree, the plan in place, no
    merge in progress."""
    assert git(clone, "rev-parse", "HEAD") == head
    assert git(clone, "status", "--porcelain").strip() == ""
    assert (clone / "cases" / CASE / "plan.yaml").is_file()
    assert not (clone / ".git" / "MERGE_HEAD").exists()


def test_a_file_git_cannot_read_stops_sync_and_deletes_nothing(
    clones: tuple[Path, Path], juhtum: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    from juhtum.errors import HistoryError
    from juhtum.history import sync  # content_at reads through sync's _read_bytes
    from juhtum.history.git import _read_bytes as real

    anu, tiit = clones
    head = plans_both_changed(juhtum, anu, tiit)

    def failing(root: Path, *args: str, literal: bool = True) -> bytes:
        if args[0] == "cat-file":  # a transient failure: git cannot read the object now
            raise HistoryError("git {command} failed: {reason}", command="cat-file", reason="x")
        return real(root, *args, literal=literal)

    monkeypatch.setattr(sync, "_read_bytes", failing)
    # before, the unreadable theirs was taken as "absent", and absent meant git rm
    run = juhtum("--repo", tiit, "sync", "--theirs", f"cases/{CASE}/plan.yaml")
    assert run.code == 1, run.output
    assert f"git could not read cases/{CASE}/plan.yaml" in run.err
    unchanged(tiit, head)
    monkeypatch.setattr(sync, "_read_bytes", real)
    assert juhtum("--repo", tiit, "sync", "--theirs", f"cases/{CASE}/plan.yaml").code == 0


def test_a_corrupt_object_stops_sync_and_deletes_nothing(
    clones: tuple[Path, Path], juhtum: Callable[..., Run]
) -> None:
    anu, tiit = clones
    head = plans_both_changed(juhtum, anu, tiit)
    blob = git(tiit, "rev-parse", f"@{{u}}:cases/{CASE}/plan.yaml")
    loose = tiit / ".git" / "objects" / blob[:2] / blob[2:]
    assert loose.is_file()  # a small fetch is unpacked into loose objects
    loose.chmod(0o644)
    loose.write_bytes(b"not a git object")
    run = juhtum("--repo", tiit, "sync", "--theirs", f"cases/{CASE}/plan.yaml")
    assert run.code == 1, run.output
    assert "git could not read" in run.err
    unchanged(tiit, head)


def test_content_at_tells_absent_from_unreadable(clones: tuple[Path, Path]) -> None:
    from juhtum import history
    from juhtum.errors import HistoryError

    anu, _ = clones
    plan = f"cases/{CASE}/plan.yaml"
    assert history.content_at(anu, "HEAD", plan) == (anu / plan).read_bytes()
    assert history.content_at(anu, "HEAD", f"cases/{CASE}/no-such.yaml") is None
    assert history.content_at(anu, "HEAD", "nowhere/plan.yaml") is None
    for revision, path in (
        ("no-such-branch", plan),  # no such revision: not "absent"
        ("HEAD", f"cases/{CASE}"),  # a folder is no file
        ("HEAD", "cases/*/plan.yaml"),  # no wildcards: this path is not in the tree
    ):
        if path.endswith("*/plan.yaml"):
            assert history.content_at(anu, revision, path) is None
            continue
        with pytest.raises(HistoryError):
            history.content_at(anu, revision, path)


@pytest.mark.parametrize(
    "option, path",
    [
        ("--combined", "../../x"),
        ("--combined", "/tmp/x"),
        ("--ours", ".git/config"),
        ("--theirs", ".git/hooks/post-merge"),
        ("--combined", ".juhtum/lock"),
        ("--ours", f"cases/{CASE}/../../juhtum.yaml"),
        ("--theirs", f"cases/{CASE}/notes.txt"),
    ],
)
def test_sync_refuses_a_path_that_is_no_document(
    clones: tuple[Path, Path], juhtum: Callable[..., Run], option: str, path: str
) -> None:
    anu, tiit = clones
    head = plans_both_changed(juhtum, anu, tiit)
    config = (tiit / ".git" / "config").read_bytes()
    outside = tiit.parent / "x"
    run = juhtum("--repo", tiit, "sync", option, path)
    assert run.code == 2, run.output
    assert "is no document of the case repository" in run.err
    unchanged(tiit, head)
    assert (tiit / ".git" / "config").read_bytes() == config
    assert not outside.exists()


def test_merge_itself_refuses_a_path_outside_the_documents(
    clones: tuple[Path, Path], tmp_path: Path
) -> None:
    """The library function, not only the command: it writes nothing before the check."""
    from juhtum import history
    from juhtum.errors import UsageError

    anu, _ = clones
    head = git(anu, "rev-parse", "HEAD")
    with pytest.raises(UsageError):
        history.merge(anu, "@{u}", resolved={"../../x": b"x"}, message="m")
    with pytest.raises(UsageError):
        history.merge(anu, "@{u}", resolved={".git/config": b"x"}, message="m")
    assert not (tmp_path / "x").exists()
    assert git(anu, "rev-parse", "HEAD") == head


def test_merge_refuses_to_write_through_a_symlinked_folder(
    clones: tuple[Path, Path], tmp_path: Path
) -> None:
    from juhtum import history
    from juhtum.errors import UsageError

    anu, _ = clones
    outside = tmp_path / "outside"
    outside.mkdir()
    (anu / "cases" / "linked").symlink_to(outside)
    with pytest.raises(UsageError):
        history.merge(anu, "@{u}", resolved={"cases/linked/plan.yaml": b"x"}, message="m")
    assert list(outside.iterdir()) == []
