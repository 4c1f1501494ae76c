"""Sharing through a remote (``juhtum sync``): fetch, the files as each side has them, the
merge that writes only documents of the case repository, and push."""

from __future__ import annotations

import os
from pathlib import Path

from juhtum.crashpoints import crashpoint
from juhtum.errors import HistoryError, UsageError, UserError
from juhtum.history.commits import _author_env
from juhtum.history.git import _first_line, _git, _read, _read_bytes, _run
from juhtum.i18n import N_
from juhtum.limits import MAX_BYTES


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
