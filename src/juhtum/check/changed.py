"""Which cases a change touches: the paths pre-commit passes, ``--changed-since REV``, and
what such a change takes back of the append-only records."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from juhtum import storage
from juhtum.errors import UsageError
from juhtum.i18n import N_
from juhtum.model import ids
from juhtum.model.documents import CASES_DIR, REPOSITORY_FILE, SERVICES_DIR, SPECIALISTS_DIR
from juhtum.model.problems import ERROR, Problem
from juhtum.storage import Repository

REPOSITORY_LEVEL = (REPOSITORY_FILE, SERVICES_DIR, SPECIALISTS_DIR)
"""What every case depends on: a change to any of these checks every case again."""


def cases_for_paths(repo: Repository, paths: Iterable[Path]) -> tuple[list[str], bool]:
    """The cases holding ``paths`` (files or folders), and whether the repository-level
    documents (juhtum.yaml, services/) are among them or the repository itself is."""
    found: dict[str, None] = {}
    repository_level = False
    for given in paths:
        path = given.resolve()
        if not given.is_absolute() and not path.exists() and (repo.root / given).exists():
            path = (repo.root / given).resolve()  # named from the repository's root
        try:
            parts = path.relative_to(repo.root).parts
        except ValueError:
            raise UsageError(
                N_("{path} is outside the case repository {root}"),
                path=str(given),
                root=str(repo.root),
            ) from None
        if not parts or parts[0] in REPOSITORY_LEVEL:
            repository_level = True
            if not parts:
                found.update(dict.fromkeys(repo.case_ids()))
            continue
        if parts[0] == CASES_DIR:
            if len(parts) == 1:
                found.update(dict.fromkeys(repo.case_ids()))
            else:
                found[ids.check_case_id(parts[1])] = None
    return list(found), repository_level


def cases_changed_since(repo: Repository, rev: str) -> list[str] | None:
    """The cases whose files changed since ``rev`` (see history.changed_since), or None
    when juhtum.yaml or the service catalogue did: every case depends on those."""
    from juhtum import history

    found: dict[str, None] = {}
    for path in history.changed_since(repo.root, rev):
        parts = path.split("/")
        if parts[0] in REPOSITORY_LEVEL:
            return None
        in_case = parts[0] == CASES_DIR and len(parts) >= 3 and ids.is_case_id(parts[1])
        if in_case and repo.case_dir(parts[1]).is_dir():  # a removed case: nothing to check
            found[parts[1]] = None
    return list(found)


def append_only_problems(repo: Repository, rev: str) -> list[Problem]:
    """``validate --changed-since REV``: an error (rule ``append-only``) for each record the
    change from ``rev`` to the work tree takes back (see juhtum.appendonly): a deleted or
    rewritten monitoring entry, evaluation, meeting, handover or follow-up, a signature
    removed or altered, a case removed, unless ``juhtum erase`` erased it since ``rev``."""
    from juhtum import appendonly, erasure, history

    root = repo.root
    if rev.startswith("-"):
        raise UsageError(N_("{rev} is not a revision"), rev=rev)

    def before(path: str) -> bytes | None:
        return history.content_at(root, rev, path)

    def after(path: str) -> bytes | None:
        try:
            return storage.read_document(root / path)
        except FileNotFoundError:
            return None
        except (OSError, storage.TooLarge):
            return b""  # what cannot be read (a symlink, too large) is not the record

    def erased(case_ids: set[str]) -> set[str]:
        found = history.erasures(root, ["HEAD"], [rev])
        return {c for c, reason in found.items() if c in case_ids and reason in erasure.REASONS}

    messages = {
        appendonly.CASE_REMOVED: N_(
            "case {id} is removed since {rev}, and not by juhtum erase: cases are kept "
            "(restore it with git checkout {rev} -- {folder}, or erase it with juhtum erase "
            "{id} --reason R)"
        ),
        appendonly.REMOVED: N_(
            "the record is deleted since {rev}: monitoring entries, evaluations, meetings, "
            "handovers and follow-ups are append-only (restore it with git checkout {rev} -- "
            "{file})"
        ),
        appendonly.CHANGED: N_(
            "the record is rewritten since {rev}: monitoring entries, evaluations, meetings, "
            "handovers and follow-ups are append-only, a correction is a new entry (restore it "
            "with git checkout {rev} -- {file})"
        ),
        appendonly.SIGNATURE: N_(
            "the signature of {party} is removed or altered since {rev}: a signature given "
            "stays (restore it from git show {rev}:{file})"
        ),
    }
    found = appendonly.breaches(history.changes_between(root, rev), before, after, erased=erased)
    return [
        Problem(
            appendonly.RULE,
            ERROR,
            b.path,
            messages[b.what],
            {
                "id": b.case_id,
                "rev": rev,
                "file": b.path,
                "folder": f"{CASES_DIR}/{b.case_id}",
                "party": b.party,
            },
            ("signatures",) if b.what == appendonly.SIGNATURE else (),
        )
        for b in found
    ]
