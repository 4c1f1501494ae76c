"""Committing the steps of cases: who the author is, the message and its trailers, the
erasure commit, and the locks and unfinished operations a crash or a person leaves behind.

Commit messages name the case id and the step, never a person's name or
personal code; the trailers ``Case:`` and ``Stage:`` make the history
queryable (``git log --grep 'Case: x'``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from juhtum.crashpoints import crashpoint
from juhtum.errors import HistoryError
from juhtum.history.git import _first_line, _git
from juhtum.i18n import N_


def check_identity(root: Path, fallback: dict[str, str] | None = None) -> None:
    """Raise before any file is written when git could not name the author of a commit."""
    _author_env(_git(root), fallback)


def identity(root: Path | None = None) -> tuple[str, str]:
    """Who git says runs juhtum: (name, email), either empty where git does not know.

    ``GIT_AUTHOR_NAME``/``GIT_AUTHOR_EMAIL`` first (as commits take them), then git's
    configuration seen from ``root`` (the global one where ``root`` is no repository yet).
    """
    try:
        import git
    except ImportError:
        return os.environ.get("GIT_AUTHOR_NAME", ""), os.environ.get("GIT_AUTHOR_EMAIL", "")
    where = root if root is not None and root.is_dir() else Path.cwd()
    g = git.Git(str(where))

    def config(key: str) -> str:
        try:
            return str(g.config("--get", key)).strip()
        except Exception:  # git exits 1 when the key is unset
            return ""

    name = os.environ.get("GIT_AUTHOR_NAME") or config("user.name")
    email = os.environ.get("GIT_AUTHOR_EMAIL") or config("user.email")
    return name, email


def set_identity(root: Path, name: str, email: str) -> None:
    """Record who commits in this repository only (``juhtum init --author``)."""
    g = _git(root)
    g.config("--local", "user.name", name)
    g.config("--local", "user.email", email)


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
                "git does not know who you are. Tell it once, with your own name and "
                'e-mail: git config --global user.name "Your Name" && git config --global '
                "user.email you@example.org"
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
    date: str | None = None,
) -> str:
    """Commit ``paths`` (relative to ``root``) as one step of a case; returns the commit id.

    The message is ``<case id>: <step>`` with ``Case:`` and ``Stage:`` trailers
    (just ``<step>`` for a change of the repository itself). Only ``paths`` are
    committed, whatever else is staged.
    """
    g = _git(root)
    paths = list(paths)
    message = _message(case_id, step, stage)
    env = {**os.environ, **_author_env(g, author)}
    if date:  # a date given with --today: the history tells the case's own time
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    try:
        _stage(g, root, paths)
        crashpoint("git-add")
        g.commit("-q", "-m", message, "--", *paths, env=env)
        return str(g.rev_parse("HEAD")).strip()
    except Exception as exc:
        raise HistoryError(
            N_("git could not commit the change: {reason}"), reason=_first_line(exc)
        ) from None


def _stage(g: Any, root: Path, paths: list[str]) -> None:
    """``git add -A`` of ``paths``. A removed file is staged with ``git rm --cached``: once
    its removal is staged, git refuses it as a pathspec of ``add`` (it matches no file), and
    a change that removes a file is staged twice (to see whether it changes anything, then
    to commit it) or again after a crash."""
    present = [p for p in paths if os.path.lexists(root / p)]
    gone = [p for p in paths if p not in present]
    if present:
        g.add("-A", "--", *present)
    if gone:
        g.rm("--cached", "-q", "--ignore-unmatch", "--", *gone)


def _message(case_id: str | None, step: str, stage: str | None) -> str:
    if case_id is None:
        message = f"{step}\n"
    else:
        message = f"{case_id}: {step}\n\nCase: {case_id}\nStage: {stage}\n"
    return message


def commit_if_changed(
    root: Path,
    paths: Iterable[str],
    *,
    case_id: str | None,
    step: str,
    stage: str | None = None,
    author: dict[str, str] | None = None,
    date: str | None = None,
) -> str | None:
    """Commit ``paths`` unless git has them as they are already (a change completed after a
    crash may have been committed before it); returns the new commit id or None."""
    g = _git(root)
    paths = list(paths)
    try:
        _stage(g, root, paths)
        staged = g.diff("--cached", "--name-only", "--", *paths).strip()
    except Exception as exc:
        raise HistoryError(
            N_("git could not commit the change: {reason}"), reason=_first_line(exc)
        ) from None
    if not staged:
        return None
    return commit(root, paths, case_id=case_id, step=step, stage=stage, author=author, date=date)


def clear_stale_index_lock(root: Path) -> None:
    """Remove the index lock a killed git left behind (we hold the repository lock, and no
    juhtum command runs git outside it)."""
    lock = root / ".git" / "index.lock"
    if lock.exists():
        lock.unlink()


UNFINISHED = (
    ("MERGE_HEAD", "merge"),
    ("rebase-merge", "rebase"),
    ("rebase-apply", "rebase"),
    ("CHERRY_PICK_HEAD", "cherry-pick"),
    ("REVERT_HEAD", "revert"),
)


def unfinished_operation(root: Path) -> tuple[str, str] | None:
    """The git operation left unfinished in ``root`` (a merge with conflicts, a stopped
    rebase, cherry-pick or revert) as (operation, the file that says so), else None."""
    from juhtum.storage.local import git_dir

    folder = git_dir(root)
    if folder is None:
        return None
    for marker, operation in UNFINISHED:
        if os.path.lexists(folder / marker):
            return operation, f".git/{marker}"
    return None


ERASE_STAGE = "erase"
ERASURE_TRAILER = "Erasure-Reason"


def commit_erasure(
    root: Path,
    folder: str,
    *,
    case_id: str,
    reason: str,
    author: dict[str, str] | None = None,
    date: str | None = None,
) -> str:
    """Remove ``folder`` (a case) from git and the work tree in one commit whose trailers
    say it is an erasure and why; returns the commit id."""
    g = _git(root)
    message = (
        f"{case_id}: erase ({reason})\n\nCase: {case_id}\nStage: {ERASE_STAGE}\n"
        f"{ERASURE_TRAILER}: {reason}\n"
    )
    env = {**os.environ, **_author_env(g, author)}
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    try:
        g.execute(["git", "rm", "-r", "-q", "--", folder])
        g.commit("-q", "-m", message, "--", folder, env=env)
        return str(g.rev_parse("HEAD")).strip()
    except Exception as exc:
        # put the case back as it was committed: an erasure happens whole or not at all
        g.execute(["git", "reset", "-q", "HEAD", "--", folder], with_exceptions=False)
        g.execute(["git", "checkout", "-q", "HEAD", "--", folder], with_exceptions=False)
        raise HistoryError(
            N_("git could not commit the change: {reason}"), reason=_first_line(exc)
        ) from None
