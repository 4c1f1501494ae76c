"""Git as the history of cases: the only module that talks to git.

GitPython is used through its ``repo.git`` command wrapper, which costs about
what the git command does (its index API was ten times slower when measured).
A case repository is "in git" when its root holds ``.git``: a case repository
kept as a plain folder inside some other repository (the bundled examples)
is left alone.

Commit messages name the case id and the step, never a person's name or
personal code; the trailers ``Case:`` and ``Stage:`` make the history
queryable (``git log --grep 'Case: x'``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from juhtum.errors import HistoryError
from juhtum.i18n import N_

CONFIG = {
    # fsync the objects and refs a commit writes: a crash never leaves a broken repository
    "core.fsync": "committed",
    # refuse corrupt objects from a remote
    "transfer.fsckObjects": "true",
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
    g = _git(root)
    for key, value in CONFIG.items():
        g.config("--local", key, value)


def check_identity(root: Path, fallback: dict[str, str] | None = None) -> None:
    """Raise before any file is written when git could not name the author of a commit."""
    _author_env(_git(root), fallback)


def _author_env(g: Any, fallback: dict[str, str] | None) -> dict[str, str]:
    """Git's own identity if configured, else juhtum.yaml's ``author``."""

    def config(key: str) -> str:
        try:
            return str(g.config("--get", key)).strip()
        except Exception:  # git exits 1 when the key is unset
            return ""

    env: dict[str, str] = {}
    name = os.environ.get("GIT_AUTHOR_NAME") or config("user.name")
    email = os.environ.get("GIT_AUTHOR_EMAIL") or config("user.email")
    if (not name or not email) and fallback:
        name = name or fallback.get("name", "")
        email = email or fallback.get("email", "")
        env = {
            "GIT_AUTHOR_NAME": name,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_COMMITTER_NAME": name,
            "GIT_COMMITTER_EMAIL": email,
        }
    if not name or not email:
        raise HistoryError(
            N_(
                'git does not know who you are: run git config user.name "Your Name" and '
                "git config user.email you@example.org, or set author in juhtum.yaml"
            )
        )
    return env


def commit(
    root: Path,
    paths: Iterable[str],
    *,
    case_id: str | None,
    step: str,
    stage: str | None = None,
    author: dict[str, str] | None = None,
) -> str:
    """Commit ``paths`` (relative to ``root``) as one step of a case; returns the commit id.

    The message is ``<case id>: <step>`` with ``Case:`` and ``Stage:`` trailers
    (just ``<step>`` for a change of the repository itself). Only ``paths`` are
    committed, whatever else is staged.
    """
    g = _git(root)
    paths = list(paths)
    if case_id is None:
        message = f"{step}\n"
    else:
        message = f"{case_id}: {step}\n\nCase: {case_id}\nStage: {stage}\n"
    env = {**os.environ, **_author_env(g, author)}
    try:
        g.add("--", *paths)
        g.commit("-q", "-m", message, "--", *paths, env=env)
        return str(g.rev_parse("HEAD")).strip()
    except Exception as exc:
        raise HistoryError(
            N_("git could not commit the change: {reason}"), reason=_first_line(exc)
        ) from None


def _first_line(exc: Exception) -> str:
    stderr = getattr(exc, "stderr", "") or ""
    text = str(stderr).strip().splitlines()
    return text[-1][:200] if text else type(exc).__name__
