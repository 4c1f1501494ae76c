"""A crash simulated in the test's own process, for the journal's tests (mutation testing
sees only these: tests/cli/test_crash.py kills real processes, which it cannot watch).

At ``JUHTUM_CRASH_AT`` juhtum sends itself SIGKILL; here that signal copies the repository
as the disk is at that instant (what a killed process leaves) and raises :class:`Crash`.
The copy is what the next command finds after the crash; the original, which the raising
unwound, is thrown away.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

import juhtum
from juhtum import crashpoints
from juhtum.storage import Repository
from tests.cli import casebuild
from tests.conftest import git

CASE = casebuild.CASE
SIGN = ["--today", "2026-02-04", "sign", CASE, "--party", "ode"]


def planned_case(factory: pytest.TempPathFactory) -> Path:
    """casebuild's repository with its case at ``plan`` (three of four signatures), built once
    for each version of juhtum and of the case's documents, then reused: mutation testing runs
    these tests once for every mutant, and the build takes seconds. Copy it before changing it."""
    digest = hashlib.sha256()
    package = Path(juhtum.__file__).parent
    sources = [*sorted(package.rglob("*.py")), *sorted(casebuild.TWIN.rglob("*"))]
    for path in [Path(casebuild.__file__), *sources]:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    cache = factory.getbasetemp().parent / f"juhtum-planned-case-{digest.hexdigest()[:16]}"
    if not (cache / "repo").is_dir():
        built = casebuild.build(factory.mktemp("planned") / "repo", upto="plan")
        staging = cache.with_name(f"{cache.name}.{os.getpid()}")
        shutil.copytree(built.parent, staging, symlinks=True)
        try:
            staging.rename(cache)
        except OSError:  # another run made it meanwhile
            shutil.rmtree(staging)
    return cache / "repo"


class Crash(BaseException):
    """What a crash point raises here instead of SIGKILL: nothing catches it on the way out."""


class Killer:
    def __init__(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        self.monkeypatch = monkeypatch
        self.tmp_path = tmp_path
        self.copies = 0

    def arm(self, point: str, root: Path) -> Path:
        """Crash at ``point`` (``name`` or ``name:n``); returns where the disk as the crash
        leaves it will be."""
        self.copies += 1
        after = self.tmp_path / f"after-crash-{self.copies}"
        kill = os.kill

        def fake_kill(pid: int, sig: int) -> None:
            if pid == os.getpid() and sig == signal.SIGKILL:
                shutil.copytree(root, after, symlinks=True)
                raise Crash
            kill(pid, sig)

        self.monkeypatch.setenv("JUHTUM_CRASH_AT", point)
        self.monkeypatch.setattr(crashpoints, "_hits", {})
        self.monkeypatch.setattr(os, "kill", fake_kill)
        return after

    def fail(self, point: str) -> None:
        """Fail at ``point`` (``name`` or ``name:n``) as a full disk would, counting afresh."""
        self.monkeypatch.setenv("JUHTUM_FAIL_AT", point)
        self.monkeypatch.setattr(crashpoints, "_hits", {})

    def crash(self, point: str, root: Path, action: Callable[[], object]) -> Path:
        """Run ``action`` (a change of ``root``), killed at ``point``: the repository after."""
        after = self.arm(point, root)
        with pytest.raises(Crash):
            action()
        self.disarm()
        assert after.is_dir()
        return after

    def disarm(self) -> None:
        self.monkeypatch.delenv("JUHTUM_CRASH_AT", raising=False)
        self.monkeypatch.delenv("JUHTUM_FAIL_AT", raising=False)
        self.monkeypatch.setattr(crashpoints, "_hits", {})


def case_files(root: Path) -> dict[str, bytes]:
    folder = root / "cases" / CASE
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def journal_folders(root: Path) -> list[str]:
    folder = root / ".juhtum" / "journal"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD")


def last_commit(root: Path) -> str:
    """The last commit as a person reads it: who, when, the message and the files' tree."""
    return git(root, "log", "-1", "--format=%an <%ae> %as%n%T%n%B")


def repository(root: Path) -> Repository:
    return Repository(root)
