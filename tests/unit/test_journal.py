"""The journal after a crash, in this process: a crash point raises instead of killing, so
these run in milliseconds (tests/cli/test_crash.py kills real processes at every point).

Each test interrupts a ``sign`` (the plan and case.yaml in one change) and runs the next
command, as a person would after a crash.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from juhtum import crashpoints
from tests.conftest import Run, git
from tests.unit.crash_in_process import CASE, SIGN, Crash


@pytest.fixture
def crash_at(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    kill = os.kill

    def fake_kill(pid: int, sig: int) -> None:
        if pid == os.getpid() and sig == signal.SIGKILL:
            raise Crash
        kill(pid, sig)

    def arm(point: str) -> None:
        monkeypatch.setenv("JUHTUM_CRASH_AT", point)
        monkeypatch.setattr(crashpoints, "_hits", {})
        monkeypatch.setattr(os, "kill", fake_kill)

    yield arm


def interrupted(
    root: Path, point: str, juhtum: Callable[..., Run], crash_at: Callable[[str], None]
) -> None:
    crash_at(point)
    with pytest.raises(Crash):
        juhtum("--repo", root, *SIGN)
    os.environ.pop("JUHTUM_CRASH_AT")


def journals(root: Path) -> list[Path]:
    """The folders of interrupted changes that got as far as their manifest."""
    return sorted(
        p.parent for p in root.rglob("manifest.json") if "cases" not in p.relative_to(root).parts
    )


def test_a_change_interrupted_before_its_manifest_leaves_nothing_behind(
    root: Path, juhtum: Callable[..., Run], crash_at: Callable[[str], None]
) -> None:
    plan = (root / "cases" / CASE / "plan.yaml").read_bytes()
    interrupted(root, "journal-content", juhtum, crash_at)
    assert journals(root) == []  # never decided: its content was still being staged
    run = juhtum("--repo", root, "recover")  # reading commands never replay it
    assert run.code == 0, run.output
    assert "completed" not in run.err
    assert (root / "cases" / CASE / "plan.yaml").read_bytes() == plan
    assert git(root, "status", "--porcelain", "--", "cases") == ""


def test_a_waiting_change_is_named_by_its_case_and_replayed_only_by_a_writer(
    root: Path, juhtum: Callable[..., Run], crash_at: Callable[[str], None]
) -> None:
    interrupted(root, "journal-manifest", juhtum, crash_at)
    plan = (root / "cases" / CASE / "plan.yaml").read_bytes()
    run = juhtum("--repo", root, "list")
    assert run.code == 0, run.output
    assert f"an interrupted change of case {CASE}" in run.err
    assert journals(root)  # list only said so
    assert (root / "cases" / CASE / "plan.yaml").read_bytes() == plan


def test_a_change_interrupted_after_its_manifest_is_completed(
    root: Path, juhtum: Callable[..., Run], crash_at: Callable[[str], None]
) -> None:
    interrupted(root, "journal-manifest", juhtum, crash_at)
    assert journals(root)
    run = juhtum("--repo", root, "recover")  # reading commands never replay it
    assert run.code == 0, run.output
    assert f"completed an interrupted change of case {CASE}" in run.err
    assert journals(root) == []
    assert "ode" in (root / "cases" / CASE / "plan.yaml").read_text(encoding="utf-8")
    assert git(root, "status", "--porcelain", "--", "cases") == ""


def test_a_stale_git_index_lock_does_not_stop_the_completion(
    root: Path, juhtum: Callable[..., Run], crash_at: Callable[[str], None]
) -> None:
    """A git killed in the middle of ``git add`` leaves .git/index.lock behind."""
    interrupted(root, "journal-manifest", juhtum, crash_at)
    lock = root / ".git" / "index.lock"
    lock.write_bytes(b"")
    before = git(root, "rev-list", "--count", "HEAD")
    run = juhtum("--repo", root, "recover")  # reading commands never replay it
    assert run.code == 0, run.output
    assert f"completed an interrupted change of case {CASE}" in run.err
    assert not lock.exists()
    assert int(git(root, "rev-list", "--count", "HEAD")) == int(before) + 1
    assert git(root, "status", "--porcelain", "--", "cases") == ""


def test_a_damaged_journal_is_never_written_into_the_case(
    root: Path, juhtum: Callable[..., Run], crash_at: Callable[[str], None]
) -> None:
    case = root / "cases" / CASE
    before = {p: p.read_bytes() for p in case.rglob("*") if p.is_file()}
    interrupted(root, "journal-manifest", juhtum, crash_at)
    [folder] = journals(root)
    damaged = [p for p in folder.iterdir() if p.is_file() and p.name != "manifest.json"]
    assert damaged
    for path in damaged:
        path.write_bytes(path.read_bytes().replace(b"ode", b"XYZ") + b"# damaged\n")
    run = juhtum("--repo", root, "recover")  # reading commands never replay it
    assert run.code == 1
    assert "is damaged: its content does not match" in run.err
    assert {p: p.read_bytes() for p in case.rglob("*") if p.is_file()} == before
