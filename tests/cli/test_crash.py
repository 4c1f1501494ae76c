"""Crash safety: killed at any point, a change is afterwards all there or not at all.

A ``sign`` that completes the signatures (plan.yaml and case.yaml) and a
``handover`` that registers the new coordinator (the handover, a person's file
and case.yaml) are killed at every crash point juhtum has (between every
write, fsync, replace, journal step, git add and git commit: each hit at least
once), and at 50 random moments. Afterwards every document parses and is the
old or the new version; a reading command replays nothing, the next writing
command completes or rolls back the change and says which; the repository passes ``git fsck``; no temporary file is left.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from juhtum.documents import yamlio
from tests.cli import casebuild

CASE = casebuild.CASE
HANDOVER = """\
from: kk
to: kk2
reason: Kaja Kuusk läheb teisele tööle.
terms: Kalev Kivi võtab juhtumi üle.
client_informed:
  date: 2026-03-13
  how: kohtumisel
  rights_explained: true
providers_notified: [tk]
access_granted: true
"""


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("bases")
    handover = root / "handover.yaml"
    handover.write_text(HANDOVER, encoding="utf-8")
    return {
        "plan": casebuild.build(root / "plan", upto="plan"),
        "implementation": casebuild.build(root / "implementation", upto="implementation"),
        "handover.yaml": handover,
    }


def command(name: str, bases: dict[str, Path]) -> tuple[str, list[str]]:
    if name == "sign":
        return "plan", ["--today", "2026-02-04", "sign", CASE, "--party", "ode"]
    return "implementation", [
        "--today",
        "2026-03-16",
        "handover",
        CASE,
        "--to",
        "kk2",
        "--name",
        "Kalev Kivi",
        "-f",
        str(bases["handover.yaml"]),
    ]


def juhtum(
    root: Path, args: list[str], *, crash: str | None = None, timeout: float = 30
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "JUHTUM_CRASH_AT"}
    if crash:
        env["JUHTUM_CRASH_AT"] = crash
    return subprocess.run(
        [sys.executable, "-m", "juhtum", "--repo", str(root), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


def snapshot(root: Path) -> dict[str, bytes]:
    """The case's files; a new handover's random name stands as handovers/NEW."""
    folder = root / "cases" / CASE
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.endswith(".juhtum-tmp"):
            rel = path.relative_to(folder).as_posix()
            if rel.startswith("handovers/"):
                rel = "handovers/NEW"
            found[rel] = path.read_bytes()
    return found


@pytest.fixture(scope="module")
def outcomes(
    bases: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[dict[str, bytes], dict[str, bytes]]]:
    """For each command: the case's files before, and after a run nothing interrupted."""
    found = {}
    for name in ("sign", "handover"):
        base, args = command(name, bases)
        copy = tmp_path_factory.mktemp(name) / "repo"
        shutil.copytree(bases[base], copy, symlinks=True)
        result = juhtum(copy, args)
        assert result.returncode == 0, result.stdout + result.stderr
        found[name] = (snapshot(bases[base]), snapshot(copy))
    return found


def git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)


def check_after(root: Path, before: dict[str, bytes], after: dict[str, bytes], killed: bool) -> str:
    """Everything the acceptance asks of a repository after a crash; returns 'old' or 'new'."""
    # every document parses, and each is the old or the new version
    current = snapshot(root)
    for name, data in current.items():
        if name.endswith(".yaml") and not name.startswith("."):
            yamlio.loads(data, path=name)
        assert data in (before.get(name), after.get(name)), f"{name} is neither old nor new"
    # a command that only reads replays nothing (it says a change is waiting); the next
    # writing command (here juhtum recover) completes or rolls it back, and says which
    head_before = git(root, "rev-parse", "HEAD").stdout
    journal_dir = root / ".juhtum" / "journal"
    waiting = sorted(p.name for p in journal_dir.iterdir()) if journal_dir.exists() else []
    reading = juhtum(root, ["status", CASE])
    assert reading.returncode == 0, reading.stdout + reading.stderr
    assert snapshot(root) == current
    if waiting:
        assert sorted(p.name for p in journal_dir.iterdir()) == waiting
    status = juhtum(root, ["recover"])
    assert status.returncode == 0, status.stdout + status.stderr
    pending = journal_dir.exists() and any(journal_dir.iterdir())
    assert not pending
    state = snapshot(root)
    if state == before:
        outcome = "old"
    else:
        assert state == after, "a mixture of old and new files"
        outcome = "new"
    if killed and "completed an interrupted change" in status.stderr:
        assert outcome == "new"
    if killed and "rolled back an interrupted change" in status.stderr:
        assert outcome == "old"
        assert git(root, "rev-parse", "HEAD").stdout == head_before
    # all committed, git sound, nothing temporary left
    assert git(root, "status", "--porcelain").stdout.strip() == ""
    fsck = git(root, "fsck", "--full", "--strict")
    assert fsck.returncode == 0, fsck.stdout + fsck.stderr
    leftovers = list(root.rglob("*.juhtum-tmp"))
    assert leftovers == []
    assert not (root / ".git" / "index.lock").exists()
    validated = juhtum(root, ["validate"])
    assert validated.returncode == 0, validated.stdout
    return outcome


WRITES = {"sign": 2, "handover": 3}
"""How many files each command changes: the journal writes each plus its manifest, then
puts each in place."""


def crash_points(name: str) -> list[str]:
    n = WRITES[name]
    atomic_writes = 2 * n + 1
    points = [
        f"{p}:{i}"
        for p in ("write-temporary", "write-fsync", "write-replace")
        for i in range(1, atomic_writes + 1)
    ]
    points += [f"apply-file:{i}" for i in range(1, n + 1)]
    points += ["journal-content", "journal-manifest", "git-add", "git-commit", "journal-remove"]
    return points


CASES = [(name, point) for name in ("sign", "handover") for point in crash_points(name)]


@pytest.mark.parametrize(("name", "point"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_killed_at_a_crash_point(
    name: str,
    point: str,
    bases: dict[str, Path],
    outcomes: dict[str, tuple[dict[str, bytes], dict[str, bytes]]],
    tmp_path: Path,
) -> None:
    base, args = command(name, bases)
    root = tmp_path / "repo"
    shutil.copytree(bases[base], root, symlinks=True)
    result = juhtum(root, args, crash=point)
    assert result.returncode == -signal.SIGKILL, f"{point} was never reached: {result.stderr}"
    before, after = outcomes[name]
    outcome = check_after(root, before, after, killed=True)
    assert outcome == expected_outcome(name, point), (point, outcome)


def expected_outcome(name: str, point: str) -> str:
    """Before the manifest is in place nothing has happened; from then on the change is decided.

    The journal writes each new file (atomic writes 1..n), then the manifest (n+1), then
    puts the files in place (n+2..2n+1)."""
    where, _, nth = point.partition(":")
    n = WRITES[name]
    if where == "journal-content":
        return "old"
    if where in ("write-temporary", "write-fsync"):
        return "old" if int(nth) <= n + 1 else "new"
    if where == "write-replace":
        return "old" if int(nth) <= n else "new"
    return "new"


def test_fifty_kills_at_random_moments(
    bases: dict[str, Path],
    outcomes: dict[str, tuple[dict[str, bytes], dict[str, bytes]]],
    tmp_path: Path,
) -> None:
    rng = random.Random(20261123)
    seen = {"old": 0, "new": 0}
    for n in range(50):
        name = ("sign", "handover")[n % 2]
        base, args = command(name, bases)
        root = tmp_path / f"repo-{n}"
        shutil.copytree(bases[base], root, symlinks=True)
        env = {k: v for k, v in os.environ.items() if k != "JUHTUM_CRASH_AT"}
        proc = subprocess.Popen(
            [sys.executable, "-m", "juhtum", "--repo", str(root), *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        time.sleep(rng.uniform(0.05, 0.9))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        before, after = outcomes[name]
        seen[check_after(root, before, after, killed=True)] += 1
        shutil.rmtree(root)
    assert seen["old"] + seen["new"] == 50
    assert seen["old"] > 0 and seen["new"] > 0, seen  # the kills landed before and after
