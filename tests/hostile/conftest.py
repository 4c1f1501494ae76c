"""Hostile repositories: an attack committed by a colleague, met in a fresh clone.

``hostile(plant)`` copies an example into a git repository (the colleague's), lets
``plant`` add the attack there (commit it with ``git add -f``), and clones it (the
victim's). ``Guard`` keeps, byte for byte, what no command may change: the clone's
``.git/config`` and hooks, every tracked file outside ``cases/``, and a folder
outside the repository with a canary in it.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, git

EXAMPLE = "kaasiku"


def commit(root: Path, message: str, *paths: str) -> None:
    git(root, "add", "-f", "--", *(paths or (".",)))
    git(root, "commit", "-q", "--no-verify", "-m", message)


@dataclass
class Guard:
    clone: Path
    outside: Path
    kept: dict[str, bytes] = field(default_factory=dict)

    def take(self) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        git_dir = self.clone / ".git"
        found[".git/config"] = (git_dir / "config").read_bytes()
        for hook in sorted((git_dir / "hooks").iterdir()):
            found[f".git/hooks/{hook.name}"] = hook.read_bytes()
        for name in git(self.clone, "ls-files", "-z").split("\0"):
            if name and not name.startswith("cases/"):
                target = self.clone / name
                found[name] = (
                    b"->" + str(target.readlink()).encode()
                    if target.is_symlink()
                    else target.read_bytes()
                )
        for item in sorted(self.outside.rglob("*")):
            key = f"outside/{item.relative_to(self.outside)}"
            found[key] = b"<dir>" if item.is_dir() else item.read_bytes()
        return found

    def __post_init__(self) -> None:
        self.kept = self.take()

    def check(self) -> None:
        now = self.take()
        assert now == self.kept, sorted(
            k for k in set(now) | set(self.kept) if now.get(k) != self.kept.get(k)
        )
        assert b"fsmonitor" not in now[".git/config"]


@dataclass
class Hostile:
    origin: Path
    clone: Path
    outside: Path

    def guard(self) -> Guard:
        return Guard(self.clone, self.outside)


@pytest.fixture
def hostile(tmp_path: Path) -> Callable[[Callable[[Path], None]], Hostile]:
    """Build an attack in a colleague's repository and clone it (see the module)."""

    def build(plant: Callable[[Path], None]) -> Hostile:
        origin = tmp_path / "colleague"
        shutil.copytree(EXAMPLES / EXAMPLE, origin, ignore=shutil.ignore_patterns(".juhtum"))
        git(origin, "init", "-q", "-b", "main")
        commit(origin, "the cases")
        plant(origin)
        outside = tmp_path / "outside"
        outside.mkdir(exist_ok=True)
        (outside / "canary.txt").write_text("the canary\n", encoding="utf-8")
        clone = tmp_path / "victim"
        subprocess.run(
            ["git", "clone", "-q", str(origin), str(clone)], check=True, capture_output=True
        )
        return Hostile(origin, clone, outside)

    return build


CASE = "kaasiku-m4t8qe"
"""A case in implementation: monitor writes to it."""
OTHER = "kaasiku-r7h2vn"
TODAY = "2026-11-23"

READING = [
    ["validate"],
    ["list"],
    ["show", CASE],
    ["status", CASE],
    ["due"],
    ["report"],
    ["history", CASE],
    ["export", CASE, "--format", "md"],
    ["services"],
    ["people", CASE],
]
"""Every command that only reads."""

MONITORING = """\
case: kaasiku-m4t8qe
date: 2026-11-20
by: kk-hk
kind: contact
contacts: [ema]
progress: Ema ütles telefonis, et kõik on kokkulepitud moel.
"""


def monitoring_file(tmp_path: Path) -> Path:
    path = tmp_path / "monitoring-entry.yaml"
    path.write_text(MONITORING, encoding="utf-8")
    return path


def case_files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "cases").rglob("*"))
        if p.is_file() and not p.is_symlink()
    }
