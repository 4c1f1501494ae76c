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

import contextlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from juhtum.crashpoints import crashpoint
from juhtum.errors import HistoryError, UsageError, UserError
from juhtum.i18n import N_
from juhtum.limits import MAX_BYTES

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
        g.add("-A", "--", *paths)
        crashpoint("git-add")
        g.commit("-q", "-m", message, "--", *paths, env=env)
        return str(g.rev_parse("HEAD")).strip()
    except Exception as exc:
        raise HistoryError(
            N_("git could not commit the change: {reason}"), reason=_first_line(exc)
        ) from None


def _message(case_id: str | None, step: str, stage: str | None) -> str:
    if case_id is None:
        message = f"{step}\n"
    else:
        message = f"{case_id}: {step}\n\nCase: {case_id}\nStage: {stage}\n"
    return message


def _first_line(exc: Exception) -> str:
    stderr = getattr(exc, "stderr", "") or ""
    text = str(stderr).strip().splitlines()
    return text[-1][:200] if text else type(exc).__name__


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
        g.add("-A", "--", *paths)
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


def unstage(root: Path, paths: list[str]) -> None:
    """Take ``paths`` out of the index again (as at HEAD): a change that failed leaves
    nothing staged. Best effort: git may be what failed."""
    _plain(root, "reset", "-q", "--", *paths)


def tracked(root: Path, folder: str) -> list[str]:
    """The files git tracks under ``folder`` (relative to ``root``)."""
    out = _plain(root, "ls-files", "-z", "--", f"{folder}/")
    return [p for p in (out or "").split("\0") if p]


def uncommitted(root: Path, folder: str) -> list[str]:
    """Files under ``folder`` (relative to ``root``) that differ from the last commit:
    changed, new, or removed, as git status sees them."""
    g = _git(root)
    try:
        out = str(g.status("--porcelain=v1", "-z", "--untracked-files=all", "--", folder))
    except Exception as exc:
        raise HistoryError(
            N_("git could not read the status: {reason}"), reason=_first_line(exc)
        ) from None
    found = []
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
        name = path.rsplit("/", 1)[-1]
        if name.startswith(".") and name.endswith(".juhtum-tmp"):
            continue
        found.append(path)
    return found


@dataclass
class Entry:
    """One step in a case's history: a commit that touched its folder."""

    commit: str
    date: str
    author: str
    step: str
    stage: str | None
    files: list[str]


def log(root: Path, folder: str, case_id: str) -> list[Entry]:
    """The commits that touched ``folder``, newest first (``git log -- folder``): git run
    directly, as importing GitPython would cost more than the log itself."""
    try:
        out = _read(
            root,
            "log",
            "--format=%x1e%H%x1f%aI%x1f%an%x1f%s%x1f%(trailers:key=Stage,valueonly,separator=%x2C)",
            "--name-only",
            "--",
            folder,
        )
    except HistoryError as exc:
        raise HistoryError(
            N_("git could not read the history: {reason}"), reason=str(exc.args_.get("reason"))
        ) from None
    entries = []
    for record in out.split("\x1e"):
        if not record.strip():
            continue
        head, _, names = record.partition("\n")
        fields = head.split("\x1f")
        if len(fields) < 5:
            continue
        commit, date, author, subject, stage = fields[:5]
        step = subject.removeprefix(f"{case_id}: ")
        files = [n.strip() for n in names.splitlines() if n.strip()]
        entries.append(Entry(commit, date, author, step, stage.strip() or None, files))
    return entries


# -- sharing through a remote -------------------------------------------------------------------


def _run(root: Path, *args: str, env: dict[str, str] | None = None) -> str:
    g = _git(root)
    try:
        return str(g.execute(["git", *args], env={**os.environ, **(env or {})}))
    except Exception as exc:
        raise HistoryError(
            N_("git {command} failed: {reason}"), command=args[0], reason=_first_line(exc)
        ) from None


def upstream(root: Path) -> str | None:
    """The remote branch this one shares with (``origin/main``), if any."""
    try:
        return _run(root, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}").strip()
    except HistoryError:
        return None


def fetch(root: Path) -> None:
    _run(root, "fetch", "--quiet")


def rev(root: Path, name: str) -> str:
    return _run(root, "rev-parse", name).strip()


def merge_base(root: Path, a: str, b: str) -> str:
    return _run(root, "merge-base", a, b).strip()


def changed_between(root: Path, a: str, b: str) -> set[str]:
    out = _run(root, "diff", "--name-only", "--no-renames", a, b)
    return {line.strip() for line in out.splitlines() if line.strip()}


def content_at(root: Path, revision: str, path: str) -> bytes | None:
    """A file as it is in ``revision``; None only where git says the path is not in that
    tree. Any other failure (an object git cannot read, a revision that does not exist, git
    not running, a folder or a symlink at ``path``) raises HistoryError: "could not read" is
    never taken for "absent", which in a merge means removing the file."""

    def failed(reason: str) -> HistoryError:
        return HistoryError(
            N_("git could not read {path} as it is in {revision}: {reason}"),
            path=path,
            revision=revision[:12],
            reason=reason,
        )

    if revision.startswith("-") or path.startswith("-"):
        raise failed("-")
    try:
        listing = _read_bytes(root, "ls-tree", "-l", "-z", revision, "--", path)
        for entry in listing.split(b"\0"):
            meta, _, name = entry.partition(b"\t")
            if name.decode("utf-8", "surrogateescape") != path:
                continue
            fields = meta.split()
            if len(fields) != 4 or fields[0] not in (b"100644", b"100755") or fields[1] != b"blob":
                raise failed("not a regular file")
            if not fields[3].isdigit() or int(fields[3]) > MAX_BYTES:
                raise failed(f"over {MAX_BYTES} bytes")
            data = _read_bytes(root, "cat-file", "blob", fields[2].decode("ascii"))
            if len(data) != int(fields[3]):
                raise failed(f"{len(data)} of {int(fields[3])} bytes")
            return data
    except HistoryError as exc:
        if exc.message.startswith("git could not read"):
            raise
        raise failed(str(exc.args_.get("reason", ""))) from None
    return None


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


def changes_between(root: Path, a: str, b: str | None = None) -> dict[str, str]:
    """Path (relative to ``root``) -> git's status letter (A added, D deleted, M changed, T
    type changed) between revisions ``a`` and ``b``, or between ``a`` and the work tree
    (staged or not) when ``b`` is None. Untracked files are not listed (they are additions)."""
    out = _read_bytes(
        root,
        "diff",
        "--relative",
        "--name-status",
        "--no-renames",
        "-z",
        a,
        *([b] if b else []),
        "--",
    )
    parts = out.decode("utf-8", "surrogateescape").split("\0")
    found = {}
    for status, path in zip(parts[0::2], parts[1::2], strict=False):
        if status and path:
            found[path] = status[0]
    return found


def is_ancestor(root: Path, a: str, b: str) -> bool:
    """Whether commit ``a`` is in the history of ``b`` (False when git cannot tell)."""
    try:
        _read(root, "merge-base", "--is-ancestor", a, b)
    except HistoryError:
        return False
    return True


def upstream_ref(root: Path) -> str | None:
    """The full name of the remote-tracking branch (``refs/remotes/origin/main``), if any."""
    try:
        name = _run(root, "rev-parse", "--symbolic-full-name", "@{u}").strip()
    except HistoryError:
        return None
    return name if name.startswith("refs/remotes/") else None


def set_ref(root: Path, ref: str, commit: str) -> None:
    """Point ``ref`` at ``commit`` again (a remote-tracking branch sync refused to take)."""
    _run(root, "update-ref", "-m", "juhtum sync: incoming change refused", ref, commit)


ERASE_STAGE = "erase"
ERASURE_TRAILER = "Erasure-Reason"


def erasures(root: Path, include: Iterable[str], exclude: Iterable[str] = ()) -> dict[str, str]:
    """Case id -> reason, from the erasure commits (``Stage: erase``) reachable from
    ``include`` and not from ``exclude``."""
    out = _read(
        root,
        "log",
        "--no-merges",
        "--fixed-strings",
        f"--grep=Stage: {ERASE_STAGE}",
        "--format=%x1e%(trailers:key=Stage,valueonly,separator=%x2C)%x1f"
        "%(trailers:key=Case,valueonly,separator=%x2C)%x1f"
        f"%(trailers:key={ERASURE_TRAILER},valueonly,separator=%x2C)",
        *include,
        *(f"^{rev}" for rev in exclude),
        "--",
    )
    found: dict[str, str] = {}
    for record in out.split("\x1e"):
        fields = [f.strip() for f in record.split("\x1f")]
        if len(fields) == 3 and fields[0] == ERASE_STAGE and fields[1] and fields[2]:
            found.setdefault(fields[1], fields[2])
    return found


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


def dirty(root: Path) -> list[str]:
    """Files of the work tree that differ from the last commit (ignored files left out)."""
    out = _run(root, "status", "--porcelain=v1", "--untracked-files=all")
    return [line[3:] for line in out.splitlines() if len(line) > 3]


def merge_target(root: Path, path: str) -> Path:
    """Where a merge may write ``path`` (relative to ``root``): a document of the case
    repository (``juhtum.yaml``, ``services/<name>.yaml``, a case's document), reached through
    no symlink; anything else (``../x``, ``.git/config``, ``.juhtum/``) is refused."""
    from juhtum.model import ids
    from juhtum.model.documents import (
        CASES_DIR,
        REPOSITORY_FILE,
        SERVICES_DIR,
        SUFFIX,
        kind_in_case,
    )

    parts = tuple(path.split("/"))
    document = (
        parts == (REPOSITORY_FILE,)
        or (
            len(parts) == 2
            and parts[0] == SERVICES_DIR
            and parts[1].endswith(SUFFIX)
            and not parts[1].startswith(".")
        )
        or (
            len(parts) >= 3
            and parts[0] == CASES_DIR
            and ids.is_case_id(parts[1])
            and kind_in_case(parts[2:]) is not None
        )
    )
    if not document or "\\" in path or "\0" in path:
        raise UsageError(
            N_(
                "{path} is no document of the case repository: sync writes only juhtum.yaml, "
                "services/*.yaml and the documents of cases (resolve other files with git)"
            ),
            path=path,
        )
    probe = root
    for part in parts:
        probe = probe / part
        if probe.is_symlink():
            raise UsageError(
                N_("{path} is reached through a symbolic link: sync does not write there"),
                path=path,
            )
    return root / path


def merge(
    root: Path,
    other: str,
    *,
    resolved: dict[str, bytes | None],
    message: str,
    author: dict[str, str] | None = None,
) -> str:
    """Merge ``other`` into the current branch; the paths in ``resolved`` get the given
    content (None removes the file). Never a fast-forward over local work, never a silent
    overwrite: a path git cannot merge and nobody resolved aborts the merge. Each path is
    checked (merge_target) before git starts, and written atomically (storage)."""
    from juhtum import storage

    targets = {path: merge_target(root, path) for path in resolved}
    g = _git(root)
    env = {**os.environ, **_author_env(g, author)}
    written: list[str] = []
    try:
        g.execute(["git", "merge", "--no-ff", "--no-commit", other], env=env, with_exceptions=False)
        for path, data in resolved.items():
            if data is None:
                g.execute(["git", "rm", "-q", "--ignore-unmatch", "--", path])
                continue
            target = targets[path]
            written.append(path)
            storage.make_dirs(target.parent)
            storage.write_atomic(target, data, relative=path)
            g.add("--", path)
        unmerged = str(g.diff("--name-only", "--diff-filter=U")).split()
        if unmerged:
            raise HistoryError(
                N_("git could not merge {files}: nothing was changed"), files=", ".join(unmerged)
            )
        crashpoint("git-add")
        g.commit("-q", "-m", message, env=env)
        return str(g.rev_parse("HEAD")).strip()
    except Exception as exc:
        g.execute(["git", "merge", "--abort"], with_exceptions=False)
        for path in written:  # a file written but not yet staged: merge --abort keeps it
            g.execute(["git", "checkout", "-q", "HEAD", "--", path], with_exceptions=False)
        if isinstance(exc, UserError):
            raise
        raise HistoryError(N_("git could not merge: {reason}"), reason=_first_line(exc)) from None


def fast_forward(root: Path, other: str) -> None:
    _run(root, "merge", "--ff-only", "--quiet", other)


def push(root: Path) -> None:
    _run(root, "push", "--quiet")


# -- fast reads for the cache (the git binary directly: GitPython costs 150 ms to import) ------


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


def start_folder_trees(root: Path, folder: str) -> Pending:
    """Each sub-folder of ``folder`` as committed at HEAD; see parse_folder_trees."""
    return Pending(root, "ls-tree", "-z", "HEAD", f"{folder}/")


def parse_folder_trees(out: str | None) -> dict[str, str] | None:
    """name -> tree hash, from ``git ls-tree -z HEAD folder/``."""
    if out is None:
        return None
    trees = {}
    for entry in out.split("\0"):
        meta, _, path = entry.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "tree":
            trees[path.rsplit("/", 1)[-1]] = parts[2]
    return trees


def start_changed_folders(root: Path, folder: str) -> Pending:
    """Sub-folders of ``folder`` whose work tree differs from HEAD; see parse_changed_folders."""
    # No pathspec, and an untracked folder shown whole rather than file by file: each
    # nearly halves git's time over 135,000 files (0.45 s against 0.75 s with either);
    # the folders under ``folder`` are picked out of the answer.
    # Ignored files too (``!!``): git's tree cannot vouch for a folder holding files it
    # does not see (a meeting ignored by .gitignore must be checked by its stat data).
    return Pending(root, "status", "--porcelain=v1", "-z", "--untracked-files=normal", "--ignored")


def parse_changed_folders(out: str | None, folder: str) -> set[str] | None:
    """The sub-folders of ``folder`` changed, new or removed, from ``git status -z``."""
    if out is None:
        return None
    changed = set()
    entries = out.split("\0")
    i = 0
    while i < len(entries):
        entry = entries[i]
        i += 1
        if len(entry) < 4:
            continue
        if entry[0] in "RC":
            i += 1
        parts = entry[3:].split("/")
        if len(parts) >= 2 and parts[0] == folder:
            changed.add(parts[1])
    return changed


def folder_trees(root: Path, folder: str) -> dict[str, str] | None:
    """Each sub-folder of ``folder`` as committed at HEAD: name -> tree hash."""
    return parse_folder_trees(start_folder_trees(root, folder).result())


def changed_folders(root: Path, folder: str) -> set[str] | None:
    """Sub-folders of ``folder`` whose work tree differs from HEAD (changed, new, removed)."""
    return parse_changed_folders(start_changed_folders(root, folder).result(), folder)


def changed_since(root: Path, rev: str) -> list[str]:
    """Paths under ``root`` (relative to it) that differ from ``rev``: changed since it in
    commits, staged, in the work tree, or new and not ignored. Paths a change removed are
    listed too."""
    if rev.startswith("-"):
        raise UsageError(N_("{rev} is not a revision"), rev=rev)
    try:
        _read(root, "rev-parse", "--show-prefix")
    except HistoryError as exc:
        raise UsageError(
            N_("--changed-since needs git: {root} is not in a git repository ({reason})"),
            root=str(root),
            reason=str(exc.args_.get("reason", "")),
        ) from None
    try:
        _read(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except HistoryError:
        raise UsageError(
            N_(
                "{rev} is no commit of this repository (a branch, a tag or a commit hash is "
                "expected; in a shallow CI clone, fetch it first)"
            ),
            rev=rev,
        ) from None
    diff = _read(root, "diff", "--relative", "--name-only", "--no-renames", "-z", rev, "--")
    new = _read(root, "ls-files", "--others", "--exclude-standard", "-z")
    return sorted({p for p in (diff + new).split("\0") if p})
