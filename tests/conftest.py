"""Shared fixtures: the CLI in-process and as a real process, with a fixed identity and date."""

from __future__ import annotations

import hashlib
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


# -- nothing a test runs writes into the source tree ----------------------------------------------

WATCHED = ("examples", "tests", "src", "scripts")
"""Folders where a new file, ignored or not, is a test writing into the source tree."""


def source_tree_state(root: Path) -> dict[str, str]:
    """What ``git status`` says of the tree at ``root``: every tracked file that differs from
    HEAD, and every new file (untracked or ignored) under :data:`WATCHED`, each with a hash of
    its content, so a further change to an already modified file shows too. Python's byte
    code (``__pycache__``) is left out: importing a module writes it."""

    def status(*args: str) -> str:
        return subprocess.run(
            ["git", "status", "--porcelain=v1", "-z", *args],
            cwd=root,
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8", "surrogateescape")

    out = status("--untracked-files=no") + status(
        "--untracked-files=all", "--ignored=traditional", "--", *WATCHED
    )
    state: dict[str, str] = {}
    entries = out.split("\0")
    i = 0
    while i < len(entries):
        entry = entries[i]
        i += 1
        if len(entry) < 4:
            continue
        code, path = entry[:2], entry[3:]
        if code[0] in "RC":  # a rename names its source next
            i += 1
        if "__pycache__" in Path(path).parts or path.endswith(".pyc"):
            continue
        if code in ("??", "!!") and path.split("/", 1)[0] not in WATCHED:
            continue
        target = root / path
        try:
            digest = hashlib.sha256(target.read_bytes()).hexdigest()
        except OSError:
            digest = "-"
        state[path] = f"{code} {digest}"
    return state


def changed_paths(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


def _top_level(root: Path) -> Path | None:
    proc = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    return Path(proc.stdout.strip()).resolve() if proc.returncode == 0 else None


def pytest_sessionstart(session: pytest.Session) -> None:
    # only where the tests run from a git checkout of juhtum itself (not a copy a mutation
    # tool made), and once: in the controller of a distributed run, never in its workers
    if hasattr(session.config, "workerinput") or _top_level(ROOT) != ROOT.resolve():
        return
    session.config.stash[_SOURCE_STATE] = source_tree_state(ROOT)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    before = session.config.stash.get(_SOURCE_STATE, None)
    if before is None:
        return
    changed = changed_paths(before, source_tree_state(ROOT))
    if not changed:
        return
    shown = "\n  ".join(changed[:20]) + ("\n  …" if len(changed) > 20 else "")
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    message = (
        f"the test run changed the source tree ({len(changed)} paths); tests must work on "
        f"copies in tmp_path:\n  {shown}"
    )
    if reporter is not None:
        reporter.write_sep("=", "source tree changed", red=True)
        reporter.write_line(message)
    else:
        print(message, file=sys.stderr)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


_SOURCE_STATE = pytest.StashKey[dict[str, str]]()


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
    # each test its own notices: one left by a test that ran the library without the command
    # line (which prints and clears them) must not pass for a later test's
    # and its own count of crash points reached (JUHTUM_FAIL_AT=write-temporary:3 in one test
    # must count from its own first write)
    from juhtum import crashpoints
    from juhtum.storage import local

    monkeypatch.setattr(local, "notices", [])
    monkeypatch.setattr(crashpoints, "_hits", {})


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


def copy_fixture(source: Path, into: Path) -> Path:
    """A copy of a committed fixture or example repository in ``into`` (a tmp_path), without
    any local state (``.juhtum/``) a run left there: commands write their cache into the
    repository they check, and a test never writes into the source tree."""
    target = into / source.name
    shutil.copytree(source, target, symlinks=True, ignore=shutil.ignore_patterns(".juhtum"))
    return target


@pytest.fixture
def repo(tmp_path: Path, juhtum: Callable[..., Run]) -> Iterator[Path]:
    """A fresh case repository in git."""
    root = tmp_path / "cases-repo"
    result = juhtum("init", root, "--organisation", "Testi Vallavalitsus", "--id-prefix", "test")
    assert result.code == 0, result.output
    yield root
