"""Shared fixtures: the CLI in-process and as a real process, with a fixed identity and date."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
TODAY = "2026-11-23"

ENV = {
    "GIT_AUTHOR_NAME": "Test Coordinator",
    "GIT_AUTHOR_EMAIL": "coordinator@example.org",
    "GIT_COMMITTER_NAME": "Test Coordinator",
    "GIT_COMMITTER_EMAIL": "coordinator@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
    "JUHTUM_LANG": "en",
    "JUHTUM_TODAY": TODAY,
    "LANG": "C.UTF-8",
}


def git(root: Path, *args: str, check: bool = True) -> str:
    """What ``git args`` prints in ``root`` (stripped); a failure fails the test unless
    ``check`` is False."""
    return subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=check
    ).stdout.strip()


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def output(self) -> str:
        return self.out + self.err


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    for key in ("JUHTUM_REPO", "JUHTUM_DEBUG", "LC_ALL", "LANGUAGE", "LC_MESSAGES"):
        monkeypatch.delenv(key, raising=False)
    for key, value in ENV.items():
        monkeypatch.setenv(key, value)


@pytest.fixture
def juhtum(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Run]:
    """Run the CLI in this process (fast): ``juhtum("validate", cwd=path)``."""
    from juhtum.cli import main

    def run(*args: str, cwd: Path | None = None) -> Run:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def juhtum_process() -> Callable[..., Run]:
    """Run the CLI as a real process, with a timeout that only catches a hang."""

    def run(*args: str, cwd: Path | None = None, timeout: float = 10.0) -> Run:
        proc = subprocess.run(
            [sys.executable, "-m", "juhtum", *[str(a) for a in args]],
            cwd=cwd,
            check=False,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ},
        )
        return Run(proc.returncode, proc.stdout, proc.stderr)

    return run


def copy_tree(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, symlinks=True)
    return target


@pytest.fixture
def repo(tmp_path: Path, juhtum: Callable[..., Run]) -> Iterator[Path]:
    """A fresh case repository in git."""
    root = tmp_path / "cases-repo"
    result = juhtum("init", root, "--organisation", "Testi Vallavalitsus", "--id-prefix", "test")
    assert result.code == 0, result.output
    yield root
