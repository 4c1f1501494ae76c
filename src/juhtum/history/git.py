"""Running git: the only place juhtum starts it (``history`` is the only code that talks to
git, and its modules all run it through here).

GitPython is used through its ``repo.git`` command wrapper, which costs about
what the git command does (its index API was ten times slower when measured).
A case repository is "in git" when its root holds ``.git``: a case repository
kept as a plain folder inside some other repository (the bundled examples)
is left alone. Fast reads (the cache, the log) run the git binary directly:
GitPython costs 150 ms to import.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from juhtum.errors import HistoryError
from juhtum.i18n import N_

CONFIG = {
    # fsync the objects and refs a commit writes: a crash never leaves a broken repository
    "core.fsync": "committed",
    # refuse corrupt objects from a remote
    "transfer.fsckObjects": "true",
    # keep the commit-graph (with its changed-path filters, see write_commit_graph) up to
    # date as commits arrive
    "core.commitGraph": "true",
    "fetch.writeCommitGraph": "true",
}


def in_git(root: Path) -> bool:
    return (root / ".git").exists()


def _git(root: Path) -> Any:
    try:
        import git
    except ImportError:
        raise HistoryError(
            N_(
                "git is not installed: install git, or work in a plain folder "
                "(juhtum init --no-git)"
            )
        ) from None
    try:
        return git.Repo(root).git
    except git.exc.GitError as exc:
        raise HistoryError(
            N_("git cannot open {path}: {reason}"), path=str(root), reason=type(exc).__name__
        ) from None


def init(root: Path) -> None:
    """Make ``root`` a git repository (when it is not one) with juhtum's safety settings."""
    try:
        import git
    except ImportError:
        raise HistoryError(
            N_(
                "git is not installed: install git, or work in a plain folder "
                "(juhtum init --no-git)"
            )
        ) from None
    if not in_git(root):
        git.Repo.init(root)
    configure(root)


def configure(root: Path) -> None:
    """Set juhtum's git settings (CONFIG) in the repository where one differs."""
    current = _plain(root, "config", "--local", "--list") or ""
    have = dict(line.partition("=")[::2] for line in current.splitlines())
    missing = {k: v for k, v in CONFIG.items() if have.get(k.lower()) != v}
    if missing:
        g = _git(root)
        for key, value in missing.items():
            g.config("--local", key, value)


def set_config(root: Path, key: str, value: str) -> None:
    """Set one setting of the clone (``.git/config``: never shared, never committed)."""
    _run(root, "config", "--local", key, value)


def write_commit_graph(root: Path) -> None:
    """Write git's commit-graph with changed-path (Bloom) filters, incrementally: `git log
    -- cases/ID`, which `juhtum history` runs, then skips every commit that did not touch
    the case instead of comparing trees (5 to 6 times faster over a long history). Once
    written with the filters, git's later writes (fetch.writeCommitGraph, gc) keep them.
    Best effort: a git too old or a failure costs only speed."""
    import subprocess

    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run(
            [
                "git",
                "commit-graph",
                "write",
                "--reachable",
                "--changed-paths",
                "--split",
                "--size-multiple=4",
            ],
            cwd=root,
            capture_output=True,
            check=False,
            timeout=600,
        )


def _first_line(exc: Exception) -> str:
    stderr = getattr(exc, "stderr", "") or ""
    text = str(stderr).strip().splitlines()
    return text[-1][:200] if text else type(exc).__name__


def unstage(root: Path, paths: list[str]) -> None:
    """Take ``paths`` out of the index again (as at HEAD): a change that failed leaves
    nothing staged. Best effort: git may be what failed."""
    _plain(root, "reset", "-q", "--", *paths)


def tracked(root: Path, folder: str) -> list[str]:
    """The files git tracks under ``folder`` (relative to ``root``)."""
    out = _plain(root, "ls-files", "-z", "--", f"{folder}/")
    return [p for p in (out or "").split("\0") if p]


def _run(root: Path, *args: str, env: dict[str, str] | None = None) -> str:
    g = _git(root)
    try:
        return str(g.execute(["git", *args], env={**os.environ, **(env or {})}))
    except Exception as exc:
        raise HistoryError(
            N_("git {command} failed: {reason}"), command=args[0], reason=_first_line(exc)
        ) from None


def _read_bytes(root: Path, *args: str, literal: bool = True) -> bytes:
    """What ``git args`` prints, as bytes, run directly (no GitPython import); pathspecs
    taken literally (no wildcards) unless ``literal`` is false; HistoryError if git fails,
    with its first line of complaint."""
    import subprocess

    options = ["--no-optional-locks", *(["--literal-pathspecs"] if literal else [])]
    try:
        proc = subprocess.run(
            ["git", *options, *args],
            cwd=root,
            capture_output=True,
            check=False,
            timeout=600,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise HistoryError(
            N_("git {command} failed: {reason}"), command=args[0], reason=str(exc)
        ) from None
    if proc.returncode != 0:
        reason = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise HistoryError(
            N_("git {command} failed: {reason}"),
            command=args[0],
            reason=reason[0] if reason else str(proc.returncode),
        )
    return proc.stdout


def _read(root: Path, *args: str) -> str:
    """What ``git args`` prints, as text (see :func:`_read_bytes`; pathspecs as git takes
    them)."""
    return _read_bytes(root, *args, literal=False).decode("utf-8", "surrogateescape")


def _plain(root: Path, *args: str) -> str | None:
    """_read, with None where git fails (the caller then does without git's answer)."""
    try:
        return _read(root, *args)
    except HistoryError:
        return None


def toplevel(root: Path) -> Path | None:
    """The root of the git repository ``root`` is in, if any (not only its own ``.git``)."""
    out = _plain(root, "rev-parse", "--show-toplevel")
    return Path(out.strip()).resolve() if out and out.strip() else None


class Pending:
    """A git command started in the background; ``result()`` waits for what it printed
    (None if it failed). Two reads started together take as long as the slower one."""

    def __init__(self, root: Path, *args: str) -> None:
        import subprocess

        try:
            self._proc: Any = subprocess.Popen(
                ["git", "--no-optional-locks", *args],
                cwd=root,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            self._proc = None
        self._out: str | None = None

    def result(self) -> str | None:
        if self._proc is not None:
            out, _ = self._proc.communicate()
            ok = self._proc.returncode == 0
            self._out = out.decode("utf-8", "surrogateescape") if ok else None
            self._proc = None
        return self._out
